#!/usr/bin/env bash
# Soak test: 60 s of wrk at 32 connections over the demo site's pages (from sitemap.xml),
# against gunicorn (4 sync workers) on PostgreSQL, page cache off so every request renders.
# Reports wrk's errors and every worker's RSS sampled from /proc every 5 s.
# Usage: bench/soak.sh [SECONDS] [CONNECTIONS]   (loopback only)
source "$(dirname "$0")/common.sh"
DURATION="${1:-60}"
CONNECTIONS="${2:-32}"
WORKERS="${WORKERS:-4}"
PORT="$(free_port)"
WORK="$(mktemp -d)"
trap 'kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true; rm -rf "$WORK"' EXIT

IOMSITE_PAGE_CACHE=0 "$ROOT/.venv/bin/gunicorn" iomsite.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --worker-class sync --timeout 30 --max-requests 0 --access-logfile /dev/null --error-logfile "$WORK/gunicorn.log" &
GUNICORN=$!
BASE="http://127.0.0.1:$PORT"
wait_for "$BASE/healthz"

# Every page of the sitemap (English), plus the home page and a search. /sitemap.xml is an
# index of the section pages, which list the pages.
locs() { grep -o '<loc>[^<]*</loc>' | sed -E 's#</?loc>##g'; }
curl -fsS "$BASE/sitemap.xml" | locs | while read -r section; do curl -fsS "$section"; done | locs \
  | sed -E 's#^https?://[^/]+##' | grep '^/en/' | sort -u >"$WORK/paths"
printf '/en/\n/en/search/?q=migration\n' >>"$WORK/paths"
{
  echo 'local paths = {'
  sed 's/.*/  "&",/' "$WORK/paths"
  echo '}'
  echo 'local i = 0'
  echo 'request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end'
} >"$WORK/paths.lua"
echo "# soak: ${DURATION}s, $CONNECTIONS connections, $WORKERS workers, $(wc -l <"$WORK/paths") pages, cache off"

while read -r path; do curl -fsS -o /dev/null "$BASE$path"; done <"$WORK/paths"  # warm up
( for t in $(seq 0 5 "$DURATION"); do worker_rss "$GUNICORN" | sed "s/^/$t /"; sleep 5; done ) >"$WORK/rss" &
SAMPLER=$!
wrk -t4 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$WORK/paths.lua" "$BASE" | tee "$WORK/wrk"
wait "$SAMPLER" || true

echo
echo "## RSS per worker (MB), sampled every 5 s"
awk '{ rss[$2] = rss[$2] " " $3 } END { for (pid in rss) print "worker " pid ":" rss[pid] }' "$WORK/rss" | sort
awk '{ if (!($2 in first)) first[$2] = $3; last[$2] = $3 }
     END { for (pid in first) printf "worker %s: %.1f MB -> %.1f MB (%+.1f)\n", pid, first[pid], last[pid], last[pid] - first[pid] }' \
  "$WORK/rss" | sort
non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$WORK/wrk" | grep -o '[0-9]*$' || echo 0)
sockerr=$(grep -o 'Socket errors:.*' "$WORK/wrk" || echo "Socket errors: none")
restarts=$(grep -c -E 'WORKER TIMEOUT|Booting worker' "$WORK/gunicorn.log" || true)
echo "errors: non-2xx/3xx $non2xx; $sockerr; gunicorn worker boots/timeouts in log: $restarts (the first $WORKERS are the start)"
