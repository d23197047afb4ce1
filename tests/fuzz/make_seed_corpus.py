#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (corpus/<target>/) from the
readable requests below, encoded with protoc. Run it from anywhere after
changing a seed; the corpus files are committed (with the inputs that once
broke a target, which are kept beside them and never rewritten here).

A seed is (name, prefix, message type, text format). Targets that take a
request read a first byte that chooses the request (see each target's
Check); the address matcher and the event decoder read their own layout
(strings first, or integers at the end: FuzzedDataProvider).
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PROTO_ROOT = os.path.join(ROOT, "proto")

TICKET = "0b7f5c1e-4a8e-4b5c-9d2e-3f4a5b6c7d8e"
NOTICE = "5d2c7a10-3b4e-4f6a-8c9d-0e1f2a3b4c5d"
TASK = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
BEFORE = 1793496000  # a little before the targets' "now" (1793500400)
LATER = 1794200000   # eight days after it

ADDRESS = 'province: "甘肃省" city: "兰州市" county: "城关区" township: "东岗街道" street: "人民路12号" area_class: AREA_CLASS_URBAN'

SEEDS = {
    "intake_ticket_requests": [
        ("create_repair", b"\x00", "hotline.intake.v1.CreateTicketRequest", f'''
            idempotency_key: "key-1" type: TICKET_TYPE_REPAIR channel: CHANNEL_PHONE
            customer {{ name: "张三丰" phone: "13812345678" }}
            address {{ {ADDRESS} }}
            details {{ repair {{ symptom: REPAIR_SYMPTOM_NO_POWER extent: FAULT_EXTENT_ONE_HOUSEHOLD
              equipment_owner: EQUIPMENT_OWNER_UTILITY fault_time {{ seconds: {BEFORE} }}
              fault_category: FAULT_CATEGORY_OTHER fault_scope: FAULT_SCOPE_PUBLIC_NETWORK }} }}'''),
        ("create_complaint", b"\x00", "hotline.intake.v1.CreateTicketRequest", '''
            idempotency_key: "key-2" type: TICKET_TYPE_COMPLAINT channel: CHANNEL_WEB
            customer { name: "李四" phone: "010-12345678" } description: "抢修人员迟到"
            details { complaint { category: COMPLAINT_CATEGORY_SERVICE } }'''),
        ("create_report", b"\x00", "hotline.intake.v1.CreateTicketRequest", '''
            idempotency_key: "key-3" type: TICKET_TYPE_REPORT channel: CHANNEL_APP description: "有人窃电"
            details { report { subject: REPORT_SUBJECT_THEFT reporter { name: "王五" phone: "13900000000" } } }'''),
        ("create_urging", b"\x00", "hotline.intake.v1.CreateTicketRequest", f'''
            idempotency_key: "key-4" type: TICKET_TYPE_URGING channel: CHANNEL_PHONE
            customer {{ phone: "13812345678" }} details {{ urging {{ ticket_id: "{TICKET}" }} }}'''),
        ("get", b"\x01", "hotline.intake.v1.GetTicketRequest", f'ticket_id: "{TICKET}"'),
        ("list", b"\x02", "hotline.intake.v1.ListTicketsRequest",
         'page { page_size: 20 } statuses: TICKET_STATUS_CREATED types: TICKET_TYPE_REPAIR county: "城关区"'),
        ("note", b"\x03", "hotline.intake.v1.AddNoteRequest", f'ticket_id: "{TICKET}" text: "客户再次来电\\n询问进度"'),
        ("urge", b"\x04", "hotline.intake.v1.UrgeTicketRequest",
         f'idempotency_key: "u-1" ticket_id: "{TICKET}" channel: CHANNEL_PHONE customer {{ phone: "13812345678" }} note: "催办"'),
        ("cancel", b"\x05", "hotline.intake.v1.CancelTicketRequest", f'ticket_id: "{TICKET}" reason: "客户撤销"'),
        ("history", b"\x06", "hotline.intake.v1.GetHistoryRequest", f'ticket_id: "{TICKET}" page {{ page_size: 10 }}'),
    ],
    "intake_call_events": [
        ("offered", b"\x00", "hotline.intake.v1.CallEvent",
         f'event_id: "e-1" call_id: "c-1" queue: "repair" at {{ seconds: {BEFORE} }} offered {{ route: CALL_ROUTE_AGENT channel: CHANNEL_PHONE }}'),
        ("answered", b"\x00", "hotline.intake.v1.CallEvent",
         f'event_id: "e-2" call_id: "c-1" at {{ seconds: {BEFORE + 20} }} answered {{ agent_id: "a-7" ring_seconds: 4 wait_seconds: 16 }}'),
        ("batch", b"\x01", "hotline.intake.v1.CallEventBatch", f'''
            events {{ event_id: "e-1" call_id: "c-1" queue: "repair" at {{ seconds: {BEFORE} }} offered {{ route: CALL_ROUTE_AGENT channel: CHANNEL_PHONE }} }}
            events {{ event_id: "e-2" call_id: "c-1" queue: "repair" at {{ seconds: {BEFORE + 5} }} queued {{ }} }}
            events {{ event_id: "e-3" call_id: "c-1" at {{ seconds: {BEFORE + 20} }} answered {{ agent_id: "a-7" ring_seconds: 4 wait_seconds: 15 }} }}
            events {{ event_id: "e-4" call_id: "c-1" at {{ seconds: {BEFORE + 200} }} ended {{ talk_seconds: 180 }} }}'''),
        ("agent", b"\x02", "hotline.intake.v1.SetAgentStateRequest",
         f'agent_id: "a-7" state: AGENT_STATE_READY queues: "repair" queues: "consult" at {{ seconds: {BEFORE} }}'),
        ("stats", b"\x03", "hotline.intake.v1.GetCallStatsRequest",
         f'period {{ from {{ seconds: {BEFORE - 86400} }} to {{ seconds: {BEFORE} }} }} queue: "repair" ring_threshold_seconds: 10'),
    ],
    "dispatch_requests": [
        ("branch", b"\x00", "hotline.dispatch.v1.Branch", '''
            branch_id: "BR-1" name: "城关供电所" kind: "supply_station" duty_phone: "0931-8888888"
            area_class: AREA_CLASS_URBAN arrival_limit_minutes: 45 ticket_types: TICKET_TYPE_REPAIR
            territory { level: TERRITORY_LEVEL_COUNTY value: "甘肃省/兰州市/城关区" }
            territory { level: TERRITORY_LEVEL_FEEDER value: "F12" }'''),
        ("return", b"\x01", "hotline.dispatch.v1.ReturnOrderRequest",
         'order_id: "o-1" reason: RETURN_REASON_NOT_OUR_TERRITORY belongs_to: "BR-2" note: "不在本所辖区" idempotency_key: "r-1"'),
        ("return_customer_owned", b"\x01", "hotline.dispatch.v1.ReturnOrderRequest",
         'order_id: "o-1" reason: RETURN_REASON_CUSTOMER_OWNED customer_name: "张三" customer_phone: "13812345678"'),
    ],
    "sla_requests": [
        ("policy", b"\x00", "hotline.sla.v1.SetPolicyRequest",
         'policy { stage: STAGE_ARRIVAL ticket_type: TICKET_TYPE_REPAIR area_class: AREA_CLASS_URBAN measure: MEASURE_ELAPSED limit { seconds: 2700 } warn_at: 0.5 warn_at: 0.8 }'),
        ("policy_working_days", b"\x00", "hotline.sla.v1.SetPolicyRequest",
         'policy { stage: STAGE_COMPLAINT_RESULT measure: MEASURE_WORKING_DAYS limit { seconds: 518400 } warn_at: 0.8 supervise_after { seconds: 86400 } }'),
        ("calendar", b"\x01", "hotline.sla.v1.SetCalendarRequest", '''
            calendar { region: "甘肃省" holidays: "2026-10-01" holidays: "2026-10-02" make_up_days: "2026-10-10"
              working_hours_start: "08:30" working_hours_end: "17:30"
              shifts { name: "day" start: "08:00" end: "16:00" } shifts { name: "evening" start: "16:00" end: "24:00" }
              shifts { name: "night" start: "00:00" end: "08:00" } }'''),
        ("start", b"\x02", "hotline.sla.v1.StartClockRequest",
         f'idempotency_key: "s-1" ticket_id: "{TICKET}" ticket_number: "GD-1" ticket_type: TICKET_TYPE_REPAIR stage: STAGE_ARRIVAL unit: "BR-1" area_class: AREA_CLASS_URBAN region: "甘肃省" started_at {{ seconds: {BEFORE} }}'),
        ("stop", b"\x03", "hotline.sla.v1.StopClockRequest",
         f'clock {{ ticket_id: "{TICKET}" stage: STAGE_ARRIVAL unit: "BR-1" }} stopped_at {{ seconds: {BEFORE} }} reason: "met"'),
        ("overdue", b"\x04", "hotline.sla.v1.ListOverdueRequest", 'unit: "BR-1" ticket_type: TICKET_TYPE_REPAIR stage: STAGE_ARRIVAL page { page_size: 50 }'),
    ],
    "outage_requests": [
        ("publish", b"\x00", "hotline.outage.v1.PublishNoticeRequest", f'''
            idempotency_key: "n-1" notice {{ kind: OUTAGE_KIND_PLANNED
              areas {{ province: "甘肃省" county: "城关区" township: "东岗街道" }} transformer_areas: "TA-7" feeders: "F12"
              working_unit: "城关供电所" work: "线路检修" planned_start {{ seconds: {LATER} }} planned_restore {{ seconds: {LATER + 28800} }}
              person_in_charge: "赵六" phone: "13812345678" }}'''),
        ("amend", b"\x01", "hotline.outage.v1.AmendNoticeRequest",
         f'notice_id: "{NOTICE}" planned_start {{ seconds: {LATER} }} planned_restore {{ seconds: {LATER + 36000} }} reason: "延长" expected_version: 2'),
        ("cancel", b"\x02", "hotline.outage.v1.CancelNoticeRequest", f'notice_id: "{NOTICE}" reason: "天气原因"'),
        ("restore", b"\x04", "hotline.outage.v1.RestoreNoticeRequest",
         f'notice_id: "{NOTICE}" restored_at {{ seconds: {BEFORE} }} transformer_areas: "TA-7"'),
        ("check", b"\x07", "hotline.outage.v1.CheckAddressRequest", f'address {{ {ADDRESS} transformer_area: "TA-7" }}'),
        ("list", b"\x08", "hotline.outage.v1.ListNoticesRequest", 'view: NOTICE_VIEW_ACTIVE area { county: "城关区" } page { page_size: 20 }'),
    ],
    "survey_requests": [
        ("schedule", b"\x00", "hotline.survey.v1.ScheduleCallbackRequest",
         f'idempotency_key: "cb-1" ticket_id: "{TICKET}" ticket_number: "GD-1" ticket_type: TICKET_TYPE_REPAIR branch_id: "BR-1" customer {{ name: "张三" phone: "13812345678" }} reason: "回访"'),
        ("attempt", b"\x01", "hotline.survey.v1.RecordAttemptRequest", f'task_id: "{TASK}" result: ATTEMPT_RESULT_NO_ANSWER note: "无人接听"'),
        ("answer", b"\x02", "hotline.survey.v1.RecordAnswerRequest", f'task_id: "{TASK}" satisfaction: SATISFACTION_DISSATISFIED solved: false comment: "还是停电"'),
        ("get", b"\x03", "hotline.survey.v1.GetCallbackRequest", f'task_id: "{TASK}"'),
        ("stats", b"\x04", "hotline.survey.v1.GetSurveyStatsRequest",
         f'from {{ seconds: {BEFORE - 86400 * 7} }} to {{ seconds: {BEFORE} }} branch_id: "BR-1"'),
    ],
}

# Progress reports for dispatch: the first byte (5: an accepted repair, 11:
# an accepted order that is not a repair), then each report as a length byte
# and its wire form.
PROGRESS = [
    ("progress_repair", b"\x05", [
        'order_id: "o-1" step: PROGRESS_STEP_CREW_ASSIGNED crew_lead: "赵六" crew_phone: "13812345678"',
        f'order_id: "o-1" step: PROGRESS_STEP_DEPARTED at {{ seconds: {BEFORE - 1800} }}',
        f'order_id: "o-1" step: PROGRESS_STEP_ARRIVED at {{ seconds: {BEFORE} }}',
        'order_id: "o-1" step: PROGRESS_STEP_CAUSE_FOUND cause: "熔断器熔断" fault_kind: FAULT_KIND_FUSE',
        f'order_id: "o-1" step: PROGRESS_STEP_ESTIMATED_RESTORE estimated_restore_at {{ seconds: {LATER} }}',
        f'order_id: "o-1" step: PROGRESS_STEP_POWER_RESTORED at {{ seconds: {BEFORE + 1200} }}',
        f'order_id: "o-1" step: PROGRESS_STEP_COMPLETED at {{ seconds: {BEFORE + 1800} }} note: "已更换熔断器"',
    ]),
    ("progress_not_repair", b"\x0b", [
        f'order_id: "o-2" step: PROGRESS_STEP_COMPLETED at {{ seconds: {BEFORE} }} note: "已答复客户"',
    ]),
]

# The address matcher: seven address parts and an area path, each ended by
# "\\" and a space (FuzzedDataProvider's strings), then the notices.
NOTICES = f'''
  notices {{ notice_id: "N-1" state: NOTICE_STATE_ACTIVE version: 3 planned_start {{ seconds: {BEFORE} }}
    areas {{ province: "甘肃省" county: "城关区" township: "东岗街道" }} transformer_areas: "TA-7" }}
  notices {{ notice_id: "N-2" state: NOTICE_STATE_SCHEDULED version: 1 planned_start {{ seconds: {LATER} }}
    feeders: "F12" areas {{ county: "七里河区" }} }}
  notices {{ notice_id: "N-3" state: NOTICE_STATE_RESTORED version: 5 areas {{ county: "城关区" }} }}
  notices {{ notice_id: "N-4" state: NOTICE_STATE_ACTIVE version: 2 areas {{ township: "东岗街道" }}
    restored_places {{ area {{ township: "东岗街道" }} }} }}'''
ADDRESS_STRINGS = [
    ["甘肃省", "兰州市", "城关区", "东岗街道", "", "TA-7", "F12", "甘肃省/兰州市/城关区"],
    ["", "", "城关区", "东岗街道", "幸福社区", "", "", "城关区/东岗街道"],
    ["Gansu", "", "Ｃｈｅｎｇｇｕａｎ", "", "", "ta 7", "f-12", "gansu//chengguan"],
]

# The event decoder: the request, then the receiving ticket (read from the
# end: status, whether an event was applied, its sequence, the order's status).
EVENTS = [
    ("order_dispatched", b"\x05\x00\x0a\x01\x04", f'''
        events {{ event_id: "ev-1" topic: "order.dispatched" source: "dispatch" sequence: 11
          payload {{ [type.googleapis.com/hotline.dispatch.v1.OrderEvent] {{ order_id: "o-1" ticket_id: "{TICKET}" branch_id: "BR-1" occurred_at {{ seconds: {BEFORE} }} }} }} }}'''),
    ("order_resolved", b"\x05\x00\x0a\x01\x07", f'''
        events {{ event_id: "ev-2" topic: "order.resolved" source: "dispatch" sequence: 12
          payload {{ [type.googleapis.com/hotline.dispatch.v1.OrderEvent] {{ order_id: "o-1" ticket_id: "{TICKET}" branch_id: "BR-1" step_at {{ seconds: {BEFORE} }} }} }} }}'''),
    ("callback_completed", b"\x05\x00\x03\x00\x09", f'''
        events {{ event_id: "ev-3" topic: "callback.completed" source: "survey" sequence: 4
          payload {{ [type.googleapis.com/hotline.survey.v1.CallbackEvent] {{ task_id: "T-1" ticket_id: "{TICKET}" branch_id: "BR-1" order_id: "o-1"
            outcome: CALLBACK_OUTCOME_DISSATISFIED satisfaction: SATISFACTION_DISSATISFIED comment: "还是停电" attempts: 2 }} }} }}'''),
    ("ticket_created", b"\x01\x00\x00\x00\x01", f'''
        events {{ event_id: "ev-4" topic: "ticket.created" source: "intake" sequence: 1
          payload {{ [type.googleapis.com/hotline.intake.v1.TicketCreated] {{ ticket_id: "{TICKET}" ticket_number: "GD-1" type: TICKET_TYPE_REPAIR
            channel: CHANNEL_PHONE address {{ {ADDRESS} }} created_at {{ seconds: {BEFORE} }} }} }} }}'''),
    ("ticket_cancelled", b"\x01\x00\x00\x00\x01", f'''
        events {{ event_id: "ev-5" topic: "ticket.cancelled" source: "intake" sequence: 2
          payload {{ [type.googleapis.com/hotline.intake.v1.TicketCancelled] {{ ticket_id: "{TICKET}" reason: "撤销" cancelled_at {{ seconds: {BEFORE} }} }} }} }}'''),
    ("outage_restored", b"\x01\x00\x00\x00\x03", f'''
        events {{ event_id: "ev-6" topic: "outage.restored" source: "outage" key: "N-1" sequence: 7
          payload {{ [type.googleapis.com/hotline.outage.v1.NoticeRestored] {{ notice_id: "N-1" restored_at {{ seconds: {BEFORE} }}
            areas {{ county: "城关区" township: "东岗街道" }} transformer_areas: "TA-7" still_off_areas {{ township: "东岗街道" village_or_community: "幸福社区" }} }} }} }}'''),
]

# The calendar arithmetic reads only integers (from the end): a few spread
# byte strings are seeds enough.
CALENDAR = [
    ("elapsed", bytes(range(0, 64, 3))),
    ("working_days", bytes([2, 9, 200, 7, 1, 31, 5, 77, 13, 2, 1, 1, 250, 3, 3, 30, 0, 2] * 2)),
    ("working_hours", bytes([3, 1, 255, 100, 8, 17, 2, 44, 1, 0, 9, 9, 5, 16, 240, 3] * 2)),
    ("same_shift", bytes([4, 0, 120, 60, 3, 8, 16, 1, 1, 1, 22, 6, 77, 4, 2, 2] * 2)),
]

PROTO_FILES = []
for top, _, files in os.walk(os.path.join(PROTO_ROOT, "hotline")):
    PROTO_FILES += [os.path.relpath(os.path.join(top, f), PROTO_ROOT) for f in files if f.endswith(".proto")]
PROTO_FILES.sort()


def encode(message_type, text):
    return subprocess.run(
        ["protoc", f"--proto_path={PROTO_ROOT}", f"--encode={message_type}"] + PROTO_FILES,
        input=text.encode(), stdout=subprocess.PIPE, check=True, cwd=PROTO_ROOT).stdout


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as out:
        out.write(data)


def provider_string(text):
    return text.encode().replace(b"\\", b"\\\\") + b"\\ "


def main():
    for target, seeds in SEEDS.items():
        for name, prefix, message_type, text in seeds:
            write(target, name, prefix + encode(message_type, text))
    for name, prefix, reports in PROGRESS:
        data = prefix
        for text in reports:
            report = encode("hotline.dispatch.v1.ReportProgressRequest", text)
            data += bytes([len(report)]) + report
        write("dispatch_requests", name, data)
    notices = encode("hotline.outage.v1.ListNoticesResponse", NOTICES)
    for i, strings in enumerate(ADDRESS_STRINGS):
        write("address_matcher", f"address_{i + 1}",
              b"".join(provider_string(s) for s in strings) + notices)
    for name, tail, text in EVENTS:
        write("event_decoding", name, encode("hotline.common.v1.DeliverEventsRequest", text) + tail)
    for name, data in CALENDAR:
        write("sla_calendar", name, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
