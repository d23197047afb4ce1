"""The HOTLINE_* variables each service reads, taken from the sources the way
libs/config registers them (s.AddString("pg-uri", ...) is --pg-uri and
HOTLINE_PG_URI): the shared ones of libs/runtime/service_settings.cc and the
service's own under services/<svc>/. A service refuses to start on a
HOTLINE_* variable it does not know, so every one the deploy files set must
be in this list."""

import pathlib
import re

_ADD = re.compile(r"\bAdd(?:String|Int|Bool|Duration)\s*\(\s*\"([a-z0-9-]+)\"")


def _names(paths):
    found = set()
    for path in paths:
        found.update(_ADD.findall(path.read_text(encoding="utf-8")))
    return {"HOTLINE_" + n.upper().replace("-", "_") for n in found}


def known_variables(source_dir, service):
    root = pathlib.Path(source_dir)
    own = [p for p in root.joinpath("services", service).rglob("*.cc") if not p.name.endswith("test.cc")]
    return _names([root / "libs" / "runtime" / "service_settings.cc"] + own)
