#!/usr/bin/env python3
"""manifest_check.py SOURCE_DIR MANIFEST.yaml [--external VALUES.yaml]: checks the
documents helm/hotline renders (tools/chart_render) the way the cluster and
the services would find them:

- every document has apiVersion (the one its kind needs), kind and
  metadata.name, and no two share kind and name;
- workloads: the selector matches the pod template's labels; containers
  have an image with a tag; each of the five services has a Deployment whose
  gRPC port is what its HOTLINE_LISTEN says, with gRPC startup and readiness
  probes on it, a liveness probe, CPU and memory requests, a non-root user,
  and PostgreSQL, Redis and token files from the Secret;
- every ConfigMap, Secret (and key) and volume a pod uses exists;
- Services select a workload and name its container ports; HPAs scale a
  Deployment that exists and has CPU requests, with min <= max; PDBs select a
  workload and leave room to evict one pod; ServiceMonitors select a Service
  and scrape a port it has;
- the Secret's service token is in its tokens file with role service;
- the migration Job is a pre-upgrade hook that runs hotline-migrate for each
  service, and what it reads is made before it;
- the gateway's Envoy configuration routes every public service of proto/;
- PostgreSQL and Redis are in-cluster Services, or with --external are
  neither in the manifest nor pointed at in the Secret, which holds the
  postgresql.external.uri and redis.external.address of VALUES.yaml.

Prints each problem; exits 1 when there is one."""

import base64
import hashlib
import re
import sys

import yaml

from envoy_rules import check_envoy
from public_services import internal_services, public_services
from settings_names import known_variables

SERVICES = ["intake", "dispatch", "sla", "outage", "survey"]
API_VERSIONS = {
    "ConfigMap": "v1", "Secret": "v1", "Service": "v1",
    "Deployment": "apps/v1", "StatefulSet": "apps/v1", "Job": "batch/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2", "PodDisruptionBudget": "policy/v1",
    "ServiceMonitor": "monitoring.coreos.com/v1",
}
WORKLOADS = ("Deployment", "StatefulSet")
NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
SECRET_KEYS = ("tokens", "service-token", "pg-uri", "redis-address")


class Manifest:
    def __init__(self, docs):
        self.docs = docs
        self.by_kind = {}
        for d in docs:
            self.by_kind.setdefault(d.get("kind"), {})[(d.get("metadata") or {}).get("name")] = d

    def get(self, kind, name):
        return self.by_kind.get(kind, {}).get(name)

    def all(self, *kinds):
        return [d for k in kinds for d in self.by_kind.get(k, {}).values()]


def pod_spec(doc):
    return (((doc.get("spec") or {}).get("template") or {}).get("spec")) or {}


def pod_labels(doc):
    return (((doc.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels") or {}


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def containers(doc):
    spec = pod_spec(doc)
    return (spec.get("initContainers") or []) + (spec.get("containers") or [])


def secret_data(secret):
    out = {}
    for key, value in ((secret or {}).get("data") or {}).items():
        try:
            out[key] = base64.b64decode(str(value), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            out[key] = None
    return out


def check(source_dir, docs, external):
    errors = []
    m = Manifest(docs)
    seen = set()
    for d in docs:
        kind, name = d.get("kind"), (d.get("metadata") or {}).get("name")
        where = f"{kind} {name}"
        if kind not in API_VERSIONS:
            errors.append(f"{where}: kind {kind!r} is not one the chart should make")
        elif d.get("apiVersion") != API_VERSIONS[kind]:
            errors.append(f"{where}: apiVersion {d.get('apiVersion')!r}, want {API_VERSIONS[kind]}")
        if not name or not NAME.match(str(name)) or len(str(name)) > 63:
            errors.append(f"{where}: metadata.name {name!r} is not a valid name")
        if (kind, name) in seen:
            errors.append(f"{where}: defined twice")
        seen.add((kind, name))
    for d in m.all(*WORKLOADS, "Job"):
        check_pod(m, d, errors)
    for d in m.all(*WORKLOADS):
        check_selector(d, errors)
    check_services(m, errors)
    check_hpas(m, errors)
    check_pdbs(m, errors)
    check_monitors(m, errors)
    check_config(m, errors)
    check_hotline_deployments(m, errors)
    check_hotline_variables(source_dir, m, errors)
    check_job(m, errors)
    check_gateway(source_dir, m, errors)
    check_stores(m, external, errors)
    return errors


def check_selector(d, errors):
    where = f"{d['kind']} {d['metadata']['name']}"
    selector = ((d.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
    if not selector:
        errors.append(f"{where}: no spec.selector.matchLabels")
    elif not selects(selector, pod_labels(d)):
        errors.append(f"{where}: selector {selector} does not match its pod labels {pod_labels(d)}")


def check_pod(m, d, errors):
    where = f"{d['kind']} {d['metadata']['name']}"
    spec = pod_spec(d)
    if not spec.get("containers"):
        errors.append(f"{where}: no containers")
    volumes = {v.get("name"): v for v in spec.get("volumes") or []}
    for claim in (d.get("spec") or {}).get("volumeClaimTemplates") or []:
        volumes[(claim.get("metadata") or {}).get("name")] = {}
    for v in volumes.values():
        if "configMap" in v and not m.get("ConfigMap", v["configMap"].get("name")):
            errors.append(f"{where}: volume {v['name']} uses ConfigMap {v['configMap'].get('name')}, which is not made")
        if "secret" in v:
            secret = m.get("Secret", v["secret"].get("secretName"))
            if not secret:
                errors.append(f"{where}: volume {v['name']} uses Secret {v['secret'].get('secretName')}, which is not made")
            for item in v["secret"].get("items") or []:
                if secret and item.get("key") not in (secret.get("data") or {}):
                    errors.append(f"{where}: volume {v['name']} wants key {item.get('key')} the Secret lacks")
    for c in containers(d):
        cwhere = f"{where} container {c.get('name')}"
        image = str(c.get("image") or "")
        repo, _, tag = image.rpartition(":")
        if not repo or not tag or "/" in tag:
            errors.append(f"{cwhere}: image {image!r} has no repository:tag")
        for mount in c.get("volumeMounts") or []:
            if mount.get("name") not in volumes:
                errors.append(f"{cwhere}: mounts volume {mount.get('name')}, which the pod does not have")
        for source in c.get("envFrom") or []:
            ref = source.get("configMapRef") or source.get("secretRef") or {}
            kind = "ConfigMap" if "configMapRef" in source else "Secret"
            if not m.get(kind, ref.get("name")):
                errors.append(f"{cwhere}: envFrom {kind} {ref.get('name')}, which is not made")
        for env in c.get("env") or []:
            ref = (env.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                secret = m.get("Secret", ref.get("name"))
                if not secret or ref.get("key") not in (secret.get("data") or {}):
                    errors.append(f"{cwhere}: {env.get('name')} from Secret {ref.get('name')} key {ref.get('key')}, "
                                  "which is not made")
        if d["kind"] in WORKLOADS and (not c.get("readinessProbe") or not c.get("livenessProbe")):
            errors.append(f"{cwhere}: needs a readiness and a liveness probe")


def container_env(m, c):
    """The container's variables: envFrom ConfigMaps, then env values."""
    env = {}
    for source in c.get("envFrom") or []:
        cm = m.get("ConfigMap", (source.get("configMapRef") or {}).get("name"))
        env.update({k: str(v) for k, v in ((cm or {}).get("data") or {}).items()})
    for e in c.get("env") or []:
        env[e.get("name")] = str(e["value"]) if "value" in e else "<from " + str(e.get("valueFrom")) + ">"
    return env


def workloads_selected(m, selector):
    return [w for w in m.all(*WORKLOADS) if selects(selector, pod_labels(w))]


def check_services(m, errors):
    for s in m.all("Service"):
        where = f"Service {s['metadata']['name']}"
        spec = s.get("spec") or {}
        ports = spec.get("ports") or []
        if not ports or any("port" not in p for p in ports):
            errors.append(f"{where}: needs ports, each with a port")
        chosen = workloads_selected(m, spec.get("selector") or {})
        if not chosen:
            errors.append(f"{where}: selector {spec.get('selector')} matches no Deployment or StatefulSet")
            continue
        names = {p.get("name") for w in chosen for c in pod_spec(w).get("containers") or []
                 for p in c.get("ports") or []}
        numbers = {p.get("containerPort") for w in chosen for c in pod_spec(w).get("containers") or []
                   for p in c.get("ports") or []}
        for p in ports:
            target = p.get("targetPort", p.get("port"))
            if target not in names and target not in numbers:
                errors.append(f"{where}: port {p.get('name')} targets {target}, which its pods do not expose")


def min_replicas(m, workload):
    for h in m.all("HorizontalPodAutoscaler"):
        if ((h.get("spec") or {}).get("scaleTargetRef") or {}).get("name") == workload["metadata"]["name"]:
            return (h.get("spec") or {}).get("minReplicas", 1)
    return (workload.get("spec") or {}).get("replicas", 1)


def check_hpas(m, errors):
    for h in m.all("HorizontalPodAutoscaler"):
        where = f"HorizontalPodAutoscaler {h['metadata']['name']}"
        spec = h.get("spec") or {}
        ref = spec.get("scaleTargetRef") or {}
        target = m.get(ref.get("kind"), ref.get("name")) if ref.get("kind") in WORKLOADS else None
        if not target:
            errors.append(f"{where}: scaleTargetRef {ref.get('kind')} {ref.get('name')} is not a Deployment of the chart")
        lo, hi = spec.get("minReplicas", 1), spec.get("maxReplicas")
        if not isinstance(hi, int) or not isinstance(lo, int) or lo < 1 or lo > hi:
            errors.append(f"{where}: minReplicas {lo} and maxReplicas {hi} must be 1 <= min <= max")
        if not spec.get("metrics"):
            errors.append(f"{where}: no metrics")
        if target:
            if "replicas" in (target.get("spec") or {}):
                errors.append(f"{where}: its Deployment also sets replicas, which would fight the autoscaler")
            for c in pod_spec(target).get("containers") or []:
                if not ((c.get("resources") or {}).get("requests") or {}).get("cpu"):
                    errors.append(f"{where}: container {c.get('name')} has no CPU request to scale on")


def check_pdbs(m, errors):
    for p in m.all("PodDisruptionBudget"):
        where = f"PodDisruptionBudget {p['metadata']['name']}"
        spec = p.get("spec") or {}
        chosen = workloads_selected(m, (spec.get("selector") or {}).get("matchLabels") or {})
        if not chosen:
            errors.append(f"{where}: selector matches no Deployment or StatefulSet")
        if ("minAvailable" in spec) == ("maxUnavailable" in spec):
            errors.append(f"{where}: give exactly one of minAvailable and maxUnavailable")
        low = spec.get("minAvailable")
        for w in chosen:
            if isinstance(low, int) and low >= min_replicas(m, w):
                errors.append(f"{where}: minAvailable {low} with at least {min_replicas(m, w)} replicas "
                              "lets no pod be evicted (node drains hang)")


def check_monitors(m, errors):
    for s in m.all("ServiceMonitor"):
        where = f"ServiceMonitor {s['metadata']['name']}"
        spec = s.get("spec") or {}
        selector = (spec.get("selector") or {}).get("matchLabels") or {}
        chosen = [v for v in m.all("Service") if selects(selector, (v.get("metadata") or {}).get("labels") or {})]
        if not chosen:
            errors.append(f"{where}: selector matches no Service")
        for ep in spec.get("endpoints") or []:
            if not any(ep.get("port") in [p.get("name") for p in (v.get("spec") or {}).get("ports") or []]
                       for v in chosen):
                errors.append(f"{where}: endpoint port {ep.get('port')} is not a port of the selected Service")
        if not spec.get("endpoints"):
            errors.append(f"{where}: no endpoints")


def check_config(m, errors):
    for c in m.all("ConfigMap"):
        data = c.get("data")
        if not data or any(not isinstance(v, str) for v in data.values()):
            errors.append(f"ConfigMap {c['metadata']['name']}: data must be a non-empty map of strings")
    for s in m.all("Secret"):
        where = f"Secret {s['metadata']['name']}"
        data = secret_data(s)
        for key, value in data.items():
            if value is None:
                errors.append(f"{where}: key {key} is not base64 text")
        for key in SECRET_KEYS:
            if not data.get(key):
                errors.append(f"{where}: key {key} is missing or empty")
        token = data.get("service-token") or ""
        line = f"sha256:{hashlib.sha256(token.encode()).hexdigest()} service "
        if token and not any(l.startswith(line) for l in (data.get("tokens") or "").splitlines()):
            errors.append(f"{where}: the service token's hash is not in the tokens file with role service")


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
            for s in m.all("Service"):
                labels = (s.get("metadata") or {}).get("labels") or {}
                if labels.get("app.kubernetes.io/component") == name:
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


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--external"):
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    if not docs:
        print(f"{argv[1]}: no documents")
        return 1
    external = None
    if len(argv) == 4:
        with open(argv[3], encoding="utf-8") as f:
            values = yaml.safe_load(f) or {}
        external = {"pg-uri": ((values.get("postgresql") or {}).get("external") or {}).get("uri"),
                    "redis-address": ((values.get("redis") or {}).get("external") or {}).get("address")}
    errors = check(argv[0], docs, external)
    for e in errors:
        print(e)
    print(f"{len(docs)} documents checked, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
