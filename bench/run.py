"""Measure the site as production runs it: PostgreSQL, gunicorn (2 sync workers), DEBUG off.

For each scale (generate_content --scale N into its own database) and with the page
cache off and on, every key page gets ``wrk -t2 -c16`` for a few seconds; a bare
Django view returning a fixed 20 KB page, served by the same gunicorn, is the
ceiling. Prints a Markdown table (throughput, ratio to the ceiling, p50/p99, queries
per page) and writes it to bench/results/. Loopback only, bounded in time.
"""

import argparse
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PG = "postgres://iomsite:iomsite@127.0.0.1:5432/{name}"
REDIS = "redis://127.0.0.1:6379/{db}"


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)


def ensure_database(name):
    sql = (
        f"SELECT 'CREATE DATABASE {name} OWNER iomsite' "
        f"WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{name}')\\gexec"
    )
    subprocess.run(["su", "postgres", "-c", "psql -q"], input=sql, text=True, check=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def worker_rss_mb(master_pid):
    """Peak-so-far RSS (VmHWM) of each gunicorn worker, in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    pids = children.read_text().split() if children.exists() else []
    sizes = []
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            match = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
            if match:
                sizes.append(int(match.group(1)) / 1024)
    return sizes


def wrk(url, duration, connections):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(label):
        match = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(x) for x in socket_errors.groups())
    return {"rps": rps, "p50": pct("50"), "p99": pct("99"), "errors": failed}


def bench_scale(scale, args, static_root):
    name = f"iomsite_bench_s{scale}"
    ensure_database(name)
    base_env = {
        **os.environ,
        "DATABASE_URL": PG.format(name=name),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
        "IOMSITE_BENCH": "1",
        "DJANGO_CONN_MAX_AGE": "600",
    }
    print(f"# scale {scale}: migrating and generating content (idempotent)", flush=True)
    run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], base_env)
    run([PY, "manage.py", "generate_content", "--scale", str(scale)], base_env)
    urls = json.loads(run([PY, "manage.py", "bench_urls"], base_env, capture_output=True, text=True).stdout)
    results = {}
    for cache_on in (False, True):
        env = {**base_env, "IOMSITE_PAGE_CACHE": "1" if cache_on else "0", "REDIS_URL": REDIS.format(db=14)}
        subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
        port = free_port()
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "iomsite.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--worker-class", "sync"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/healthz")
            for label, path in [("ceiling (bare 20 KB view)", "/bench/ceiling/"), *urls["pages"]]:
                for _ in range(3):
                    urllib.request.urlopen(base + path, timeout=30).read()  # warm up
                stats = wrk(base + path, args.duration, args.connections)
                results[(label, cache_on)] = {**stats, "path": path}
                print(f"  {'cache on ' if cache_on else 'cache off'} {label:40} {stats['rps']:8.1f} req/s", flush=True)
            results[("memory", cache_on)] = worker_rss_mb(server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
    return results, urls


def table(scale, results, urls):
    lines = [
        f"### Scale {scale}",
        "",
        "| page | queries | cache off req/s | × ceiling | p50 ms | p99 ms | cache on req/s | × ceiling | p50 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    ceiling = {on: results[("ceiling (bare 20 KB view)", on)]["rps"] for on in (False, True)}
    labels = ["ceiling (bare 20 KB view)", *[label for label, _path in urls["pages"]]]
    for label in labels:
        off, on = results[(label, False)], results[(label, True)]
        queries = urls["queries"].get(label, "")
        lines.append(
            f"| {label} | {queries} | {off['rps']:.0f} | {off['rps'] / ceiling[False]:.2f} | {off['p50']:.1f} | "
            f"{off['p99']:.1f} | {on['rps']:.0f} | {on['rps'] / ceiling[True]:.2f} | {on['p50']:.1f} |"
        )
    memory = max([*results[("memory", False)], *results[("memory", True)], 0])
    errors = sum(r["errors"] for key, r in results.items() if key[0] != "memory")
    lines += ["", f"Peak RSS per gunicorn worker: {memory:.0f} MB. Errors (non-2xx/3xx, socket): {errors}.", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    static_root = ROOT / "var" / "bench-static"
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_STATIC_ROOT": str(static_root)}
    run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    report = [
        f"## Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`wrk -t2 -c{args.connections} -d{args.duration}s`, gunicorn 2 sync workers, PostgreSQL, Redis, DEBUG off.",
        "",
    ]
    for scale in [int(s) for s in args.scales.split(",")]:
        results, urls = bench_scale(scale, args, static_root)
        report.append(table(scale, results, urls))
    text = "\n".join(report)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{datetime.now(UTC):%Y%m%d-%H%M%S}.md").write_text(text)
    print()
    print(text)


if __name__ == "__main__":
    sys.exit(main())
