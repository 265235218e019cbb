#!/usr/bin/env bash
# Checks that a production install runs Folio: builds dist/, copies the tracked files and dist/
# to a temporary directory, installs with `npm ci --omit=dev` (no esbuild, tsx, vitest, …), starts
# `folio serve` there (embedded Postgres and S3, Redis from REDIS_URL or 127.0.0.1:6379, the real
# engine) and OCRs a generated PNG with `folio submit --wait`. Exit 0 when the text comes back.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs --quiet
work="$(mktemp -d)"; chmod 755 "$work"
trap 'kill "${serve:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
git ls-files -co --exclude-standard | grep -v '^node_modules/' | tar -cf - -T - dist | tar -xf - -C "$work"
npx tsx -e "import('@folio/documents/testing').then(async (m) => require('node:fs').writeFileSync('$work/sample.png', await m.makeTextPng(['Corner shop receipt', 'Total 12.50'])))"
cd "$work"
ONNXRUNTIME_NODE_INSTALL=skip npm ci --omit=dev --no-audit --no-fund --loglevel=error
test ! -e node_modules/esbuild && test ! -e node_modules/tsx && test ! -e node_modules/vitest
export FOLIO_HOME="$work/home" PORT="${PORT:-18499}" OCR_ENGINE_WORKERS=1 LOG_LEVEL=warn
node dist/cli.js serve > serve.log 2>&1 & serve=$!
for _ in $(seq 1 120); do grep -q 'Folio is running' serve.log && break; sleep 1; done
grep -q 'Folio is running' serve.log || { cat serve.log; exit 1; }
out="$(node dist/cli.js submit sample.png --wait 2>/dev/null)"
echo "$out"
grep -q 'Total 12.50' <<<"$out"
echo "production install: OK"
