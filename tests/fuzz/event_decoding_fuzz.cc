// The decoding of events between services: a DeliverEvents request as an
// EventSink receives it (read from raw bytes as libs/rpc/unparsed_request's
// ParseMessage does for a stream), each event's payload unpacked by its topic
// as the receiving desks do, and the pure rules they then apply: intake's
// order, callback and restore rules (services/intake/tickets/domain), sla's
// clock commands (services/sla/domain/clock_commands.h), dispatch's
// callback decision (services/dispatch/domain/order_rules.h) and survey's
// callback need (services/survey/domain/callback_rules.h). The input gives the
// receiving ticket's state, then the request's wire form.

#include <fuzzer/FuzzedDataProvider.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "hotline/common/v1/events.pb.h"
#include "hotline/dispatch/v1/events.pb.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/outage/v1/events.pb.h"
#include "libs/rpc/unparsed_request.h"
#include "services/dispatch/domain/order_rules.h"
#include "services/intake/tickets/domain/callback_event_rules.h"
#include "services/intake/tickets/domain/order_event_rules.h"
#include "services/intake/tickets/domain/outage_restore.h"
#include "services/intake/tickets/domain/ticket_state_machine.h"
#include "services/sla/domain/clock_commands.h"
#include "services/survey/domain/callback_rules.h"
#include "tests/fuzz/fuzz_support.h"

namespace hotline::fuzz {
namespace {

using common::v1::TicketStatus;

// What the receiving ticket looks like.
struct Receiver {
  TicketStatus status = TicketStatus::TICKET_STATUS_CREATED;
  std::optional<int64_t> last_applied;
  dispatch::v1::OrderStatus order_status = dispatch::v1::ORDER_STATUS_RESOLVED;
};

// A decision's path is a walk of the ticket state machine from `from`.
void ExpectWalk(TicketStatus from, const std::vector<TicketStatus>& path) {
  for (TicketStatus to : path) {
    const absl::Status move = intake::TicketStateMachine::CheckMove(from, to);
    Expect(move.ok(), "a decision moves the ticket only as the state machine allows", move);
    from = to;
  }
}

// Late events (an older sequence than the last applied) change nothing.
void ExpectLateIgnored(const Receiver& receiver, int64_t sequence, bool applied) {
  if (sequence != 0 && receiver.last_applied.has_value() && sequence < *receiver.last_applied) {
    Expect(!applied, "a late event is not applied");
  }
}

void ExpectCommandsOf(const std::vector<sla::ClockCommand>& commands,
                      const std::string& ticket_id) {
  for (const sla::ClockCommand& command : commands) {
    Expect(command.ticket_id == ticket_id, "a clock command is for the event's ticket");
    Expect(command.kind == sla::ClockCommand::Kind::kStopTicket ||
               command.stage != sla::v1::STAGE_UNSPECIFIED,
           "a clock command names its stage");
  }
}

void DecodeOrderEvent(const common::v1::Event& event, const Receiver& receiver) {
  dispatch::v1::OrderEvent order;
  if (!event.payload().UnpackTo(&order)) {
    return;
  }
  const intake::OrderEventDecision decision = intake::DecideOrderEvent(
      receiver.status, receiver.last_applied, event.topic(), event.sequence(),
      order.with_dispatcher(), order.reopened_by_callback());
  if (decision.kind == intake::OrderEventDecision::Kind::kApply) {
    ExpectWalk(receiver.status, decision.path);
  }
  ExpectLateIgnored(receiver, event.sequence(),
                    decision.kind == intake::OrderEventDecision::Kind::kApply);
  ExpectCommandsOf(sla::CommandsForOrderEvent(event.topic(), order), order.ticket_id());
}

void DecodeCallbackEvent(const common::v1::Event& event, const Receiver& receiver) {
  survey::v1::CallbackEvent callback;
  if (!event.payload().UnpackTo(&callback)) {
    return;
  }
  const intake::CallbackEventDecision decision = intake::DecideCallbackEvent(
      receiver.status, receiver.last_applied, event.topic(), event.sequence(), callback);
  if (decision.kind == intake::CallbackEventDecision::Kind::kApply) {
    ExpectWalk(receiver.status, decision.path);
  }
  ExpectLateIgnored(receiver, event.sequence(),
                    decision.kind == intake::CallbackEventDecision::Kind::kApply);
  Expect(!intake::DescribeCallback(event.topic(), callback).empty(), "a callback is described");
  dispatch::CallbackFacts facts;
  facts.outcome = callback.outcome();
  facts.satisfaction = callback.satisfaction();
  facts.solved = callback.solved();
  facts.comment = callback.comment();
  const dispatch::CallbackDecision reopen =
      dispatch::DecideCallback(receiver.order_status, callback.branch_id(), facts);
  Expect(!reopen.reopen || callback.outcome() == survey::v1::CALLBACK_OUTCOME_DISSATISFIED,
         "only a dissatisfied customer reopens an order");
}

// Every restored area holds an address of its own parts, unless it is also
// still off; what resolves a repair is what was restored.
void DecodeRestore(const common::v1::Event& event) {
  outage::v1::NoticeRestored restored;
  if (!event.payload().UnpackTo(&restored)) {
    return;
  }
  std::vector<common::v1::Address> addresses(restored.areas().begin(), restored.areas().end());
  addresses.insert(addresses.end(), restored.still_off_areas().begin(),
                   restored.still_off_areas().end());
  for (const std::string& id : restored.transformer_areas()) {
    addresses.emplace_back().set_transformer_area(id);
  }
  for (const std::string& id : restored.feeders()) {
    addresses.emplace_back().set_feeder(id);
  }
  for (const common::v1::Address& address : addresses) {
    const std::optional<std::string> place = intake::RestoredPlaceOf(restored, address);
    const std::optional<std::string> resolving = intake::ResolvingPlaceOf(restored, address);
    Expect(!resolving.has_value() || place.has_value(),
           "a place that resolves a repair was restored");
    if (place.has_value()) {
      Expect(
          !intake::DescribeRestore(restored.notice_id(), *place, kNow, absl::UTCTimeZone()).empty(),
          "a restore is described");
    }
  }
}

void DecodeTicketEvent(const common::v1::Event& event) {
  if (event.topic() == sla::kTicketCreated) {
    intake::v1::TicketCreated created;
    if (event.payload().UnpackTo(&created)) {
      ExpectCommandsOf(sla::CommandsForTicketCreated(created), created.ticket_id());
    }
  } else if (event.topic() == sla::kTicketCancelled) {
    intake::v1::TicketCancelled cancelled;
    if (event.payload().UnpackTo(&cancelled)) {
      ExpectCommandsOf(sla::CommandsForTicketCancelled(cancelled), cancelled.ticket_id());
    }
  } else if (event.topic() == "ticket.resolved") {
    intake::v1::TicketResolved resolved;
    if (event.payload().UnpackTo(&resolved)) {
      static_cast<void>(survey::NeedOf(resolved.type(), resolved.anonymous()));
    }
  }
}

void Decode(const common::v1::Event& event, const Receiver& receiver) {
  if (absl::StartsWith(event.topic(), "order.")) {
    DecodeOrderEvent(event, receiver);
  } else if (absl::StartsWith(event.topic(), "callback.")) {
    DecodeCallbackEvent(event, receiver);
  } else if (event.topic() == intake::kOutageRestoredTopic) {
    DecodeRestore(event);
  } else {
    DecodeTicketEvent(event);
  }
}

}  // namespace
}  // namespace hotline::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hotline;  // NOLINT: the target's own project
  FuzzedDataProvider input(data, size);
  fuzz::Receiver receiver;
  receiver.status = static_cast<common::v1::TicketStatus>(input.ConsumeIntegralInRange(0, 15));
  if (input.ConsumeBool()) {
    receiver.last_applied = input.ConsumeIntegralInRange<int64_t>(0, 1000);
  }
  receiver.order_status =
      static_cast<dispatch::v1::OrderStatus>(input.ConsumeIntegralInRange(0, 7));
  const std::string bytes = input.ConsumeRemainingBytesAsString();

  // The raw read of a stream's message agrees with protobuf's own parse.
  grpc::Slice slice(bytes.data(), bytes.size());
  const grpc::ByteBuffer buffer(&slice, 1);
  common::v1::DeliverEventsRequest request;
  const bool parsed = rpc::ParseMessage(buffer, request).ok();
  common::v1::DeliverEventsRequest direct;
  fuzz::Expect(parsed == direct.ParseFromString(bytes), "ParseMessage agrees with the parser");
  if (!parsed || !rpc::CleanText(request).ok()) {
    return 0;
  }
  for (const common::v1::Event& event : request.events()) {
    fuzz::Decode(event, receiver);
  }
  return 0;
}
