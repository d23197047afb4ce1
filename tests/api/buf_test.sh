#!/usr/bin/env bash
# The API's conventions, checked by buf against buf.yaml at the source root:
#   buf_test.sh SOURCE_ROOT lint      every rule of buf.yaml's lint section
#   buf_test.sh SOURCE_ROOT breaking  no wire- or source-breaking change to
#                                     proto/ since the previous commit
# buf comes from tools/buf (npm); when it is not installed and cannot be
# (no npm or no network, as in CI) the test is skipped with exit code 77.
set -uo pipefail
ROOT=${1:?usage: buf_test.sh SOURCE_ROOT lint|breaking}
MODE=${2:?usage: buf_test.sh SOURCE_ROOT lint|breaking}
cd "$ROOT" || exit 2
readonly SKIP=77

if ! BUF=$(tools/buf/install.sh); then
  echo "SKIP: buf is not installed and could not be installed (tools/buf/install.sh needs npm and network)"
  exit "$SKIP"
fi
echo "buf $("$BUF" --version) at $BUF"

case "$MODE" in
  lint)
    if "$BUF" lint; then
      echo "ok: buf lint over proto/ (buf.yaml)"
      exit 0
    fi
    echo "FAIL: buf lint: document every service, RPC, message, field, enum and value (see buf.yaml)"
    exit 1
    ;;
  breaking)
    if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
      echo "SKIP: $ROOT is not a git checkout, no previous commit to compare with"
      exit "$SKIP"
    fi
    if ! git rev-parse --verify -q 'HEAD~1^{commit}' >/dev/null; then
      echo "SKIP: no previous commit (first commit or shallow clone); fetch more history to compare"
      exit "$SKIP"
    fi
    if [ -z "$(git ls-tree HEAD~1 proto)" ]; then
      echo "SKIP: the previous commit has no proto/"
      exit "$SKIP"
    fi
    before=$(mktemp -d)
    trap 'rm -rf "$before"' EXIT
    git archive HEAD~1 proto | tar -x -C "$before" || exit 2
    echo "comparing proto/ with $(git log -1 --format='%h %s' HEAD~1 | cut -c1-72)"
    if "$BUF" breaking --against "$before/proto"; then
      echo "ok: no breaking change to proto/ since the previous commit"
      exit 0
    fi
    echo "FAIL: buf breaking: proto/ breaks clients of the previous commit's API"
    exit 1
    ;;
  *)
    echo "unknown mode '$MODE' (lint or breaking)"
    exit 2
    ;;
esac
