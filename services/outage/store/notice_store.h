#pragma once

// SQL on the outage schema's notices and their change log (notice_events).
// A notice is stored whole (the serialized OutageNotice) beside the columns
// queries select by. Every function runs inside the caller's transaction;
// errors are the Status of libs/pg/errors.h, after which the transaction
// must roll back.

#include <cstdint>
#include <optional>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hotline/outage/v1/outage.pb.h"

namespace hotline::outage::store {

struct StoredNotice {
  v1::OutageNotice notice;
  std::string idempotency_key;  // "" when not published through PublishNotice
  std::string request_digest;
};

absl::StatusOr<std::optional<StoredNotice>> FindNotice(pqxx::work& tx, const std::string& notice_id,
                                                       bool lock);
absl::StatusOr<std::optional<StoredNotice>> FindNoticeByKey(pqxx::work& tx, const std::string& key);

// `place_key`: a proposal's place ("" otherwise); one proposal per place.
absl::Status InsertNotice(pqxx::work& tx, const v1::OutageNotice& notice, const std::string& key,
                          const std::string& digest, const std::string& place_key, absl::Time now);
// Stores the notice as moved on from the version before it (version - 1);
// ABORTED when another transaction changed it since (the caller's
// transaction is then run again).
absl::Status UpdateNotice(pqxx::work& tx, const v1::OutageNotice& notice, absl::Time now);
// Serialises the publishes of one idempotency key (transaction-level lock).
absl::Status LockKey(pqxx::work& tx, const std::string& key);

// Appends a change to the log, under one advisory lock so that sequences
// commit in their order; returns the event with its sequence.
absl::StatusOr<v1::NoticeEvent> AddNoticeEvent(pqxx::work& tx, v1::NoticeEventKind kind,
                                               const v1::OutageNotice& notice, absl::Time at);
// The changes after `after_sequence`, oldest first, at most `limit`.
absl::StatusOr<std::vector<v1::NoticeEvent>> NoticeEventsAfter(pqxx::work& tx,
                                                               int64_t after_sequence, int limit);
absl::StatusOr<int64_t> LastNoticeSequence(pqxx::work& tx);

// Scheduled and active notices.
absl::StatusOr<std::vector<v1::OutageNotice>> OpenNotices(pqxx::work& tx);

// The proposal open at a place, if any, locked.
absl::StatusOr<std::optional<v1::OutageNotice>> ProposalAt(pqxx::work& tx,
                                                           const std::string& place_key);

// Notices of a view read from the table (restored within [from, to), or
// proposed), after the cursor (planned start or restore time, notice id),
// at most `limit`.
struct NoticeCursor {
  absl::Time at;
  std::string notice_id;
};
absl::StatusOr<std::vector<v1::OutageNotice>> RestoredBetween(
    pqxx::work& tx, absl::Time from, absl::Time to, const std::optional<NoticeCursor>& after,
    int limit);
absl::StatusOr<std::vector<v1::OutageNotice>> Proposals(pqxx::work& tx,
                                                        const std::optional<NoticeCursor>& after,
                                                        int limit);

// The NOTIFY channel of notice changes (payload: the sequence).
inline constexpr char kNoticesChannel[] = "hotline_outage_notices";
absl::Status NotifyNoticeChange(pqxx::work& tx, int64_t sequence);

}  // namespace hotline::outage::store
