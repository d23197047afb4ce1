"""Tests of the dashboard checker's parts: PromQL names, exported metrics, dashboard rules."""

import contextlib
import io
import json
import os
import tempfile
import unittest

from check_dashboards import main
from known_metrics import exported_metrics, recorded_metrics
from promql_names import read_names


class ReadNamesTest(unittest.TestCase):
    def test_a_histogram_quantile_reads_only_the_bucket_series(self):
        self.assertEqual(
            read_names("histogram_quantile(0.9, sum by (le, area_class) "
                       "(rate(hotline_order_arrival_seconds_bucket[1h])))"),
            (["hotline_order_arrival_seconds_bucket"], []))

    def test_label_matchers_strings_and_ranges_are_not_metrics(self):
        self.assertEqual(
            read_names('sum(increase(hotline_orders_returned_total{branch=~"$branch", '
                       'reason!="rate(x)"}[$__range])) or vector(0)'),
            (["hotline_orders_returned_total"], []))

    def test_both_sides_of_a_binary_operation_with_matching_clauses(self):
        self.assertEqual(
            read_names("hotline_a_total / on(job) group_left(branch) hotline_b "
                       "unless ignoring (queue) hotline_c > bool 0.85"),
            (["hotline_a_total", "hotline_b", "hotline_c"], []))

    def test_aggregation_clause_after_the_body_offsets_and_subqueries(self):
        self.assertEqual(
            read_names("max(max_over_time(hotline_calls_waiting[1h:5m] offset 1d)) without "
                       "(instance) * 1e3 - 0x1F + Inf"),
            (["hotline_calls_waiting"], []))

    def test_recording_rule_names_with_colons(self):
        self.assertEqual(read_names("hotline:sla_met:ratio_1d < 0.9"),
                         (["hotline:sla_met:ratio_1d"], []))

    def test_a_misspelt_function_is_reported_not_taken_for_a_metric(self):
        self.assertEqual(read_names("sum(rates(hotline_calls_offered_total[5m]))"),
                         (["hotline_calls_offered_total"], ["rates"]))


def write(root, path, text):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class KnownMetricsTest(unittest.TestCase):
    def test_families_of_product_code_with_histogram_series(self):
        with tempfile.TemporaryDirectory() as root:
            write(root, "services/x/desk/x_metrics.cc", """
                a_(metrics::CounterFamily(
                       "hotline_x_done_total", "Done.", registry)),
                b_(metrics::HistogramFamily("hotline_x_seconds", "Took.", registry)),
                // c_(metrics::GaugeFamily("hotline_x_retired", "Gone.", registry)),
                /* metrics::GaugeFamily("hotline_x_also_retired", "Gone.") */
                d_(metrics::GaugeFamily("hotline_x_waiting", "Waiting.", registry))
            """)
            write(root, "libs/y/y_test.cc", 'CounterFamily("hotline_test_only_total", "t");')
            write(root, "libs/y/y_pgtest.cc", 'GaugeFamily("hotline_pgtest_only", "t");')
            self.assertEqual(sorted(exported_metrics(root)), [
                "hotline_x_done_total", "hotline_x_seconds_bucket", "hotline_x_seconds_count",
                "hotline_x_seconds_sum", "hotline_x_waiting"])

    def test_recording_rules_of_every_rule_file_and_none_without_the_folder(self):
        with tempfile.TemporaryDirectory() as root:
            self.assertEqual(recorded_metrics(os.path.join(root, "rules")), {})
            write(root, "rules/recording.yml", """
groups:
  - name: calls
    rules:
      - record: hotline:call_answer_rate:ratio_5m
        expr: sum(rate(a_total[5m])) / sum(rate(b_total[5m]))
  - name: alerts in the same folder
    rules:
      - alert: HotlineServiceDown
        expr: up == 0
""")
            self.assertEqual(list(recorded_metrics(os.path.join(root, "rules"))),
                             ["hotline:call_answer_rate:ratio_5m"])


class DashboardRulesTest(unittest.TestCase):
    """Runs the checker over one dashboard in a source tree exporting hotline_x_total."""

    PANEL = {"id": 1, "type": "stat", "title": "Done",
             "datasource": {"type": "prometheus", "uid": "hotline-prometheus"},
             "gridPos": {"h": 4, "w": 4, "x": 0, "y": 0},
             "targets": [{"refId": "A", "expr": "sum(rate(hotline_x_total[5m]))"}]}

    def check(self, dashboard):
        with tempfile.TemporaryDirectory() as root:
            write(root, "services/x/x.cc", 'CounterFamily("hotline_x_total", "X.", r);')
            write(root, "deploy/grafana/provisioning/datasources/prometheus.yml",
                  "datasources:\n  - name: Prometheus\n    uid: hotline-prometheus\n")
            text = dashboard if isinstance(dashboard, str) else json.dumps(dashboard)
            path = write(root, "dashboards/x.json", text)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                status = main(["--source-root", root, os.path.dirname(path)])
            return status, [line for line in out.getvalue().splitlines()
                            if line.startswith("FAIL")]

    def dashboard(self, **panel):
        return {"uid": "x", "title": "X", "panels": [dict(self.PANEL, **panel)]}

    def test_a_sound_dashboard_passes(self):
        self.assertEqual(self.check(self.dashboard()), (0, []))

    def test_an_unknown_metric_fails_naming_it(self):
        status, errors = self.check(self.dashboard(
            targets=[{"refId": "A", "expr": "hotline_y_total"}]))
        self.assertEqual(status, 1)
        self.assertEqual(len(errors), 1)
        self.assertIn('panel "Done" (id 1) query A: unknown metric hotline_y_total', errors[0])

    def test_invalid_json_fails(self):
        status, errors = self.check('{"uid": "x", "title": "X", "panels": [}')
        self.assertEqual(status, 1)
        self.assertIn("not a valid JSON file", errors[0])

    def test_a_dashboard_without_uid_or_title_fails(self):
        status, errors = self.check({"panels": [self.PANEL]})
        self.assertEqual(status, 1)
        self.assertEqual([e.split(": ")[-1] for e in errors],
                         ["dashboard has no title", "dashboard has no uid"])

    def test_a_panel_without_a_datasource_or_with_another_one_fails(self):
        missing = dict(self.PANEL)
        del missing["datasource"]
        status, errors = self.check({"uid": "x", "title": "X", "panels": [missing]})
        self.assertEqual((status, len(errors)), (1, 1))
        self.assertIn("no datasource", errors[0])
        status, errors = self.check(self.dashboard(datasource={"uid": "other"}))
        self.assertEqual((status, len(errors)), (1, 1))
        self.assertIn("'other' is not a provisioned one", errors[0])

    def test_two_panels_with_one_id_fail(self):
        status, errors = self.check({"uid": "x", "title": "X",
                                     "panels": [self.PANEL, dict(self.PANEL, title="Again")]})
        self.assertEqual((status, len(errors)), (1, 1))
        self.assertIn("two panels with id 1", errors[0])

    def test_panels_inside_a_collapsed_row_and_variables_are_checked(self):
        row = {"id": 2, "type": "row", "title": "More", "collapsed": True,
               "gridPos": {"h": 1, "w": 24, "x": 0, "y": 4},
               "panels": [dict(self.PANEL, id=3, targets=[{"refId": "A", "expr": "hotline_z"}])]}
        variable = {"name": "queue", "type": "query", "datasource": self.PANEL["datasource"],
                    "query": {"query": "label_values(hotline_w{job=\"intake\"}, queue)"}}
        status, errors = self.check({"uid": "x", "title": "X", "panels": [self.PANEL, row],
                                     "templating": {"list": [variable]}})
        self.assertEqual(status, 1)
        self.assertEqual(len(errors), 2)
        self.assertIn('variable "queue": unknown metric hotline_w', errors[0])
        self.assertIn('panel "Done" (id 3) query A: unknown metric hotline_z', errors[1])


if __name__ == "__main__":
    unittest.main()
