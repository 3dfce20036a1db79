#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine (Debian's docker-compose can do that), with a
# sample environment, and checks that it refuses to start without TOKEN_ENCRYPTION_KEY.
set -euo pipefail
cd "$(dirname "$0")/.."
compose=$(command -v docker-compose || true)
if [ -z "$compose" ]; then echo "docker-compose is not installed (apt-get install docker-compose)" >&2; exit 1; fi
sample=$(mktemp)
trap 'rm -f "$sample"' EXIT
printf 'TOKEN_ENCRYPTION_KEY=%064d\nSPOTIFY_CLIENT_ID=sample-client-id\n' 0 > "$sample"
"$compose" --env-file "$sample" -f docker-compose.yml config -q
if "$compose" --env-file /dev/null -f docker-compose.yml config -q 2>/dev/null; then
  echo "docker-compose.yml accepted a missing TOKEN_ENCRYPTION_KEY" >&2
  exit 1
fi
echo "docker-compose.yml is valid"
