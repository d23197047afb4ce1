#!/usr/bin/env bash
# Installs buf (the npm package @bufbuild/buf, pinned in package-lock.json) into
# tools/buf/node_modules and prints the path of its binary. Exits 1 without
# output when it cannot (no npm, or no network: CI reaches only Debian's
# repositories). Safe to run from parallel tests: one installs, the others wait.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)

find_buf() {
  # The native binary first: the .bin/buf wrapper needs node.
  local b
  for b in "$here"/node_modules/@bufbuild/buf-*/bin/buf "$here/node_modules/.bin/buf"; do
    if [ -x "$b" ] && "$b" --version >/dev/null 2>&1; then
      echo "$b"
      return 0
    fi
  done
  return 1
}

find_buf && exit 0
command -v npm >/dev/null 2>&1 || { echo "buf: npm is not installed" >&2; exit 1; }
exec 9>"$here/.install.lock"
flock 9
find_buf && exit 0
echo "buf: installing @bufbuild/buf with npm ci into $here" >&2
if ! timeout 180 npm ci --prefix "$here" --no-audit --no-fund --fetch-retries=0 \
     --fetch-timeout=20000 >&2; then
  echo "buf: npm ci failed (no network?)" >&2
  exit 1
fi
find_buf
