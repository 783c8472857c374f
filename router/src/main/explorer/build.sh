#!/usr/bin/env bash
# Builds the explorer page into the router's classes (Maven runs it in generate-resources): npm ci when the locked
# packages changed, then esbuild. Usage: build.sh OUTPUT_DIR STAMP_FILE (the stamp, outside the output, says when it
# was last built)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh OUTPUT_DIR STAMP_FILE}"
stamp="${2:?usage: build.sh OUTPUT_DIR STAMP_FILE}"
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "the router's explorer page is built with Node.js and npm, which are not on the PATH: install them" >&2
  echo "(e.g. 'apt-get install nodejs npm'; Node 18 or newer), or build without the page: -Dexplorer.skip=true" >&2
  exit 1
fi
cd "$here"
# npm ci wipes node_modules: run it only when package-lock.json is newer than the last install (the download cache
# in ~/.npm makes a fresh install take seconds)
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --prefer-offline --loglevel=error
fi
# nothing changed since the last build: keep it
if [[ -f "$stamp" && -f "$out/index.html" && -z "$(find src build.mjs package-lock.json -newer "$stamp" -print -quit)" ]]; then
  exit 0
fi
node build.mjs --out "$out"
mkdir -p "$(dirname "$stamp")" && touch "$stamp"
