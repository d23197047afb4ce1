#pragma once

// SQL on the repair calls noted by place, for grouping them into suspected
// fault outages. Every function runs inside the caller's transaction.

#include <cstdint>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace hotline::outage::store {

// A place calls come from: "transformer_area:<normalised id>" or
// "feeder:<normalised id>", and the id as the caller wrote it.
struct CallPlace {
  std::string key;
  std::string written_as;
};

struct RepairCall {
  std::string call_id;
  std::string ticket_id;
  absl::Time called_at;
};

// Serialises the grouping of one place's calls (transaction-level lock).
absl::Status LockPlace(pqxx::work& tx, const std::string& place_key);
// Notes a call; false when it was noted at this place already.
absl::StatusOr<bool> AddRepairCall(pqxx::work& tx, const CallPlace& place, const RepairCall& call);
// The places a ticket's first call was noted at.
absl::StatusOr<std::vector<CallPlace>> PlacesOfTicket(pqxx::work& tx, const std::string& ticket_id);
// The place's calls within [from, to] that went into no proposal yet, by time.
absl::StatusOr<std::vector<RepairCall>> UngroupedCalls(pqxx::work& tx, const std::string& place_key,
                                                       absl::Time from, absl::Time to);
absl::Status MarkGrouped(pqxx::work& tx, const std::string& place_key,
                         const std::vector<std::string>& call_ids, const std::string& notice_id);
// Drops calls noted more than `kept` ago; returns how many.
absl::StatusOr<int64_t> PurgeRepairCalls(pqxx::work& tx, absl::Duration kept);

}  // namespace hotline::outage::store
