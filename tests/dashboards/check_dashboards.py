#!/usr/bin/env python3
"""Checks Grafana dashboards against the metrics the hotline really has.

    check_dashboards.py --source-root ROOT [--rules-dir DIR]
                        [--datasources DIR] DASHBOARD_DIR_OR_FILE...

Fails (exit 1), naming the dashboard, the panel and the metric, when a
panel's query or a template variable reads a metric that neither a service
exports nor a recording rule records (known_metrics.py); and on a file that
is not valid JSON, a dashboard without a uid or title, two dashboards with
one uid, two panels of a dashboard with one id, a panel without a datasource
or gridPos, a datasource other than the provisioned one, a query without an
expression, or a call of a function PromQL does not have. Exit 0 prints what
was checked.
"""

import argparse
import json
import os
import re
import sys

from known_metrics import known_metrics
from promql_names import read_names

_NO_QUERIES = ("row", "text", "news", "dashlist")
_LABEL_VALUES = re.compile(r"^\s*label_values\((.*),\s*[a-zA-Z_]\w*\s*\)\s*$", re.S)


def provisioned_uids(folder):
    """The datasource uids of the provisioning files in folder (none if absent)."""
    if not os.path.isdir(folder):
        return set()
    import yaml

    uids = set()
    for file in sorted(os.listdir(folder)):
        if file.endswith((".yml", ".yaml")):
            with open(os.path.join(folder, file), encoding="utf-8") as f:
                document = yaml.safe_load(f) or {}
            uids.update(d["uid"] for d in document.get("datasources") or [] if "uid" in d)
    return uids


def dashboard_files(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".json"))
        else:
            files.append(path)
    return files


def all_panels(panels):
    for panel in panels or []:
        yield panel
        yield from all_panels(panel.get("panels"))


class Checker:
    def __init__(self, metrics, datasource_uids):
        self.metrics = metrics
        self.datasource_uids = datasource_uids
        self.errors = []
        self.dashboards = self.panels = self.queries = 0
        self.used = set()
        self.uids = {}

    def fail(self, where, message):
        self.errors.append(f"{where}: {message}")

    def check_file(self, path):
        name = os.path.basename(path)
        try:
            with open(path, encoding="utf-8") as f:
                dashboard = json.load(f)
        except (OSError, ValueError) as e:
            self.fail(name, f"not a valid JSON file: {e}")
            return
        if not isinstance(dashboard, dict):
            self.fail(name, "not a dashboard (a JSON object)")
            return
        self.dashboards += 1
        title, uid = dashboard.get("title"), dashboard.get("uid")
        if not title:
            self.fail(name, "dashboard has no title")
        if not uid:
            self.fail(name, "dashboard has no uid")
        elif uid in self.uids:
            self.fail(name, f"uid {uid!r} is also the uid of {self.uids[uid]}")
        else:
            self.uids[uid] = name
        where = f'{name} dashboard "{title}"'
        for variable in (dashboard.get("templating") or {}).get("list") or []:
            self.check_variable(where, variable)
        ids = set()
        for panel in all_panels(dashboard.get("panels")):
            self.check_panel(where, panel)
            if panel.get("id") in ids:
                self.fail(where, f"two panels with id {panel.get('id')}")
            ids.add(panel.get("id"))

    def check_datasource(self, where, datasource):
        if not isinstance(datasource, dict) or not datasource.get("uid"):
            self.fail(where, "no datasource (by uid)")
        elif self.datasource_uids and datasource["uid"] not in self.datasource_uids:
            self.fail(where, f"datasource uid {datasource['uid']!r} is not a provisioned one "
                             f"({', '.join(sorted(self.datasource_uids))})")

    def check_expr(self, where, expr):
        if not isinstance(expr, str) or not expr.strip():
            self.fail(where, "query without an expression")
            return
        self.queries += 1
        metrics, unknown_functions = read_names(expr)
        for function in unknown_functions:
            self.fail(where, f"unknown PromQL function {function}() in: {expr}")
        for metric in metrics:
            self.used.add(metric)
            if metric not in self.metrics:
                self.fail(where, f"unknown metric {metric} in: {expr}")

    def check_panel(self, where, panel):
        self.panels += 1
        where = f'{where} panel "{panel.get("title", "")}" (id {panel.get("id")})'
        if "gridPos" not in panel:
            self.fail(where, "panel has no gridPos")
        if panel.get("type") in _NO_QUERIES:
            return
        self.check_datasource(where, panel.get("datasource"))
        targets = panel.get("targets") or []
        if not targets:
            self.fail(where, "panel has no queries")
        for target in targets:
            target_where = f"{where} query {target.get('refId', '?')}"
            if "datasource" in target:
                self.check_datasource(target_where, target["datasource"])
            self.check_expr(target_where, target.get("expr"))

    def check_variable(self, where, variable):
        if variable.get("type") != "query":
            return
        where = f'{where} variable "{variable.get("name")}"'
        self.check_datasource(where, variable.get("datasource"))
        query = variable.get("query")
        if isinstance(query, dict):
            query = query.get("query")
        match = _LABEL_VALUES.match(query or "")
        if match:
            self.check_expr(where, match.group(1))
        elif query and not query.strip().startswith(("label_values(", "label_names(")):
            self.check_expr(where, query)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source-root", required=True)
    parser.add_argument("--rules-dir", help="default: ROOT/deploy/prometheus/rules")
    parser.add_argument("--datasources",
                        help="default: ROOT/deploy/grafana/provisioning/datasources")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    root = args.source_root
    rules_dir = args.rules_dir or os.path.join(root, "deploy", "prometheus", "rules")
    datasources = args.datasources or os.path.join(
        root, "deploy", "grafana", "provisioning", "datasources")

    checker = Checker(known_metrics(root, rules_dir), provisioned_uids(datasources))
    files = dashboard_files(args.paths)
    if not files:
        print("FAIL: no dashboard files in " + " ".join(args.paths))
        return 1
    for path in files:
        checker.check_file(path)
    for error in checker.errors:
        print("FAIL: " + error)
    print(f"{checker.dashboards} dashboards, {checker.panels} panels, {checker.queries} queries "
          f"over {len(checker.used)} metrics checked against {len(checker.metrics)} known; "
          f"{len(checker.errors)} problems")
    return 1 if checker.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
