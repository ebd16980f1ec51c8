"""The page cache while editors work: random sitemap pages under wrk, with no edits, then one edit every 2 s.

    .venv/bin/python bench/edits.py [--scale 1] [--duration 20] [--pages 300] [--interval 2]

Prepares the scale's database as ``bench/run.py`` does (``iomsite_bench_s1``), starts gunicorn
(2 sync workers, DEBUG off, Redis, page cache on), picks ``--pages`` random addresses from the
sitemap, warms them, then runs ``wrk -t2 -c16`` over them in random order twice: with no
edits, and while another process saves a real content edit (a theme's title, through the
ORM: the same signals as the admin) every ``--interval`` seconds. Reports req/s, p50, p99, the
hit rate (``X-Page-Cache`` of every response, counted by the wrk script) and the CPU
milliseconds per request of the gunicorn workers and the PostgreSQL backends (from /proc).
Issue 18's target: with edits ≥ 80 % of the no-edit throughput and p99 ≤ 2× no-edit.
"""

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # bench/run.py: prepare, start_server

LUA = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) hits = 0; misses = 0 end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
function response(status, headers, body)
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 else misses = misses + 1 end
end
function done(summary, latency, requests)
  local h, m = 0, 0
  for _, thread in ipairs(threads) do h = h + thread:get("hits"); m = m + thread:get("misses") end
  io.write(string.format("HITS %%d MISSES %%d\\n", h, m))
end
"""

EDITOR = """
import random, time
from themes.models import Theme
pks = list(Theme.objects.published().values_list("pk", flat=True))
n = 0
while True:
    theme = Theme.objects.get(pk=random.choice(pks))
    theme.title = theme.title.rstrip(" *") + (" *" if n %% 2 == 0 else "")
    theme.save()
    n += 1
    print("edit", n, theme.pk, flush=True)
    time.sleep(%(interval)s)
"""


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def postgres_pids(database):
    out = subprocess.run(
        ["su", "postgres", "-c", f"psql -tAc \"SELECT pid FROM pg_stat_activity WHERE datname = '{database}'\""],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [int(pid) for pid in out.split()]


def sitemap_paths(base):
    index = urllib.request.urlopen(base + "/sitemap.xml", timeout=30).read().decode()
    paths = []
    for section in re.findall(r"<loc>([^<]+)</loc>", index):
        section_path = re.sub(r"^https?://[^/]+", "", section)
        body = urllib.request.urlopen(base + section_path, timeout=60).read().decode()
        paths += [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", body)]
    return sorted(set(paths))


def measure(base, script, duration, connections, pids):
    ticks = os.sysconf("SC_CLK_TCK")
    before = cpu_ticks(pids())
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script, base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    used = cpu_ticks(pids()) - before
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    hits, misses = (int(x) for x in re.search(r"HITS (\d+) MISSES (\d+)", out).groups())

    def pct(label):
        match = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": pct("50"),
        "p99": pct("99"),
        "hit_rate": hits / max(1, hits + misses),
        "cpu_ms": used / ticks * 1000 / max(1, requests),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--interval", type=float, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis-db", type=int, default=6)
    args = parser.parse_args()

    env, _urls = run.prepare(args.scale, run.ROOT / "var" / "bench-static")
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    redis_url = run.REDIS.format(db=args.redis_db)
    subprocess.run(["redis-cli", "-n", str(args.redis_db), "flushdb"], capture_output=True, check=False)
    env = {**env, "IOMSITE_PAGE_CACHE": "1", "REDIS_URL": redis_url}
    server, base = run.start_server(env)
    editor = None
    try:
        paths = sitemap_paths(base)
        random.seed(18)
        chosen = random.sample(paths, min(args.pages, len(paths)))
        workdir = Path(tempfile.mkdtemp(prefix="bench-edits-"))
        (workdir / "paths.txt").write_text("\n".join(chosen) + "\n")
        script = workdir / "random.lua"
        script.write_text(LUA % {"paths": workdir / "paths.txt"})
        for path in chosen:  # warm: every page once
            urllib.request.urlopen(base + path, timeout=60).read()

        def pids():
            return worker_pids(server.pid) + postgres_pids(database)

        quiet = measure(base, str(script), args.duration, args.connections, pids)
        editor = subprocess.Popen(
            [run.PY, "manage.py", "shell", "-c", EDITOR % {"interval": args.interval}],
            cwd=run.ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        counted = []
        first = threading.Event()

        def count_edits():
            for line in editor.stdout:
                if line.startswith("edit "):
                    counted.append(time.monotonic())
                    first.set()

        threading.Thread(target=count_edits, daemon=True).start()
        if not first.wait(120):
            raise SystemExit("the editor process made no edit")
        start = time.monotonic()
        editing = measure(base, str(script), args.duration, args.connections, pids)
        edits = sum(1 for moment in counted if moment >= start)
    finally:
        if editor is not None:
            editor.send_signal(signal.SIGTERM)
            editor.wait(timeout=20)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)

    lines = [
        f"### Edits under load, scale {args.scale:g}: {len(chosen)} random sitemap pages of {len(paths)}",
        "",
        f"`wrk -t2 -c{args.connections} -d{args.duration}s`, gunicorn 2 sync workers, PostgreSQL, Redis, "
        f"page cache on; a theme's title saved every {args.interval:g} s in the second run ({edits} edits "
        "during it). "
        f"Load average: {os.getloadavg()[0]:.2f}.",
        "",
        "| run | req/s | p50 ms | p99 ms | hit rate | CPU ms/request (app + PostgreSQL) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, result in (("no edits", quiet), ("one edit every 2 s", editing)):
        lines.append(
            f"| {name} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} | "
            f"{result['hit_rate']:.1%} | {result['cpu_ms']:.2f} |"
        )
    ratio, p99 = editing["rps"] / quiet["rps"], editing["p99"] / quiet["p99"]
    lines += [
        "",
        f"With edits: {ratio:.0%} of the no-edit throughput (target ≥ 80 %: {'met' if ratio >= 0.8 else 'missed'}), "
        f"p99 {p99:.1f}× (target ≤ 2×: {'met' if p99 <= 2 else 'missed'}).",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
