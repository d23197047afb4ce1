#!/bin/sh
# make-dev-tokens DIR: the dev bearer tokens of the compose stack, made once
# in DIR (a volume the services mount): DIR/tokens (the hashes the services
# read), DIR/service-token (the services' own token) and DIR/dev-tokens (one
# plain token per role, for you: `docker compose logs tokens` prints them).
# The same roles and file shapes as `tools/dev up`.
set -eu
dir=${1:?usage: make-dev-tokens DIR}
branch=${HOTLINE_DEV_BRANCH_ID:-SS-SX}

if [ ! -f "$dir/tokens" ] || [ ! -f "$dir/service-token" ]; then
  umask 027
  : > "$dir/dev-tokens"
  echo "# Token hashes for the compose stack (made by make-dev-tokens)." > "$dir/tokens"
  for role in agent shift_leader dispatcher branch supervisor discipline service admin; do
    token="dev-$role-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    hash=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
    echo "$role $token" >> "$dir/dev-tokens"
    if [ "$role" = service ]; then echo "$token" > "$dir/service-token"; fi
    if [ "$role" = branch ]; then
      echo "sha256:$hash $role dev-$role $branch" >> "$dir/tokens"
    else
      echo "sha256:$hash $role dev-$role" >> "$dir/tokens"
    fi
  done
  # The services run as uid 10001 (deploy/docker/Dockerfile).
  chown 10001:10001 "$dir"/tokens "$dir"/service-token "$dir"/dev-tokens
fi
echo "dev tokens (send as 'authorization: Bearer <token>'; branch = $branch):"
cat "$dir/dev-tokens"
