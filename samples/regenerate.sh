#!/bin/sh
# Regenerates every committed sample with `auditor sample` (run from the repository root).
# The same seed gives the same bytes (the workbooks' creation time is pinned), so running it
# again changes nothing unless the generator changed.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One shop's month in the generic layout, with its orders export (the README's first command).
auditor sample --cases 400 --shops 1 --orders --month 2026-03 --seed 20260301 --out "$tmp/generic"
mkdir -p samples/cases samples/orders
mv "$tmp/generic/cases.xlsx" samples/cases/2026-03.xlsx
mv "$tmp/generic/orders.xlsx" samples/orders/orders.xlsx
mv "$tmp/generic/sample-manifest.json" samples/cases-manifest.json

# Platform layouts, each with the platform's own orders export.
auditor sample --cases 200 --shops 1 --profile taobao-refund-c --orders --month 2026-03 \
    --seed 20260302 --out samples/platforms/taobao-refund-c --force
auditor sample --cases 200 --shops 1 --profile douyin-aftersales --orders --month 2026-03 \
    --seed 20260303 --out samples/platforms/douyin-aftersales --force
