"""Reading deploy/docker/compose.yaml for the checks."""

import yaml

SERVICES = ["intake", "dispatch", "sla", "outage", "survey"]  # the order of the dev ports


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def listen_port(service, name="HOTLINE_LISTEN"):
    """The port of a compose service's HOTLINE_LISTEN (or another *_LISTEN), or None."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env if "=" in e)
    value = str(env.get(name, ""))
    _, _, port = value.rpartition(":")
    return int(port) if port.isdigit() else None


def environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env if "=" in e)
    return {k: str(v) for k, v in env.items()}
