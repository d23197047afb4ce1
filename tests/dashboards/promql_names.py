"""The metric names a PromQL expression reads.

What is left of an expression once its strings, label matchers {..}, ranges
and subqueries [..], offsets, by/without/on/ignoring/group_left/group_right
label lists, numbers and Grafana variables ($branch, $__rate_interval) are
taken out is functions, aggregation operators, keywords and metric names. A
name followed by "(" is a function or an aggregation; any other name that is
not a keyword is a metric.
"""

import re

FUNCTIONS = frozenset("""
    abs absent absent_over_time acos acosh asin asinh atan atanh avg_over_time
    ceil changes clamp clamp_max clamp_min cos cosh count_over_time
    day_of_month day_of_week day_of_year days_in_month deg delta deriv
    double_exponential_smoothing exp floor histogram_avg histogram_count
    histogram_fraction histogram_quantile histogram_stddev histogram_stdvar
    histogram_sum holt_winters hour idelta increase info irate label_join
    label_replace last_over_time ln log10 log2 mad_over_time max_over_time
    min_over_time minute month pi predict_linear present_over_time
    quantile_over_time rad rate resets round scalar sgn sin sinh sort
    sort_by_label sort_by_label_desc sort_desc sqrt stddev_over_time
    stdvar_over_time sum_over_time tan tanh time timestamp vector year
    start end
""".split())

AGGREGATIONS = frozenset("""
    sum min max avg group stddev stdvar count count_values bottomk topk
    quantile limitk limit_ratio
""".split())

KEYWORDS = frozenset("""
    and or unless bool atan2 offset by without on ignoring group_left
    group_right inf nan
""".split())

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', re.S)
_GRAFANA_VARIABLE = re.compile(r"\$\{[^}]*\}|\$\w+")
_COMMENT = re.compile(r"#[^\n]*")
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\[[^\[\]]*\]")
_OFFSET = re.compile(r"\boffset\s+-?(?:\d+(?:ms|s|m|h|d|w|y))+", re.I)
_LABEL_LIST = re.compile(
    r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", re.I)
_NUMBER = re.compile(
    r"(?<![\w:.])(?:0x[0-9a-fA-F]+|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def _strip(expr):
    expr = _STRING.sub(" ", expr)
    expr = _GRAFANA_VARIABLE.sub(" 1 ", expr)
    expr = _COMMENT.sub(" ", expr)
    expr = _MATCHERS.sub(" ", expr)
    expr = _RANGE.sub(" ", expr)
    expr = _OFFSET.sub(" ", expr)
    expr = _LABEL_LIST.sub(" ", expr)
    return _NUMBER.sub(" ", expr)


def read_names(expr):
    """Returns (metrics, unknown_functions) that `expr` names, each a sorted list.

    unknown_functions are names called like a function that PromQL does not
    know (a typo such as "rates(...)"), so they are not mistaken for metrics.
    """
    rest = _strip(expr)
    metrics, unknown = set(), set()
    for match in _NAME.finditer(rest):
        name = match.group(0)
        called = rest[match.end():].lstrip().startswith("(")
        if called:
            if name not in FUNCTIONS and name not in AGGREGATIONS:
                unknown.add(name)
        elif name.lower() not in KEYWORDS:
            metrics.add(name)
    return sorted(metrics), sorted(unknown)
