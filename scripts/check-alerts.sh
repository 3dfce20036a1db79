#!/usr/bin/env bash
# Checks ops/prometheus with the real tools of Debian's `prometheus` package: the scrape
# configuration, the alert rules, and the rules' unit tests (one test group per alert).
set -euo pipefail
cd "$(dirname "$0")/../ops/prometheus"
if ! command -v promtool >/dev/null 2>&1; then echo "promtool is not installed (apt-get install prometheus)" >&2; exit 1; fi
promtool check config prometheus.yml
promtool check rules alerts.yml
promtool test rules alerts.test.yml
