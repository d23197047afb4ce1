// sla's requests, as its handlers take them: policies and calendars set by
// an administrator (services/sla/domain/policy.h, calendar.h), clock starts,
// stops and the overdue list (services/sla/api/sla_requests.h), and the
// policy and holiday files loaded at start. The first byte chooses; the rest
// is the request's wire form, or a file's text.

#include <google/protobuf/util/message_differencer.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "libs/status/status.h"
#include "services/sla/api/sla_requests.h"
#include "services/sla/domain/calendar.h"
#include "services/sla/domain/policy.h"
#include "tests/fuzz/fuzz_support.h"

namespace hotline::sla {
namespace {

using fuzz::Expect;
using fuzz::ExpectClientAnswer;
using fuzz::kNow;
using google::protobuf::util::MessageDifferencer;

const TimeRule kRule{kNow, absl::Minutes(5)};

absl::TimeZone Zone() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Asia/Shanghai", &zone)) {
    zone = absl::FixedTimeZone(8 * 3600);
  }
  return zone;
}

// A valid policy's warnings are fractions of its limit, ascending.
absl::Status CheckPolicy(const v1::Policy& policy) {
  HOTLINE_RETURN_IF_ERROR(ValidatePolicy(policy));
  const std::vector<double> warn = WarnFractions(policy);
  for (size_t i = 0; i < warn.size(); ++i) {
    Expect(warn[i] > 0 && warn[i] < 1, "a warning is a fraction of the limit");
    Expect(i == 0 || warn[i - 1] < warn[i], "warnings ascend");
  }
  return absl::OkStatus();
}

// A calendar accepted once is accepted again as written back, and writes the
// same: the API shows what it keeps.
absl::Status CheckCalendar(const v1::Calendar& proto) {
  HOTLINE_RETURN_IF_ERROR(ValidateName("calendar.region", proto.region()));
  absl::StatusOr<WorkCalendar> calendar = CalendarFromProto(proto, Zone());
  HOTLINE_RETURN_IF_ERROR(calendar.status());
  const v1::Calendar written = CalendarToProto(*calendar);
  absl::StatusOr<WorkCalendar> again = CalendarFromProto(written, Zone());
  Expect(again.ok(), "a calendar written back is accepted", again.status());
  Expect(MessageDifferencer::Equals(CalendarToProto(*again), written),
         "a calendar written back writes the same");
  return absl::OkStatus();
}

absl::Status CheckStop(const v1::StopClockRequest& request) {
  HOTLINE_RETURN_IF_ERROR(ValidateClockRef(request.clock()));
  HOTLINE_RETURN_IF_ERROR(ValidateName("reason", request.reason()));
  absl::StatusOr<absl::Time> at = TimeOrNow("stopped_at", request.stopped_at(), kRule);
  HOTLINE_RETURN_IF_ERROR(at.status());
  Expect(*at <= kNow + kRule.skew, "a stop is not after now and the skew");
  return absl::OkStatus();
}

absl::Status CheckStart(const v1::StartClockRequest& request) {
  absl::StatusOr<ClockStart> start = StartFromProto(request, kRule);
  HOTLINE_RETURN_IF_ERROR(start.status());
  Expect(start->at <= kNow + kRule.skew, "a start is not after now and the skew");
  Expect(start->stage != v1::STAGE_UNSPECIFIED, "a start names its stage");
  return absl::OkStatus();
}

// A policy file's policies are each valid; a holiday file's calendar is
// one the API accepts.
void CheckFiles(uint8_t choice, absl::string_view text) {
  if (choice & 1) {
    absl::StatusOr<std::vector<v1::Policy>> policies = ParsePolicyFile(text);
    ExpectClientAnswer(policies.status(), "ParsePolicyFile");
    if (policies.ok()) {
      for (const v1::Policy& policy : *policies) {
        Expect(ValidatePolicy(policy).ok(), "a policy of a file is valid");
      }
    }
    return;
  }
  absl::StatusOr<v1::Calendar> calendar = ParseCalendarFile(text, "Region");
  ExpectClientAnswer(calendar.status(), "ParseCalendarFile");
  if (calendar.ok()) {
    const absl::Status status = CalendarFromProto(*calendar, Zone()).status();
    Expect(status.ok(), "a holiday file's calendar is accepted", status);
  }
}

void Check(uint8_t choice, absl::string_view bytes) {
  switch (choice % 6) {
    case 0:
      fuzz::CheckRequest<v1::SetPolicyRequest>(
          bytes, [](const v1::SetPolicyRequest& r) { return CheckPolicy(r.policy()); });
      break;
    case 1:
      fuzz::CheckRequest<v1::SetCalendarRequest>(
          bytes, [](const v1::SetCalendarRequest& r) { return CheckCalendar(r.calendar()); });
      break;
    case 2:
      fuzz::CheckRequest<v1::StartClockRequest>(bytes, CheckStart);
      break;
    case 3:
      fuzz::CheckRequest<v1::StopClockRequest>(bytes, CheckStop);
      break;
    case 4:
      fuzz::CheckRequest<v1::ListOverdueRequest>(bytes, [](const v1::ListOverdueRequest& r) {
        return OverdueFilterFromProto(r).status();
      });
      break;
    default:
      CheckFiles(choice / 6, bytes);
      break;
  }
}

}  // namespace
}  // namespace hotline::sla

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t choice = 0;
  absl::string_view rest;
  if (hotline::fuzz::SplitChoice(data, size, choice, rest)) {
    hotline::sla::Check(choice, rest);
  }
  return 0;
}
