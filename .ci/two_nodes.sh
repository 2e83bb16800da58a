#!/usr/bin/env bash
# Two app nodes on one PostgreSQL and one Redis, plus one task worker (docs/deploy.md, "More than one machine").
#
#   bash .ci/two_nodes.sh        (from anywhere; needs PostgreSQL on 127.0.0.1:5432 and redis-server installed)
#
# Shows that: both nodes answer /healthz with database, cache (Redis) and queue ok; a coordinator signed in on
# node 1 starts a consolidated report build there, the worker builds it, and node 2 shows it done and serves the
# file (sessions in the database, media shared); the reminder job run on both nodes at once sends each reminder
# once. Exits non-zero at the first failure; the last line says "two nodes: N passed, 0 failed".
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
PY="${PYTHON:-$ROOT/.venv/bin/python}"
PG_HOST=127.0.0.1
PG_PORT=5432
PG_DB=plantrack_two_nodes
WORK=$(mktemp -d)
PIDS=()

WORKER_PID=""
cleanup() {
    local rc=$?
    # The worker first, by its main process only: a TERM to its whole group kills its sentinel abruptly and can
    # leave the main process waiting forever. It then stops its own processes; the group is killed after 20 s.
    if [[ -n $WORKER_PID ]]; then
        kill -TERM "$WORKER_PID" 2>/dev/null || true
        for _ in $(seq 1 200); do kill -0 "$WORKER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$WORKER_PID" 2>/dev/null || true
    fi
    for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [[ $rc -ne 0 ]]; then
        for log in "$WORK"/*.log; do echo "--- $log"; tail -n 40 "$log"; done >&2
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# One Redis of our own (no data of another run or another program is touched).
REDIS_PORT=$(free_port)
setsid redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

PGOPTIONS="-c client_min_messages=warning" psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" -c "CREATE DATABASE $PG_DB"

export PLANTRACK_ENV=dev
export DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/$PG_DB"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export MEDIA_ROOT="$WORK/shared-media" # the shared mount (NFS) or the S3 bucket of a real deployment
export PLANTRACK_DATA_DIR="$WORK/data"
export LOG_FORMAT=json
export TASK_WORKERS=1
mkdir -p "$MEDIA_ROOT" "$PLANTRACK_DATA_DIR"

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_default >"$WORK/load.log" 2>&1
"$PY" manage.py demo_cycle >>"$WORK/load.log" 2>&1 || true # the 2025 demo cycle, if load_default did not make it

PORT1=$(free_port)
PORT2=$(free_port)
for n in 1 2; do
    port_var="PORT$n"
    setsid "$(dirname "$PY")/gunicorn" plantrack.wsgi:application --bind "127.0.0.1:${!port_var}" --workers 2 \
        --timeout 120 >"$WORK/node$n.log" 2>&1 &
    PIDS+=($!)
done
setsid "$PY" manage.py qcluster >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!

"$PY" .ci/two_nodes.py "http://127.0.0.1:$PORT1" "http://127.0.0.1:$PORT2" "$WORK/worker.log"
