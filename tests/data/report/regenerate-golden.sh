#!/bin/sh
# Regenerates tests/data/report/samples-findings.json, the golden findings.json of samples/.
# Run it by hand (from the repository root) only after a deliberate change to the rules, the
# engine, the writers or the samples, and review `git diff` of the file before committing it.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
auditor audit samples/cases/2026-03.xlsx --orders samples/orders/orders.xlsx \
    --out "$tmp" --quiet --fail-on never || status=$?
[ "$status" -eq 0 ]
cp "$tmp/findings.json" tests/data/report/samples-findings.json
echo "wrote tests/data/report/samples-findings.json"
