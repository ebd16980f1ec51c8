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


CEILING = "ceiling (bare 20 KB view)"


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


def cpu_ticks(pids):
    """utime + stime of these processes, in clock ticks (from /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def server_pids(master_pid, database):
    """The gunicorn workers and the PostgreSQL backends of the benchmark database."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    out = subprocess.run(
        ["su", "postgres", "-c", f"psql -tAc \"SELECT pid FROM pg_stat_activity WHERE datname = '{database}'\""],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return workers + [int(pid) for pid in out.split()]


def wrk(url, duration, connections, pids=None):
    before = cpu_ticks(pids()) if pids else 0
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
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    cpu_ms = (cpu_ticks(pids()) - before) / os.sysconf("SC_CLK_TCK") * 1000 / max(1, requests) if pids else 0
    return {"rps": rps, "p50": pct("50"), "p99": pct("99"), "errors": failed, "cpu_ms": cpu_ms}


def prepare(scale, static_root):
    """Its own database, migrated and filled to ``scale``; the pages to measure and their queries."""
    name = f"iomsite_bench_s{scale:g}".replace(".", "_")
    ensure_database(name)
    env = {
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
    print(f"# scale {scale:g}: migrating and generating content (idempotent)", flush=True)
    run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PY, "manage.py", "generate_content", "--scale", f"{scale:g}"], env)
    urls = json.loads(run([PY, "manage.py", "bench_urls"], env, capture_output=True, text=True).stdout)
    return env, urls


def start_server(env):
    port = free_port()
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "iomsite.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--worker-class", "sync"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/healthz")
    return server, base


def mean_stats(runs):
    return {
        "rps": sum(r["rps"] for r in runs) / len(runs),
        "p50": sum(r["p50"] for r in runs) / len(runs),
        "p99": sum(r["p99"] for r in runs) / len(runs),
        "errors": sum(r["errors"] for r in runs),
        "cpu_ms": sum(r.get("cpu_ms", 0) for r in runs) / len(runs),
        "runs": [r["rps"] for r in runs],
    }


def measure(prepared, args):
    """Every page at every scale, page cache off then on, the scales interleaved.

    One gunicorn per scale runs at the same time (the idle one costs nothing); each page
    is measured at each scale in turn, ``--rounds`` times (the order of the scales
    alternating), and the ceiling at the start and end of every round. Scales are so
    compared over the same minutes, whatever else the machine is doing.
    """
    scales = list(prepared)
    results = {scale: {} for scale in scales}
    for cache_on in (False, True):
        mode = "cache on " if cache_on else "cache off"
        servers = {}
        try:
            for number, scale in enumerate(scales):
                env, _urls = prepared[scale]
                db = args.redis_db + number
                subprocess.run(["redis-cli", "-n", str(db), "flushdb"], capture_output=True, check=False)
                env = {**env, "IOMSITE_PAGE_CACHE": "1" if cache_on else "0", "REDIS_URL": REDIS.format(db=db)}
                servers[scale] = start_server(env)
            pages = {
                scale: {kind(label): (label, path) for label, path in prepared[scale][1]["pages"]} for scale in scales
            }
            kinds = [CEILING, *pages[scales[0]], CEILING]
            runs = {}
            for round_number in range(args.rounds):
                order = scales if round_number % 2 == 0 else scales[::-1]
                for key in kinds:
                    for scale in order:
                        label, path = (CEILING, "/bench/ceiling/") if key == CEILING else pages[scale][key]
                        base = servers[scale][1]
                        for _ in range(3):
                            urllib.request.urlopen(base + path, timeout=60).read()  # warm up
                        server = servers[scale][0]
                        database = prepared[scale][0]["DATABASE_URL"].rsplit("/", 1)[1]
                        stats = wrk(
                            base + path,
                            args.duration,
                            args.connections,
                            lambda server=server, database=database: server_pids(server.pid, database),
                        )
                        runs.setdefault((scale, label), []).append({**stats, "path": path})
                        print(f"  {mode} s{scale:<4g} {label:40} {stats['rps']:8.1f} req/s", flush=True)
            for (scale, label), measured in runs.items():
                results[scale][(label, cache_on)] = {**mean_stats(measured), "path": measured[0]["path"]}
            for scale, (server, _base) in servers.items():
                results[scale][("memory", cache_on)] = worker_rss_mb(server.pid)
        finally:
            for server, _base in servers.values():
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=20)
    return results


def table(scale, results, urls):
    lines = [
        f"### Scale {scale:g}",
        "",
        "| page | queries | cache off req/s | × ceiling | p50 ms | p99 ms | CPU ms/req | cache on req/s | × ceiling "
        "| p50 ms | CPU ms/req |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    # The honest ceiling: the bare view through the server with the page cache OFF (issue 27),
    # for both columns: a server with the cache on pays the cache's cost on the bare view too.
    honest = results[(CEILING, False)]["rps"]
    ceiling = {False: honest, True: honest}
    labels = [CEILING, *[label for label, _path in urls["pages"]]]
    for label in labels:
        off, on = results[(label, False)], results[(label, True)]
        queries = urls["queries"].get(label, "")
        lines.append(
            f"| {label} | {queries} | {off['rps']:.0f} | {off['rps'] / ceiling[False]:.2f} | {off['p50']:.1f} | "
            f"{off['p99']:.1f} | {off.get('cpu_ms', 0):.2f} | {on['rps']:.0f} | {on['rps'] / ceiling[True]:.2f} | "
            f"{on['p50']:.1f} | {on.get('cpu_ms', 0):.2f} |"
        )
    memory = max([*results[("memory", False)], *results[("memory", True)], 0])
    errors = sum(r["errors"] for key, r in results.items() if key[0] != "memory")
    runs = ", ".join(
        f"cache {'on' if on else 'off'} {' and '.join(f'{rps:.0f}' for rps in results[(CEILING, on)]['runs'])}"
        for on in (False, True)
    )
    lines += [
        "",
        f"Ceiling req/s, every run (start and end of each round): {runs}; the table uses their mean.",
        f"Peak RSS per gunicorn worker: {memory:.0f} MB. Errors (non-2xx/3xx, socket): {errors}.",
        "",
    ]
    return "\n".join(lines)


def kind(label):
    """'listing, last page (13)' and 'listing, last page (125)' are the same page at two scales."""
    return label.split(" (")[0] if label.startswith("listing, last page") else label


UNCACHED_PAGES = ("home", "theme (depth 3)", "listing, page 1", "publication", "chapter", "region")


def targets(by_scale):
    """The issue's targets, each met or not, from the measured numbers."""
    checks = []

    def check(name, ok, detail):
        checks.append(f"| {name} | {'met' if ok else '**missed**'} | {detail} |")

    def off(scale, label):
        return by_scale[scale][0][(label, False)]

    def ratio(scale, label, cache_on):
        results = by_scale[scale][0]
        return results[(label, cache_on)]["rps"] / results[(CEILING, False)]["rps"]  # the honest ceiling

    scales = sorted(by_scale)
    for scale in scales:
        urls = by_scale[scale][1]
        labels = [label for label, _path in urls["pages"]]
        last = next(label for label in labels if label.startswith("listing, last page"))
        low = min(UNCACHED_PAGES, key=lambda label: ratio(scale, label, False))
        check(
            f"scale {scale:g}: uncached ≥ 0.10× ceiling",
            ratio(scale, low, False) >= 0.10,
            ", ".join(f"{label} {ratio(scale, label, False):.2f}" for label in UNCACHED_PAGES),
        )
        deep = off(scale, last)["rps"] / off(scale, "listing, page 1")["rps"]
        check(f"scale {scale:g}: last listing page ≥ 0.8× first", deep >= 0.8, f"{deep:.2f}")
        cached = min(labels, key=lambda label: ratio(scale, label, True))
        check(
            f"scale {scale:g}: cached ≥ 0.9× ceiling",
            ratio(scale, cached, True) >= 0.9,
            f"lowest: {cached} {ratio(scale, cached, True):.2f}",
        )
        memory = max([*by_scale[scale][0][("memory", False)], *by_scale[scale][0][("memory", True)], 0])
        check(f"scale {scale:g}: peak RSS per worker < 150 MB", memory < 150, f"{memory:.0f} MB")
    top = scales[-1]
    search = off(top, "search")["rps"] / off(top, "theme (depth 3)")["rps"]
    check(f"scale {top:g}: search ≥ 0.5× theme page", search >= 0.5, f"{search:.2f}")
    if len(scales) > 1:
        (small, small_urls), (large, large_urls) = by_scale[scales[0]], by_scale[top]
        small_labels, large_labels = (
            {kind(label): label for label, _path in urls["pages"]} for urls in (small_urls, large_urls)
        )
        growth, changed = [], []
        for key, label in small_labels.items():
            other = large_labels[key]
            growth.append((key, large[(other, False)]["p50"] / small[(label, False)]["p50"] - 1))
            before, after = small_urls["queries"][label], large_urls["queries"][other]
            if before != after:
                changed.append(f"{key} {before}→{after}")
        worst = max(value for _key, value in growth)
        check(
            f"scale {scales[0]:g} → {top:g}: p50 grows ≤ 10 %",
            worst <= 0.10,
            ", ".join(f"{key} {value:+.0%}" for key, value in growth),
        )
        check(f"scale {scales[0]:g} → {top:g}: same queries per page", not changed, ", ".join(changed) or "all equal")
    return "\n".join(["### Targets", "", "| target | result | measured |", "| --- | --- | --- |", *checks, ""])


def environment():
    """Versions and the machine, for the report."""

    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "?"

    cpu = re.search(r"Model name:\s+(.+)", out(["lscpu"]))
    memory = re.search(r"Mem:\s+(\S+)", out(["free", "-h"]))
    versions = out(
        [
            PY,
            "-c",
            "import django, gunicorn, psycopg2, redis, sys; "
            "print(sys.version.split()[0], django.__version__, gunicorn.__version__, "
            "psycopg2.__version__.split()[0], redis.__version__)",
        ]
    ).split()
    postgres = out(["su", "postgres", "-c", "psql -tAc 'SHOW server_version'"])
    redis_server = re.search(r"v=(\S+)", out(["redis-server", "--version"]))
    wrk_version = out(["wrk", "--version"]).splitlines()
    names = ("Python", "Django", "gunicorn", "psycopg2", "redis-py")
    return (
        f"Machine: {os.cpu_count()} CPUs ({cpu.group(1) if cpu else '?'}), {memory.group(1) if memory else '?'} RAM. "
        f"Load average at start: {os.getloadavg()[0]:.2f}. "
        + ", ".join(f"{name} {version}" for name, version in zip(names, versions, strict=False))
        + f", PostgreSQL {postgres.split()[0] if postgres else '?'}"
        + f", Redis {redis_server.group(1) if redis_server else '?'}"
        + (f", {wrk_version[0].split(' [')[0]}" if wrk_version else "")
        + "."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per page, scale and round")
    parser.add_argument("--rounds", type=int, default=2, help="measurements of each page at each scale")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis-db", type=int, default=10, help="first Redis database (one per scale, emptied)")
    args = parser.parse_args()
    static_root = ROOT / "var" / "bench-static"
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_STATIC_ROOT": str(static_root)}
    run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    report = [
        f"## Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`wrk -t2 -c{args.connections} -d{args.duration}s`, {args.rounds} rounds (scales interleaved), "
        "gunicorn 2 sync workers per scale, PostgreSQL, Redis, DEBUG off.",
        "",
        environment(),
        "",
    ]
    prepared = {scale: prepare(scale, static_root) for scale in [float(s) for s in args.scales.split(",")]}
    measured = measure(prepared, args)
    by_scale = {scale: (measured[scale], prepared[scale][1]) for scale in prepared}
    for scale, (results, urls) in by_scale.items():
        report.append(table(scale, results, urls))
    report.append(targets(by_scale))
    report.append(f"Load average at the end: {os.getloadavg()[0]:.2f}.")
    text = "\n".join(report)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = f"{datetime.now(UTC):%Y%m%d-%H%M%S}"
    (out / f"{stamp}.md").write_text(text)
    raw = {
        str(scale): {"urls": urls, "results": [[*key, value] for key, value in results.items()]}
        for scale, (results, urls) in by_scale.items()
    }
    (out / f"{stamp}.json").write_text(json.dumps(raw, indent=1))
    print()
    print(text)


if __name__ == "__main__":
    sys.exit(main())
