#!/usr/bin/env bash
# The recording rules and alerts in deploy/prometheus/rules are exactly those the dashboards,
# the operator's guide and the other deploy files name, and every alert carries a severity
# (page or ticket) and a summary, a description and its runbook anchor in docs/operations.md.
set -uo pipefail
RULES=${1:?the deploy/prometheus/rules folder}

RECORDS="hotline:call_answer_rate:ratio_1d
hotline:call_answer_rate:ratio_1h
hotline:call_answer_rate:ratio_5m
hotline:call_answered_within_9s:ratio_1h
hotline:call_talk_seconds:avg_1h
hotline:call_transfer_rate:ratio_1h
hotline:callback_rate:ratio_1d
hotline:satisfaction_rate:ratio_1d
hotline:sla_met:ratio_1d"
ALERTS="HotlineAnswerRateLow
HotlineBranchQueueStuck
HotlineOutageNoticeLate
HotlineOutboxBacklogGrowing
HotlineRingOver9s
HotlineServiceDown
HotlineSlaBreachesRising"

export LC_ALL=C  # sort as the names are listed above, whatever the locale
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

got=$(sed -n 's/^ *- record: *\([^ ]*\) *$/\1/p' "$RULES/recording.yml" | sort)
[ "$got" = "$RECORDS" ] || fail "recording rules differ from the agreed names:
$(diff <(echo "$RECORDS") <(echo "$got"))"
got=$(sed -n 's/^ *- alert: *\([^ ]*\) *$/\1/p' "$RULES/alerts.yml" | sort)
[ "$got" = "$ALERTS" ] || fail "alerts differ from the agreed names:
$(diff <(echo "$ALERTS") <(echo "$got"))"

# Each alert's block: from its `- alert:` line to the next one.
for alert in $ALERTS; do
  block=$(awk -v name="$alert" '
    /^ *- alert:/ { inside = ($3 == name) }
    inside { print }' "$RULES/alerts.yml")
  grep -qE '^ +severity: (page|ticket)$' <<<"$block" || fail "$alert: no severity page or ticket"
  grep -qE '^ +summary: ' <<<"$block" || fail "$alert: no summary"
  grep -qE '^ +description: ' <<<"$block" || fail "$alert: no description"
  grep -qxE " +runbook: docs/operations.md#alert-${alert,,}" <<<"$block" \
    || fail "$alert: its runbook is not docs/operations.md#alert-${alert,,}"
done
[ $failed = 0 ] && echo PASS
exit $failed
