#!/usr/bin/env python3
"""envoy_check.py SOURCE_DIR ENVOY_YAML COMPOSE_YAML: checks the compose
gateway's configuration (envoy_rules.py): every public service of proto/
routed to its service's cluster, grpc_web and cors before the router, every
route's cluster defined, HTTP/2 upstreams at the compose service's own gRPC
port. Prints each problem; exits 1 when there is one."""

import sys

from compose_common import listen_port, load_yaml
from envoy_rules import check_envoy
from public_services import internal_services, public_services


def main(source_dir, envoy_path, compose_path):
    compose = (load_yaml(compose_path) or {}).get("services") or {}

    def cluster_host(name):
        if name not in compose:
            return None
        return (name, listen_port(compose[name]))

    errors = []
    check_envoy(load_yaml(envoy_path), public_services(source_dir), internal_services(source_dir),
                cluster_host, errors, where=envoy_path)
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
