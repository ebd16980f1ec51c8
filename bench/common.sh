# Shared by bench/soak.sh and bench/slow_client.py: a PostgreSQL database with the demo
# content, collected static files, and a production-like environment. Source it.
# BENCH_DB (default iomsite_bench_hardening) on the local cluster at BENCH_PGPORT (default 5432).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
BENCH_DB="${BENCH_DB:-iomsite_bench_hardening}"
BENCH_PGPORT="${BENCH_PGPORT:-5432}"
BENCH_VAR="${BENCH_VAR:-$ROOT/var/bench-hardening}"

if [ "$BENCH_PGPORT" = 5432 ]; then .ci/postgres-start >/dev/null; fi
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
su postgres -c "psql -q -p $BENCH_PGPORT" <<SQL
SELECT 'CREATE DATABASE $BENCH_DB OWNER iomsite' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$BENCH_DB')\gexec
SQL

mkdir -p "$BENCH_VAR"
[ -s "$BENCH_VAR/secret_key" ] || "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" >"$BENCH_VAR/secret_key"
export DATABASE_URL="postgres://iomsite:iomsite@127.0.0.1:$BENCH_PGPORT/$BENCH_DB"
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$(cat "$BENCH_VAR/secret_key")"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost IOMSITE_VAR_DIR="$BENCH_VAR"
export DJANGO_STATIC_ROOT="$BENCH_VAR/static" DJANGO_MEDIA_ROOT="$BENCH_VAR/media"
unset REDIS_URL
"$PY" manage.py migrate --noinput -v 0
IOMSITE_DEMO=1 "$PY" manage.py load_demo_content >/dev/null
[ -f "$DJANGO_STATIC_ROOT/staticfiles.json" ] || "$PY" manage.py collectstatic --noinput -v 0

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# RSS in MB of each gunicorn worker of master $1, one line "pid rss".
worker_rss() {
  local pid
  for pid in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
    awk -v pid="$pid" '/^VmRSS:/ { printf "%s %.1f\n", pid, $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || true
  done
}

wait_for() {
  local _
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "$1 did not come up" >&2
  return 1
}
