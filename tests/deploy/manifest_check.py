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

import hashlib
import sys

import yaml

from manifest_hotline import (check_gateway, check_hotline_deployments, check_hotline_variables, check_job,
                              check_stores)
from manifest_model import (API_VERSIONS, NAME, SECRET_KEYS, WORKLOADS, Manifest, containers, pod_labels, pod_spec,
                            secret_data, selects, workloads_selected)


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
