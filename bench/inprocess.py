"""Time pages in-process (no HTTP, no wrk): median and minimum of N requests through Django's
test client, with the queries of one more request and the milliseconds each took.

For profiling one page at a time against a benchmark database, e.g.:

    DATABASE_URL=postgres://iomsite:iomsite@127.0.0.1:5432/iomsite_bench_s10 \\
    REDIS_URL=redis://127.0.0.1:6379/3 DJANGO_DEBUG=0 DJANGO_SECRET_KEY=x \\
    DJANGO_ALLOWED_HOSTS=127.0.0.1 IOMSITE_PAGE_CACHE=0 DJANGO_STATIC_ROOT=var/bench-static \\
    .venv/bin/python bench/inprocess.py /en/ "/en/search/?q=migration"

(``make bench`` leaves its databases and collected static files in place.)
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iomsite.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", 8))


def main(paths):
    client = Client(HTTP_HOST="127.0.0.1")
    for path in paths:
        for _ in range(2):
            client.get(path)
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        each = " | ".join(f"{float(query['time']) * 1000:.0f}" for query in queries.captured_queries)
        print(
            f"{path}: {response.status_code}, median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, "
            f"{len(response.content) / 1024:.0f} KB, {len(queries)} queries ({each} ms)"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
