#!/usr/bin/env bash
# The quickstart demo: runs examples/support-bot against the local SmolLM2 server and writes demo-report/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/model-server.sh start
mkdir -p demo-report
set +e
.build/debug/assay run examples/support-bot/assay.yaml \
  --store demo-report/assay.sqlite \
  --json demo-report/report.json --junit demo-report/junit.xml --markdown demo-report/report.md
status=$?
set -e
case $status in
  0) echo "Demo finished: every gate passed. Reports are in demo-report/." ;;
  1) echo "Demo finished: some gates failed (a 135M-parameter model is weak; that is the point of measuring). Reports are in demo-report/." ;;
  *) echo "Demo failed with exit code $status (see the message above)." >&2; exit $status ;;
esac
echo "  demo-report/report.md    Markdown for a pull request"
echo "  demo-report/report.json  the full results (docs/report-format.md)"
echo "  demo-report/junit.xml    for CI test views"
echo "Run it again: the second run answers from the response cache and makes no model calls."
