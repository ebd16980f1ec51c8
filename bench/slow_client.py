"""Slow clients: why gunicorn's sync workers must sit behind nginx's buffering.

50 clients trickle a request one header line per second (and reconnect when cut off),
first straight at gunicorn (2 sync workers, as production), then at nginx running the
server block of docs/operations.md unchanged except for ports and paths (TLS with a
throw-away certificate). Meanwhile a fast client asks for the home page in a loop and
records each answer's latency and every failure (5 s timeout). Each phase lasts
--seconds; a baseline without slow clients comes first for each path.

Prepares a PostgreSQL database with the demo content through bench/common.sh.
Loopback only, bounded in time. Usage: bench/slow_client.py [--slow 50] [--seconds 20]
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATH = "/en/"


def bench_environment():
    """Run bench/common.sh (database, demo content, static files) and return its environment."""
    out = subprocess.run(
        ["bash", "-c", "source bench/common.sh >&2 && env -0"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    return dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_config(work, port, var_dir):
    """The documented server block, pointed at this machine's ports and folders."""
    text = (ROOT / "docs" / "operations.md").read_text()
    block = re.search(r"```nginx\n(# iomsite behind nginx.*?)```", text, re.S).group(1)
    replacements = [
        ("listen 80;", f"listen 127.0.0.1:{free_port()};"),
        ("listen [::]:80;\n", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;"),
        ("listen [::]:443 ssl http2;\n", ""),
        ("/etc/letsencrypt/live/www.example.org/fullchain.pem", str(work / "cert.pem")),
        ("/etc/letsencrypt/live/www.example.org/privkey.pem", str(work / "key.pem")),
        ("/run/iomsite/gunicorn.sock", str(work / "gunicorn.sock")),
        ("root /srv/iomsite/var;", f"root {var_dir};"),
        ("/var/log/nginx/iomsite.access.log", str(work / "access.log")),
        ("/var/log/nginx/iomsite.error.log", str(work / "error.log")),
    ]
    for old, new in replacements:
        assert old in block, f"docs/operations.md no longer has {old!r}"
        block = block.replace(old, new)
    temp = work / "nginx-temp"
    return (
        f"pid {work}/nginx.pid;\nerror_log {work}/error.log warn;\nworker_processes 2;\n"
        "events { worker_connections 2048; }\n"
        "http {\n  include /etc/nginx/mime.types;\n"
        f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
        f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
        f"{block}}}\n"
    )


def connect(port, tls):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if tls:
        context = ssl._create_unverified_context()
        sock = context.wrap_socket(sock, server_hostname="www.example.org")
    return sock


def slow_client(port, tls, stop, counter):
    """Open a request and add one header line a second, for as long as the phase lasts."""
    while not stop.is_set():
        try:
            sock = connect(port, tls)
            counter["connections"] += 1
            sock.sendall(f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
            line = 0
            while not stop.wait(1):
                line += 1
                sock.sendall(f"X-Slow-{line}: still typing\r\n".encode())
            sock.close()
        except OSError:
            stop.wait(0.5)  # cut off: come back, as an attacker would


def fast_client(port, tls, seconds):
    latencies, failures = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            if tls:
                conn = http.client.HTTPSConnection(
                    "127.0.0.1", port, timeout=5, context=ssl._create_unverified_context()
                )
            else:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", PATH, headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                raise OSError(f"status {response.status}")
            latencies.append((time.monotonic() - started) * 1000)
        except OSError:
            failures += 1
        time.sleep(0.1)
    return latencies, failures


def phase(label, port, tls, slow, seconds):
    stop, counter = threading.Event(), {"connections": 0}
    threads = [threading.Thread(target=slow_client, args=(port, tls, stop, counter), daemon=True) for _ in range(slow)]
    for thread in threads:
        thread.start()
    time.sleep(2 if slow else 0)  # let them take their places
    latencies, failures = fast_client(port, tls, seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    row = {"label": label, "ok": len(latencies), "failed": failures, "slow": counter["connections"]}
    if latencies:
        latencies.sort()
        p95 = latencies[max(0, round(len(latencies) * 0.95) - 1)]
        row |= {"p50": statistics.median(latencies), "p95": p95, "max": latencies[-1]}
    print(f"  {label}: {row}", flush=True)
    return row


def wait_healthy(port, tls, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _latencies, failures = fast_client(port, tls, 0.01)
        if not failures:
            return
        time.sleep(0.5)
    raise SystemExit("the server did not become healthy")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow", type=int, default=50, help="slow clients")
    parser.add_argument("--seconds", type=int, default=20, help="length of each phase")
    args = parser.parse_args()
    if not shutil.which("nginx"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True)
    env = bench_environment()
    work = Path(tempfile.mkdtemp(prefix="slow-client-"))
    work.chmod(0o755)  # nginx's workers (nobody) reach the socket
    (work / "nginx-temp").mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=www.example.org",
         "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    direct, proxied = free_port(), free_port()
    (work / "nginx.conf").write_text(nginx_config(work, proxied, env["IOMSITE_VAR_DIR"]))
    subprocess.run(["nginx", "-t", "-c", str(work / "nginx.conf")], check=True, capture_output=True)
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "iomsite.wsgi", "--workers", "2", "--worker-class", "sync",
         "--timeout", "30", "--bind", f"127.0.0.1:{direct}", "--bind", f"unix:{work}/gunicorn.sock", "--umask", "0",
         "--error-logfile", str(work / "gunicorn.log")],
        cwd=ROOT, env=env,
    )  # fmt: skip
    nginx = subprocess.Popen(["nginx", "-c", str(work / "nginx.conf"), "-g", "daemon off;"])
    rows = []
    try:
        wait_healthy(direct, False)
        wait_healthy(proxied, True)
        print(f"# {args.slow} slow clients, {args.seconds} s per phase, fast client on {PATH}", flush=True)
        rows.append(phase("gunicorn directly, no slow clients", direct, False, 0, args.seconds))
        rows.append(phase(f"gunicorn directly, {args.slow} slow clients", direct, False, args.slow, args.seconds))
        wait_healthy(direct, False)
        rows.append(phase("through nginx, no slow clients", proxied, True, 0, args.seconds))
        rows.append(phase(f"through nginx, {args.slow} slow clients", proxied, True, args.slow, args.seconds))
    finally:
        nginx.send_signal(signal.SIGQUIT)
        gunicorn.send_signal(signal.SIGTERM)
        nginx.wait(timeout=20)
        gunicorn.wait(timeout=30)
    timeouts = (work / "gunicorn.log").read_text().count("WORKER TIMEOUT")
    shutil.rmtree(work, ignore_errors=True)
    lines = [
        f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, gunicorn 2 sync workers "
        f"(`--timeout 30`), PostgreSQL, `DEBUG=0`; {args.slow} slow clients, {args.seconds} s per phase.",
        "",
        "| phase | fast requests answered | failed or timed out (5 s) | p50 ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        numbers = " | ".join(f"{row[key]:.0f}" if key in row else "–" for key in ("p50", "p95", "max"))
        lines.append(f"| {row['label']} | {row['ok']} | {row['failed']} | {numbers} |")
    lines += ["", f"gunicorn killed {timeouts} stuck workers (`WORKER TIMEOUT`) during the run."]
    text = "\n".join(lines)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"slow-client-{datetime.now(UTC):%Y%m%d-%H%M%S}.md").write_text(text + "\n")
    print()
    print(text)


if __name__ == "__main__":
    sys.exit(main())
