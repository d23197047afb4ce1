"""The metric names Prometheus can hold for the hotline.

- What the services export: the first argument, a string literal, of every
  hotline::metrics::CounterFamily / GaugeFamily / HistogramFamily call in the
  C++ sources under services/ and libs/ (tests and benchmarks excepted).
  prometheus-cpp exposes a counter under the name it is given (ours end in
  _total) and a histogram as <name>_bucket, <name>_sum and <name>_count.
- The `record:` names of the recording rules in deploy/prometheus/rules/*.yml
  (none when that folder is absent).
- What Prometheus writes itself: `up` per target and `ALERTS` per alert.
"""

import os
import re

PROMETHEUS_OWN = ("up", "ALERTS")

_SOURCE_DIRS = ("services", "libs")
_NOT_PRODUCT = re.compile(r"(test|benchmark)\.(cc|h)$")
# A C++ string or character literal (kept), or a comment (dropped).
_LITERAL_OR_COMMENT = re.compile(
    r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|//[^\n]*|/\*.*?\*/', re.S)
_FAMILY_CALL = re.compile(
    r'\b(CounterFamily|GaugeFamily|HistogramFamily)\(\s*"([^"\\]+)"')
_HISTOGRAM_SERIES = ("_bucket", "_sum", "_count")


def _without_comments(text):
    return _LITERAL_OR_COMMENT.sub(
        lambda m: " " if m.group(0).startswith("/") else m.group(0), text)


def exported_metrics(source_root):
    """Maps each series name the services export to the file declaring it."""
    names = {}
    for top in _SOURCE_DIRS:
        for folder, _, files in os.walk(os.path.join(source_root, top)):
            for file in sorted(files):
                if not file.endswith((".cc", ".h")) or _NOT_PRODUCT.search(file):
                    continue
                path = os.path.join(folder, file)
                with open(path, encoding="utf-8") as f:
                    text = _without_comments(f.read())
                for kind, name in _FAMILY_CALL.findall(text):
                    series = ([name + s for s in _HISTOGRAM_SERIES]
                              if kind == "HistogramFamily" else [name])
                    for one in series:
                        names[one] = os.path.relpath(path, source_root)
    return names


def recorded_metrics(rules_dir):
    """Maps each `record:` name of the rule files in rules_dir to its file."""
    if not os.path.isdir(rules_dir):
        return {}
    import yaml  # python3-yaml; only needed once there are rule files

    names = {}
    for file in sorted(os.listdir(rules_dir)):
        if not file.endswith((".yml", ".yaml")):
            continue
        path = os.path.join(rules_dir, file)
        with open(path, encoding="utf-8") as f:
            document = yaml.safe_load(f) or {}
        for group in document.get("groups") or []:
            for rule in group.get("rules") or []:
                if "record" in rule:
                    names[rule["record"]] = file
    return names


def known_metrics(source_root, rules_dir):
    names = exported_metrics(source_root)
    names.update(recorded_metrics(rules_dir))
    for name in PROMETHEUS_OWN:
        names[name] = "Prometheus"
    return names
