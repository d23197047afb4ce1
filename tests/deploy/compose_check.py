#!/usr/bin/env python3
"""compose_check.py SOURCE_DIR COMPOSE_YAML: checks deploy/docker/compose.yaml's
structure: PostgreSQL 15, Redis 7, the five services, Prometheus, Grafana and
the gateway are there; every depends_on names a service, and one waiting for
service_healthy has a healthcheck; every bind mount's source exists (paths
are relative to the compose file) and every named volume is declared; the
build context and Dockerfile exist; each hotline service listens beyond
loopback on its dev ports, is health-checked with hotline-probe on that port,
waits for PostgreSQL and Redis, finds its peers at services that exist, and
gets no HOTLINE_* variable it does not know (it would refuse to start);
the mounted Prometheus configuration scrapes each at its metrics port.
Prints each problem; exits 1 when there is one."""

import os
import sys

from compose_common import SERVICES, environment, listen_port, load_yaml
from settings_names import known_variables

CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


def main(path, source_dir):
    errors = []
    base = os.path.dirname(os.path.abspath(path))
    doc = load_yaml(path) or {}
    services = doc.get("services") or {}
    volumes = doc.get("volumes") or {}

    def image_of(name):
        return str((services.get(name) or {}).get("image", ""))

    for name, prefix in [("postgres", "postgres:15"), ("redis", "redis:7"), ("prometheus", "prom/prometheus"),
                         ("grafana", "grafana/grafana"), ("envoy", "envoyproxy/envoy")]:
        if not image_of(name).startswith(prefix):
            errors.append(f"service {name}: image {image_of(name)!r} is not {prefix}")

    for name, svc in services.items():
        deps = svc.get("depends_on") or {}
        if isinstance(deps, list):
            deps = {d: {"condition": "service_started"} for d in deps}
        for dep, how in deps.items():
            if dep not in services:
                errors.append(f"service {name}: depends on {dep}, which is not a service")
                continue
            condition = (how or {}).get("condition", "service_started")
            if condition not in CONDITIONS:
                errors.append(f"service {name}: depends on {dep} with unknown condition {condition}")
            if condition == "service_healthy" and not (services[dep] or {}).get("healthcheck"):
                errors.append(f"service {name}: waits for {dep} to be healthy, but {dep} has no healthcheck")
        for mount in svc.get("volumes") or []:
            source = mount.split(":")[0] if isinstance(mount, str) else mount.get("source", "")
            if source.startswith((".", "/")):
                if not os.path.exists(os.path.join(base, source)):
                    errors.append(f"service {name}: mounts {source}, which does not exist "
                                  f"(relative to {os.path.relpath(base)})")
            elif source not in volumes:
                errors.append(f"service {name}: mounts volume {source}, which is not declared under volumes")
        build = svc.get("build")
        if build:
            context = os.path.join(base, build.get("context", ".") if isinstance(build, dict) else build)
            dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
            if not os.path.isfile(os.path.join(context, dockerfile)):
                errors.append(f"service {name}: builds {dockerfile} in {build}, which does not exist")
        for port in svc.get("ports") or []:
            if not str(port).startswith("127.0.0.1:"):
                errors.append(f"service {name}: publishes {port} beyond this machine (use 127.0.0.1:)")

    for i, name in enumerate(SERVICES, start=1):
        svc = services.get(name)
        if not svc:
            errors.append(f"service {name}: missing")
            continue
        _check_hotline_service(name, svc, i, services, errors)
        for var in sorted(environment(svc)):
            if var.startswith("HOTLINE_") and var not in known_variables(source_dir, name):
                errors.append(f"service {name}: hotline-{name} has no setting {var} and would refuse to start")
    _check_scrape_targets(base, services, errors)
    for e in errors:
        print(f"{path}: {e}")
    return 1 if errors else 0


def _check_hotline_service(name, svc, index, services, errors):
    env = environment(svc)
    grpc, metrics = 50050 + index, 9100 + index
    if env.get("HOTLINE_LISTEN") != f"0.0.0.0:{grpc}":
        errors.append(f"service {name}: HOTLINE_LISTEN is {env.get('HOTLINE_LISTEN')!r}, not 0.0.0.0:{grpc}")
    if env.get("HOTLINE_METRICS_LISTEN") != f"0.0.0.0:{metrics}":
        errors.append(f"service {name}: HOTLINE_METRICS_LISTEN is {env.get('HOTLINE_METRICS_LISTEN')!r}, "
                      f"not 0.0.0.0:{metrics} (Prometheus scrapes {name}:{metrics})")
    if env.get("HOTLINE_ALLOW_INSECURE") != "true" and not env.get("HOTLINE_TLS_CERT"):
        errors.append(f"service {name}: plaintext on 0.0.0.0 needs HOTLINE_ALLOW_INSECURE=true (or TLS)")
    for needed in ("HOTLINE_PG_URI", "HOTLINE_REDIS_ADDRESS", "HOTLINE_TOKENS_FILE", "HOTLINE_SERVICE_TOKEN_FILE"):
        if not env.get(needed):
            errors.append(f"service {name}: {needed} is not set")
    test = " ".join(str(t) for t in (svc.get("healthcheck") or {}).get("test") or [])
    if "hotline-probe" not in test or f":{grpc}" not in test:
        errors.append(f"service {name}: healthcheck {test!r} does not ask hotline-probe on port {grpc}")
    deps = svc.get("depends_on") or {}
    for dep in ("postgres", "redis"):
        if isinstance(deps, list) or (deps.get(dep) or {}).get("condition") != "service_healthy":
            errors.append(f"service {name}: does not wait for {dep} to be healthy")
    for peer in SERVICES:
        address = env.get(f"HOTLINE_{peer.upper()}_ADDRESS", "")
        host, _, port = address.rpartition(":")
        if host not in services or not port.isdigit() or int(port) != listen_port(services[host]):
            errors.append(f"service {name}: HOTLINE_{peer.upper()}_ADDRESS {address!r} is not the {peer} service")


def _check_scrape_targets(base, services, errors):
    """The Prometheus configuration mounted into the prometheus service (when
    it is there) scrapes each hotline service at its name and metrics port."""
    for mount in (services.get("prometheus") or {}).get("volumes") or []:
        source, _, target = str(mount).partition(":")
        path = os.path.join(base, source)
        if not target.startswith("/etc/prometheus/prometheus.yml") or not os.path.isfile(path):
            continue
        jobs = {j.get("job_name"): j for j in (load_yaml(path) or {}).get("scrape_configs") or []}
        for name in SERVICES:
            targets = [t for sc in (jobs.get(name) or {}).get("static_configs") or [] for t in sc.get("targets") or []]
            port = listen_port(services.get(name) or {}, "HOTLINE_METRICS_LISTEN")
            if f"{name}:{port}" not in targets:
                errors.append(f"prometheus: job {name} does not scrape {name}:{port} (targets {targets})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[2], sys.argv[1]))
