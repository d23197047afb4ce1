"""The public gRPC services of the hotline, read from proto/: every `service`
of a hotline.<svc>.v1 package, which the gateway must route to <svc>. The
services of hotline.common.v1 (EventSink, TestClock) are for the services
themselves and must not be routed."""

import pathlib
import re

_PACKAGE = re.compile(r"^package\s+(hotline\.(\w+)\.v1)\s*;", re.M)
_SERVICE = re.compile(r"^service\s+(\w+)\s*\{", re.M)


def public_services(source_dir):
    """{"hotline.intake.v1.TicketIntake": "intake", ...} from proto/hotline/*/v1/*.proto."""
    found = {}
    for proto in sorted(pathlib.Path(source_dir, "proto", "hotline").glob("*/v1/*.proto")):
        text = proto.read_text(encoding="utf-8")
        package = _PACKAGE.search(text)
        if not package or package.group(2) == "common":
            continue
        for service in _SERVICE.findall(text):
            found[f"{package.group(1)}.{service}"] = package.group(2)
    return found


def internal_services(source_dir):
    """The hotline.common.v1 services, which must not be routed."""
    found = []
    for proto in sorted(pathlib.Path(source_dir, "proto", "hotline", "common").glob("v1/*.proto")):
        text = proto.read_text(encoding="utf-8")
        found += [f"hotline.common.v1.{s}" for s in _SERVICE.findall(text)]
    return found
