#!/usr/bin/env bash
# Fuzzes the HTTP API with schemathesis (PyPI) over every operation its /openapi.json declares, as a
# person of a household (a personal control token; API_TOKEN set too): `npm run dev` in demo mode (Temporal dev server, the simulator, the worker and the
# API, on free ports, with a database, task queue and demo account of their own, so that a dev server
# already answering on 7233 is shared safely) is started, fuzzed, stopped and its database dropped.
# FUZZ_MAX_EXAMPLES (default 20) bounds the run; the default checks must all pass.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.tools/schemathesis
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
fi

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
admin_url=${TEST_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
db="spotify_sync_fuzz_$(node -e "console.log(require('crypto').randomBytes(4).toString('hex'))")"
work=$(mktemp -d)
port=$(free_port)
token=$(node -e "console.log(require('crypto').randomBytes(24).toString('hex'))")

SPOTIFY_SYNC_DATA_DIR="$work" PORT="$port" SIM_PORT="$(free_port)" API_TOKEN="$token" \
  DATABASE_URL="${admin_url%/*}/$db" DEMO_TRACKS=200 DEMO_PLAYLISTS=4 \
  DEMO_ACCOUNT_ID="$db" TEMPORAL_TASK_QUEUE="$db" \
  node --import tsx src/bin/main.ts dev > "$work/dev.log" 2>&1 &
dev=$!
cleanup() {
  # Ctrl-C as a user would; dev stops its parts in order (the worker, Temporal, the simulator).
  kill -INT "$dev" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$dev" 2>/dev/null || break; sleep 1; done
  kill -KILL "$dev" 2>/dev/null || true
  node -e "
    const pg = require('pg');
    const c = new pg.Client({ connectionString: process.argv[1] });
    c.connect().then(() => c.query('drop database if exists ' + c.escapeIdentifier(process.argv[2]) + ' with (force)')).finally(() => c.end());
  " "$admin_url" "$db" || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 180); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then break; fi
  if ! kill -0 "$dev" 2>/dev/null; then cat "$work/dev.log" >&2; echo "npm run dev ended before the API was ready" >&2; exit 1; fi
  sleep 1
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" || { tail -50 "$work/dev.log" >&2; exit 1; }

# A household, as people run one: the demo account signs in with a personal token of its own (which forms
# the household: from now on nothing personal answers without a session or token), beside a read-only
# one; the fuzzer speaks with the control token, so every route meets the one gate and account rule.
cli() { DATABASE_URL="${admin_url%/*}/$db" node --import tsx src/bin/main.ts "$@"; }
cli tokens create --account "$db" --name "fuzz read" --scope read > /dev/null
personal=$(cli tokens create --account "$db" --name fuzz --scope control | tail -n 1)
case "$personal" in sst_*) ;; *) echo "could not make a personal token for the fuzzer" >&2; exit 1 ;; esac
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/sync/status")
[ "$code" = 401 ] || { echo "the household did not close the status route (got $code)" >&2; exit 1; }

# schemathesis ends its report with banner lines in pytest's shape ("=== 2 warnings in 11.92s ==="),
# which a CI log reader takes for a pytest run that executed no test: the banners are rewritten
# ("schemathesis: 2 warnings (11.92 s)", "--- SUMMARY ---"), so no line of the log but the test
# suite's own reads as a test runner's closing line.
set +e
"$venv/bin/schemathesis" --config-file ops/schemathesis.toml run "http://127.0.0.1:$port/openapi.json" \
  --header "Authorization: Bearer $personal" \
  --max-examples "${FUZZ_MAX_EXAMPLES:-20}" \
  ${FUZZ_SEED:+--seed "$FUZZ_SEED"} \
  --request-timeout 20 2>&1 | sed -u -E -e 's/^=+ (.*) in ([0-9.]+)s =+$/schemathesis: \1 (\2 s)/' -e 's/^=+ (.*) =+$/--- \1 ---/'
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo "--- the API's errors during the run (npm run dev's log):" >&2
  grep -iE 'error|fail' "$work/dev.log" | tail -40 >&2 || true
fi
exit "$status"
