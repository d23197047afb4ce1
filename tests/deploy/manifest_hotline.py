"""The checks of the rendered chart that are about the hotline itself: each
service's Deployment, its HOTLINE_* variables and data files, the migration
Job, the gateway's routes and where PostgreSQL and Redis are. Each appends a
sentence to `errors`."""

import re

import yaml

from envoy_rules import check_envoy
from manifest_model import (SERVICES, WORKLOADS, container_env, containers, pod_spec, secret_data)
from public_services import internal_services, public_services
from settings_names import known_variables


def hotline_container(d, svc):
    for c in pod_spec(d).get("containers") or []:
        if (c.get("command") or [None])[0] == f"hotline-{svc}":
            return c
    return None


def check_hotline_deployments(m, errors):
    for svc in SERVICES:
        found = [(d, hotline_container(d, svc)) for d in m.all("Deployment") if hotline_container(d, svc)]
        if len(found) != 1:
            errors.append(f"service {svc}: {len(found)} Deployments run hotline-{svc}, want 1")
            continue
        d, c = found[0]
        where = f"Deployment {d['metadata']['name']}"
        env = container_env(m, c)
        ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
        listen = env.get("HOTLINE_LISTEN", "")
        if not listen.startswith("0.0.0.0:") or ports.get("grpc") != int(listen.rpartition(":")[2] or 0):
            errors.append(f"{where}: HOTLINE_LISTEN {listen!r} is not 0.0.0.0 on its grpc port {ports.get('grpc')}")
        metrics = env.get("HOTLINE_METRICS_LISTEN", "")
        if ports.get("metrics") is None or metrics != f"0.0.0.0:{ports.get('metrics')}":
            errors.append(f"{where}: HOTLINE_METRICS_LISTEN {metrics!r} is not 0.0.0.0 on its metrics port")
        if env.get("HOTLINE_ALLOW_INSECURE") != "true" and not env.get("HOTLINE_TLS_CERT"):
            errors.append(f"{where}: plaintext on 0.0.0.0 needs HOTLINE_ALLOW_INSECURE=true or TLS settings")
        for probe in ("startupProbe", "readinessProbe"):
            if ((c.get(probe) or {}).get("grpc") or {}).get("port") != ports.get("grpc"):
                errors.append(f"{where}: {probe} is not a gRPC health probe on port {ports.get('grpc')}")
        requests = (c.get("resources") or {}).get("requests") or {}
        if not requests.get("cpu") or not requests.get("memory"):
            errors.append(f"{where}: needs CPU and memory requests")
        if not (pod_spec(d).get("securityContext") or {}).get("runAsNonRoot"):
            errors.append(f"{where}: does not run as non-root")
        for key in ("HOTLINE_PG_URI", "HOTLINE_REDIS_ADDRESS"):
            if not env.get(key, "").startswith("<from"):
                errors.append(f"{where}: {key} does not come from the Secret")
        mounts = {mo.get("mountPath") for mo in c.get("volumeMounts") or []}
        for key in ("HOTLINE_TOKENS_FILE", "HOTLINE_SERVICE_TOKEN_FILE"):
            if not any(env.get(key, "").startswith(p + "/") for p in mounts):
                errors.append(f"{where}: {key} {env.get(key)!r} is not in a mounted volume")
        for key, value in env.items():
            if key.endswith("_FILE") and value.startswith("/etc/hotline/data/"):
                check_data_file(m, d, key, value, errors)
        peers = {p: env.get(f"HOTLINE_{p.upper()}_ADDRESS", "") for p in SERVICES}
        for peer, address in peers.items():
            host, _, port = address.rpartition(":")
            service = m.get("Service", host)
            if not service or int(port or 0) not in [p.get("port") for p in service["spec"].get("ports") or []]:
                errors.append(f"{where}: HOTLINE_{peer.upper()}_ADDRESS {address!r} is not a Service port of the chart")


def check_hotline_variables(source_dir, m, errors):
    """A service refuses to start on a HOTLINE_* variable it does not know:
    every one its container gets must be a setting of that service, and the
    pod must not get Kubernetes' service-link variables (HOTLINE_INTAKE_PORT
    and the like for a Service named hotline-intake)."""
    for d in m.all("Deployment", "Job"):
        for c in containers(d):
            command = c.get("command") or [""]
            if command[0] == "hotline-migrate" and len(command) > 1:
                svc = command[1]
            elif command[0].startswith("hotline-") and command[0][len("hotline-"):] in SERVICES:
                svc = command[0][len("hotline-"):]
            else:
                continue
            where = f"{d['kind']} {d['metadata']['name']} container {c.get('name')}"
            known = known_variables(source_dir, svc)
            for name in sorted(container_env(m, c)):
                if name.startswith("HOTLINE_") and name not in known:
                    errors.append(f"{where}: hotline-{svc} has no setting {name} and would refuse to start")
            links = [s["metadata"]["name"] for s in m.all("Service")
                     if s["metadata"]["name"].upper().replace("-", "_").startswith("HOTLINE_")]
            if links and pod_spec(d).get("enableServiceLinks") is not False:
                errors.append(f"{where}: enableServiceLinks is not false, so Services such as {links[0]} "
                              "add HOTLINE_* variables hotline-" + svc + " refuses")


def check_data_file(m, d, key, value, errors):
    name = value.rpartition("/")[2]
    volumes = {v.get("name"): v for v in pod_spec(d).get("volumes") or []}
    for c in pod_spec(d).get("containers") or []:
        for mount in c.get("volumeMounts") or []:
            if mount.get("mountPath") == "/etc/hotline/data":
                cm = m.get("ConfigMap", (volumes.get(mount.get("name")) or {}).get("configMap", {}).get("name"))
                if cm and (cm.get("data") or {}).get(name, "").strip():
                    return
    errors.append(f"Deployment {d['metadata']['name']}: {key} {value} is not in a mounted ConfigMap")


def hook_weight(doc):
    return int(((doc.get("metadata") or {}).get("annotations") or {}).get("helm.sh/hook-weight", "0"))


def hooks(doc):
    return str(((doc.get("metadata") or {}).get("annotations") or {}).get("helm.sh/hook", "")).split(",")


def check_job(m, errors):
    jobs = m.all("Job")
    if len(jobs) != 1:
        errors.append(f"want one migration Job, found {len(jobs)}")
        return
    job = jobs[0]
    where = f"Job {job['metadata']['name']}"
    if "pre-upgrade" not in hooks(job):
        errors.append(f"{where}: not a pre-upgrade hook (helm.sh/hook: {hooks(job)})")
    if pod_spec(job).get("restartPolicy") not in ("Never", "OnFailure"):
        errors.append(f"{where}: restartPolicy must be Never or OnFailure")
    migrated = sorted(c.get("command", [None, None])[1] for c in containers(job)
                      if (c.get("command") or [None])[0] == "hotline-migrate")
    if migrated != sorted(SERVICES):
        errors.append(f"{where}: runs hotline-migrate for {migrated}, want all of {sorted(SERVICES)}")
    # Everything the Job reads must exist before it runs: hooks of the same
    # events with a lower weight.
    used = set()
    for c in containers(job):
        for s in c.get("envFrom") or []:
            used.add(("ConfigMap", (s.get("configMapRef") or {}).get("name")))
        for e in c.get("env") or []:
            ref = (e.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                used.add(("Secret", ref.get("name")))
    for v in pod_spec(job).get("volumes") or []:
        if "configMap" in v:
            used.add(("ConfigMap", v["configMap"].get("name")))
        if "secret" in v:
            used.add(("Secret", v["secret"].get("secretName")))
    for kind, name in sorted(used):
        doc = m.get(kind, name)
        if doc and not made_before(doc, job):
            errors.append(f"{where}: reads {kind} {name}, which is not made before it runs "
                          f"(hooks {hooks(job)})")


def made_before(doc, job):
    """Whether `doc` exists when each hook event of `job` runs it: made by a
    hook of the same event with a lower weight, or, for a post- event, by the
    release itself or by its pre- hook."""
    for event in hooks(job):
        same = event in hooks(doc) and hook_weight(doc) < hook_weight(job)
        if event.startswith("post-"):
            pre = "pre-" + event[len("post-"):]
            if not (same or hooks(doc) == [""] or pre in hooks(doc)):
                return False
        elif not same:
            return False
    return True


def check_gateway(source_dir, m, errors):
    gateways = [c for c in m.all("ConfigMap") if "envoy.yaml" in (c.get("data") or {})]
    for gw in gateways:
        config = yaml.safe_load(gw["data"]["envoy.yaml"])

        def cluster_host(name):
            # The gateway must reach every replica: the service's headless Service
            # (clusterIP None) when the chart has one, else its Service.
            services = [s for s in m.all("Service")
                        if ((s.get("metadata") or {}).get("labels") or {}).get("app.kubernetes.io/component") == name]
            services.sort(key=lambda s: s["spec"].get("clusterIP") != "None")
            for s in services:
                grpc = [p.get("port") for p in s["spec"].get("ports") or [] if p.get("name") == "grpc"]
                return (s["metadata"]["name"], grpc[0] if grpc else None)
            return None

        check_envoy(config, public_services(source_dir), internal_services(source_dir), cluster_host, errors,
                    where=f"ConfigMap {gw['metadata']['name']} envoy.yaml")


def check_stores(m, external, errors):
    """external: None, or the values file's {"pg-uri": ..., "redis-address": ...}."""
    secrets = [secret_data(s) for s in m.all("Secret")]
    images = {str(c.get("image", "")).split(":")[0].rpartition("/")[2]: w["metadata"]["name"]
              for w in m.all(*WORKLOADS) for c in pod_spec(w).get("containers") or []}
    for store, image, port, key in (("PostgreSQL", "postgres", 5432, "pg-uri"), ("Redis", "redis", 6379, "redis-address")):
        for data in secrets:
            value = data.get(key) or ""
            host = re.sub(r"^[a-z]+://([^@/]*@)?", "", value).split("/")[0].rpartition(":")[0] or value
            service = m.get("Service", host)
            if external is not None:
                if value != external.get(key):
                    errors.append(f"external {store}: the Secret's {key} {value!r} is not the values' "
                                  f"{external.get(key)!r}")
                if image in images:
                    errors.append(f"external {store}: the chart still runs {images[image]} ({image})")
                if service:
                    errors.append(f"external {store}: {key} points at the in-cluster Service {host}")
            elif not service or port not in [p.get("port") for p in service["spec"].get("ports") or []]:
                errors.append(f"in-cluster {store}: {key} {host!r} is not a Service of the chart on port {port}")
