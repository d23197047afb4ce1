// dispatch's requests, as its handlers take them: a branch (UpsertBranch),
// a return (ReturnOrder) and a chain of progress reports (ReportProgress),
// converted by services/dispatch/api/proto_convert.h and checked by the
// domain (branch.h, order_rules.h, progress.h). The first byte chooses; for
// progress, the rest is a list of reports, each a length byte and its wire
// form, applied one after another to an order.

#include <google/protobuf/util/message_differencer.h>

#include <cstddef>
#include <cstdint>

#include "services/dispatch/api/proto_convert.h"
#include "tests/fuzz/fuzz_support.h"

namespace hotline::dispatch {
namespace {

using fuzz::Expect;
using fuzz::ExpectClientAnswer;
using fuzz::kNow;
using google::protobuf::util::MessageDifferencer;

// An accepted branch stays valid once normalised, and normalising is done
// once: a normalised branch, through its proto and back, normalises to itself.
void CheckBranch(absl::string_view bytes) {
  v1::Branch proto;
  if (!fuzz::ReceiveRequest(bytes, proto)) {
    return;
  }
  const Branch branch = BranchFromProto(proto);
  const absl::Status status = ValidateBranch(branch);
  ExpectClientAnswer(status, "ValidateBranch");
  if (!status.ok()) {
    return;
  }
  const Branch normal = NormalizeBranch(branch, ArrivalLimits());
  const absl::Status normal_status = ValidateBranch(normal);
  Expect(normal_status.ok(), "a normalised valid branch is valid", normal_status);
  const v1::Branch written = BranchToProto(normal);
  const Branch back = BranchFromProto(written);
  Expect(ValidateBranch(back).ok(), "a valid branch's proto is valid");
  Expect(MessageDifferencer::Equals(BranchToProto(NormalizeBranch(back, ArrivalLimits())), written),
         "normalising twice changes nothing");
}

void CheckReturn(absl::string_view bytes) {
  fuzz::CheckRequest<v1::ReturnOrderRequest>(
      bytes, [](const v1::ReturnOrderRequest& r) { return ValidateReturn(ReturnFromProto(r)); });
}

ProgressState StartingState(uint8_t choice) {
  ProgressState state;
  state.dispatched_at = kNow - absl::Hours(2);
  state.status = (choice & 1) ? v1::ORDER_STATUS_ACCEPTED : v1::ORDER_STATUS_IN_PROGRESS;
  state.repair = (choice & 2) == 0;
  return state;
}

// Each accepted report, sent again, is accepted as a repeat that changes
// nothing; no step happens after the server's clock and its skew.
void CheckProgress(uint8_t choice, absl::string_view bytes) {
  const ProgressRules rules;
  ProgressState state = StartingState(choice);
  while (!bytes.empty()) {
    const size_t length = std::min<size_t>(static_cast<uint8_t>(bytes[0]), bytes.size() - 1);
    const absl::string_view one = bytes.substr(1, length);
    bytes.remove_prefix(1 + length);
    v1::ReportProgressRequest request;
    if (!fuzz::ReceiveRequest(one, request)) {
      continue;
    }
    absl::StatusOr<ProgressResult> result =
        ApplyProgress(state, ReportFromProto(request), kNow, rules);
    ExpectClientAnswer(result.status(), "ApplyProgress");
    if (!result.ok()) {
      continue;
    }
    Expect(result->step_at <= kNow + rules.clock_skew, "no step after now and the skew");
    absl::StatusOr<ProgressResult> repeat =
        ApplyProgress(result->state, ReportFromProto(request), kNow, rules);
    Expect(repeat.ok(), "an accepted report sent again is accepted", repeat.status());
    Expect(repeat->repeated, "an accepted report sent again is a repeat");
    state = result->state;
  }
}

}  // namespace
}  // namespace hotline::dispatch

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t choice = 0;
  absl::string_view rest;
  if (!hotline::fuzz::SplitChoice(data, size, choice, rest)) {
    return 0;
  }
  switch (choice % 3) {
    case 0:
      hotline::dispatch::CheckBranch(rest);
      break;
    case 1:
      hotline::dispatch::CheckReturn(rest);
      break;
    default:
      hotline::dispatch::CheckProgress(choice / 3, rest);
      break;
  }
  return 0;
}
