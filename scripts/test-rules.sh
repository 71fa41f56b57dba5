#!/usr/bin/env bash
# The rules stage (`make test-rules`): the Prometheus alert rules in
# deploy/prometheus/ (docs/spec.md §16) pass `promtool check rules` (syntax,
# PromQL, templates) and their unit tests, `promtool test rules`, which feed
# series to each alert and compare what fires, labels and annotations included.
# promtool comes from Debian's prometheus package (scripts/setup.sh prometheus).
# With runner arguments (`make test-rules ARGS='deploy/prometheus/tests/environment-mismatch.yml'`)
# only those test files run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh prometheus
if [ $# -gt 0 ]; then
  exec /usr/bin/promtool test rules "$@"
fi
/usr/bin/promtool check rules deploy/prometheus/*.rules.yml
/usr/bin/promtool test rules deploy/prometheus/tests/*.yml
