#!/usr/bin/env bash
# The most common first run on a small server: as root, `git clone` into a private folder (mode 700,
# as /root is), `npm ci`, then `npm run dev` with no Postgres at the address it tries and no system
# Chromium. The embedded PostgreSQL must start (it runs as the `postgres` user, which cannot enter the
# clone: its binaries and cluster go to /var/lib/spotify-sync) and the demo sync must complete; then
# the test setup's embedded path, from the same clone. Everything it started is stopped, and the
# clone, the cluster and (when this run created it) /var/lib/spotify-sync are removed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
if [ "$(id -u)" -ne 0 ]; then echo "run this as root: it checks what root meets in a private folder" >&2; exit 1; fi

shared=/var/lib/spotify-sync
shared_existed=$([ -e "$shared" ] && echo yes || echo no)
private=$(mktemp -d)
chmod 700 "$private"
app="$private/spotify-sync"
bare_bin=$(mktemp -d)
dev=
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

cleanup() {
  if [ -n "$dev" ]; then
    kill -INT -- "-$dev" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$dev" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$dev" 2>/dev/null || true
  fi
  # The cluster the clone's .data/postgres links to, and its server if dev could not stop it.
  cluster=$(readlink "$app/.data/postgres" 2>/dev/null || true)
  if [ -n "$cluster" ]; then
    pid=$(head -n1 "$cluster/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then kill -INT "$pid" 2>/dev/null || true; for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done; fi
    rm -rf "$cluster"
  fi
  if [ "$shared_existed" = no ]; then rm -rf "$shared"; fi
  rm -rf "$private" "$bare_bin"
}
trap cleanup EXIT

echo "cloning into $app (its folder: $(stat -c %A "$private"))"
git clone -q "$repo" "$app"
cd "$app"
npm ci --no-audit --no-fund --loglevel=error

# No system Chromium on PATH (as on the bare-machine step); /usr/sbin for useradd.
for f in /usr/bin/* /usr/local/bin/*; do
  case "$(basename "$f")" in chromium*|google-chrome*) ;; *) ln -sf "$f" "$bare_bin/" ;; esac
done
bare_path="$bare_bin:/usr/sbin:/sbin"
# Nothing listens on the local address dev tries first, as on a server with no Postgres at all.
no_postgres_port=$(free_port)
port=$(free_port)
account="private-root-$(node -e "console.log(require('crypto').randomBytes(4).toString('hex'))")"

echo "npm run dev (demo mode, API on $port, no Postgres on 127.0.0.1:$no_postgres_port)"
env -u DATABASE_URL -u SPOTIFY_SYNC_DATA_DIR -u SPOTIFY_CLIENT_ID -u TEMPORAL_ADDRESS PATH="$bare_path" \
  DEV_LOCAL_DATABASE_URL="postgres://postgres@127.0.0.1:$no_postgres_port/spotify_sync" \
  PORT="$port" SIM_PORT="$(free_port)" DEMO_TRACKS=200 DEMO_PLAYLISTS=4 DEMO_ACCOUNT_ID="$account" TEMPORAL_TASK_QUEUE="$account" \
  setsid npm run dev > "$private/dev.log" 2>&1 &
dev=$!

fail() { echo "$1" >&2; echo "--- npm run dev's log:" >&2; tail -80 "$private/dev.log" >&2; exit 1; }
state=
for _ in $(seq 1 150); do
  kill -0 "$dev" 2>/dev/null || fail "npm run dev ended before the demo sync completed"
  state=$(curl -fsS "http://127.0.0.1:$port/api/sync/status?accountId=$account" 2>/dev/null | node -e "
    let s = ''; process.stdin.on('data', (c) => (s += c)).on('end', () => { try { console.log(JSON.parse(s).state ?? ''); } catch { console.log(''); } });
  " || true)
  [ "$state" = complete ] && break
  sleep 1
done
[ "$state" = complete ] || fail "the demo sync did not complete within 150 s (state: ${state:-no answer})"
grep -E '^postgres +\| embedded PostgreSQL \(data in /var/lib/spotify-sync/postgres-[0-9a-f]+\) listening' "$private/dev.log" \
  || fail "npm run dev did not start the embedded PostgreSQL in /var/lib/spotify-sync"
grep -E '^postgres +\| the postgres user cannot enter ' "$private/dev.log"
[ -L .data/postgres ] || fail ".data/postgres is not a link to the cluster"
echo "demo sync complete; .data/postgres -> $(readlink .data/postgres)"

# Ctrl-C, as a user in a terminal would (the whole foreground process group).
kill -INT -- "-$dev"
code=0
for _ in $(seq 1 60); do kill -0 "$dev" 2>/dev/null || break; sleep 1; done
if kill -0 "$dev" 2>/dev/null; then fail "npm run dev did not stop within 60 s of Ctrl-C"; fi
wait "$dev" || code=$?
dev=
# npm, Ctrl-C'd with its script, ends with 130 whatever the script did; dev itself says how it ended.
[ "$code" -eq 0 ] || [ "$code" -eq 130 ] || fail "npm run dev exited with $code after Ctrl-C"
grep -qE '^dev +\| stopped$' "$private/dev.log" || fail "npm run dev did not report a clean stop"
[ ! -e "$(readlink .data/postgres)/postmaster.pid" ] || fail "the embedded PostgreSQL still runs after Ctrl-C"

echo "the test setup's embedded PostgreSQL, from the same clone (no Postgres at the configured address)"
PATH="$bare_path" TEST_DATABASE_ADMIN_URL="postgres://postgres@127.0.0.1:$no_postgres_port/postgres" CHROMIUM_PATH= \
  npx vitest run test/dev/embedded-postgres.test.ts test/dev/embedded-postgres-private-folder.test.ts
