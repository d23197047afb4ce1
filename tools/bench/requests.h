#pragma once

// What the bench sends: tickets, call events, address checks and the bench
// branches, made up but valid, each with its own ids and idempotency key.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/dispatch/v1/dispatch.pb.h"
#include "hotline/intake/v1/call_center.pb.h"
#include "hotline/intake/v1/intake.pb.h"
#include "hotline/outage/v1/outage.pb.h"

namespace hotline::bench {

// A place of the demo province (deploy/outage/transformer-areas.csv): a
// transformer area with its feeder and its village or community.
struct DemoPlace {
  const char* transformer_area;
  const char* feeder;
  const char* city;
  const char* county;
  const char* township;
  const char* village;
  hotline::common::v1::AreaClass area_class;
};
const std::vector<DemoPlace>& DemoPlaces();

// The bench branches: branch `id` covers one village of its own in the demo
// province, so the repairs made there are routed to it.
std::string BenchVillage(const std::string& branch_id);
hotline::dispatch::v1::Branch BenchBranch(const std::string& branch_id);

// The repair a customer reports: no power at one household, at a street
// number made from `n`. `key` is the idempotency key and is also written in
// the description ("bench <key>"), so the order that reaches a branch tells
// which create it came from.
hotline::intake::v1::CreateTicketRequest RepairAt(const std::string& key, int64_t n,
                                                  const hotline::common::v1::Address& place,
                                                  absl::Time now);
// The address of a demo place: with its transformer area and feeder, or
// without (a repair with a transformer area of an open repair there is taken
// as a repeat of it, an urging, not a new repair).
hotline::common::v1::Address AddressOf(const DemoPlace& place, bool with_transformer_area);
// The address of a bench branch's village.
hotline::common::v1::Address AddressOfBranch(const std::string& branch_id);
// The key of a description written by RepairAt; empty for another.
std::string KeyOfDescription(const std::string& description);

// The kinds of ticket an agent takes in the 2004 county year (domain.md).
enum class TicketKind {
  kQuery,
  kConsultation,
  kRepair,
  kApplication,
  kComplaint,
  kReport,
  kTheftReport
};
hotline::intake::v1::CreateTicketRequest TicketOfKind(TicketKind kind, const std::string& key,
                                                      int64_t n, absl::BitGen& random,
                                                      absl::Time now);

// The events of one call the telephony side reports.
enum class CallEnd { kAnswered, kAbandoned, kVoiceLine };
void AppendCallEvents(const std::string& call_id, CallEnd end, absl::Time now,
                      std::vector<hotline::intake::v1::CallEvent>& out);

// An address check of a demo place.
hotline::outage::v1::CheckAddressRequest CheckOf(const DemoPlace& place, int64_t n);

}  // namespace hotline::bench
