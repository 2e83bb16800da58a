#!/usr/bin/env bash
# Bounded schemathesis run against a live server: 0 server errors and 0 responses outside the OpenAPI schema.
#
# Starts the app on a free loopback port with a fresh data folder (migrate + load_default: plan 386/KH-UBND and the
# demo accounts), signs two personas in through the API (the coordinator "dieuphoi" and the reporter
# "chuyenvien.stc"), and runs schemathesis for each with the checks not_a_server_error and
# response_schema_conformance, MAX_EXAMPLES examples per operation (default 25), against 127.0.0.1 only.
# Exits non-zero on any 5xx or schema violation. Usage: bash .ci/schemathesis.sh   (PYTHON=… to pick the interpreter)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
SCHEMATHESIS=$(dirname "$PY")/schemathesis
MAX_EXAMPLES=${MAX_EXAMPLES:-25}
WORK=$(mktemp -d)
SERVER_PID=""

cleanup() {
    if [[ -n $SERVER_PID ]]; then kill -TERM -- "-$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export PLANTRACK_ENV=dev
export DEBUG=0 # the production error handling: JSON 404/500 under /api/, no debug pages
export PLANTRACK_DATA_DIR="$WORK/data"
export PLANTRACK_DEMO_PASSWORD="Schemathesis-$(date +%s)"
# Generated requests come fast from one address: lift the API rates and the per-address lockout for this run only.
export API_THROTTLE_USER=100000/minute API_THROTTLE_ANON=100000/minute API_THROTTLE_TOKEN=100000/minute
export AXES_IP_FAILURE_LIMIT=100000 AXES_FAILURE_LIMIT=100000
export CONSOLIDATION_BUILD_MODE=inline
unset DATABASE_URL
mkdir -p "$PLANTRACK_DATA_DIR"

"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_default >"$WORK/load.txt"

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
setsid "$(dirname "$PY")/gunicorn" plantrack.wsgi --bind "127.0.0.1:$PORT" --workers 1 --threads 4 \
    --access-logfile - >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    curl -s -o /dev/null "$BASE/dang-nhap/" && break
    sleep 1
done

token() { # $1 user name → a token from the API's own sign-in
    curl -sf -X POST "$BASE/api/v1/auth/token/" -H 'Content-Type: application/json' \
        -d "{\"username\": \"$1\", \"password\": \"$PLANTRACK_DEMO_PASSWORD\"}" |
        "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

status=0
for persona in dieuphoi chuyenvien.stc; do
    TOKEN=$(token "$persona")
    curl -sf -H "Authorization: Token $TOKEN" "$BASE/api/v1/openapi.json" >"$WORK/openapi.json"
    echo "== schemathesis as $persona ($MAX_EXAMPLES examples per operation, $BASE)"
    # From the temporary folder: schemathesis keeps its example cache in the working directory.
    (cd "$WORK" && "$SCHEMATHESIS" run "$WORK/openapi.json" \
        --url "$BASE" \
        --generation-database none \
        --header "Authorization: Token $TOKEN" \
        --checks not_a_server_error,response_schema_conformance \
        --max-examples "$MAX_EXAMPLES" \
        --seed 386 \
        --request-timeout 30 \
        --no-color) ||
        status=1
done
if [[ $status -ne 0 ]]; then
    echo "schemathesis found server errors or responses outside the schema; the server's log:" >&2
    tail -n 50 "$WORK/server.log" >&2
fi
exit "$status"
