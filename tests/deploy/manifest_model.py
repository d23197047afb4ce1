"""The rendered chart as the checks see it: its documents by kind and name,
and what a pod spec says."""

import base64
import re

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
