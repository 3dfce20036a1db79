#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine (Debian's docker-compose can do that), with a
# sample environment, and checks that it refuses to start without TOKEN_ENCRYPTION_KEY.
set -euo pipefail
cd "$(dirname "$0")/.."
compose=$(command -v docker-compose || true)
if [ -z "$compose" ]; then echo "docker-compose is not installed (apt-get install docker-compose)" >&2; exit 1; fi
sample=$(mktemp)
trap 'rm -f "$sample" "$sample.resolved"' EXIT
printf 'TOKEN_ENCRYPTION_KEY=%064d\nSPOTIFY_CLIENT_ID=sample-client-id\n' 0 > "$sample"
"$compose" --env-file "$sample" -f docker-compose.yml config -q
# `docker compose up --scale worker=3` needs a worker service without a fixed container name or host port.
"$compose" --env-file "$sample" -f docker-compose.yml config > "$sample.resolved"
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { parse } from "yaml";
  const { services } = parse(readFileSync(process.argv[1], "utf8"));
  const worker = services.worker;
  const problems = [];
  if (!worker) problems.push("no worker service");
  else {
    if (worker.container_name) problems.push("the worker has a container_name");
    if (worker.ports?.length) problems.push("the worker publishes host ports");
  }
  if (Object.values(services).some((s) => String(s.image ?? "").includes("auto-setup"))) problems.push("a service uses the deprecated temporalio/auto-setup image");
  if (problems.length) { console.error(problems.join("; ")); process.exit(1); }
' "$sample.resolved"
if "$compose" --env-file /dev/null -f docker-compose.yml config -q 2>/dev/null; then
  echo "docker-compose.yml accepted a missing TOKEN_ENCRYPTION_KEY" >&2
  exit 1
fi
echo "docker-compose.yml is valid (and the worker can be scaled)"
