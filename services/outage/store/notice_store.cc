#include "services/outage/store/notice_store.h"

#include <pqxx/binarystring>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/pg/errors.h"
#include "libs/pg/notifications.h"
#include "libs/pg/prepared.h"
#include "libs/pg/sql_values.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::outage::store {
namespace {

constexpr char kColumns[] = "notice, coalesce(idempotency_key, ''), request_digest";

const std::string kSelectNotice =
    absl::StrCat("SELECT ", kColumns, " FROM outage.notices WHERE notice_id = $1::uuid");
const std::string kSelectNoticeForUpdate = absl::StrCat(kSelectNotice, " FOR UPDATE");
const std::string kSelectByKey =
    absl::StrCat("SELECT ", kColumns, " FROM outage.notices WHERE idempotency_key = $1");

// clang-format off
constexpr char kInsert[] =
    "INSERT INTO outage.notices (notice_id, kind, state, planned_start, planned_restore, "
    "  restored_at, version, late, place_key, notice, idempotency_key, request_digest, "
    "  published_at, updated_at) "
    "VALUES ($1::uuid, $2, $3, " HOTLINE_PG_TIME("$4") ", " HOTLINE_PG_TIME("$5") ", "
    "  " HOTLINE_PG_TIME("$6") ", $7, $8, $9, $10, NULLIF($11, ''), $12, "
    "  " HOTLINE_PG_TIME("$13") ", " HOTLINE_PG_TIME("$13") ")";

constexpr char kUpdate[] =
    "UPDATE outage.notices SET kind = $2, state = $3, planned_start = " HOTLINE_PG_TIME("$4") ", "
    "  planned_restore = " HOTLINE_PG_TIME("$5") ", restored_at = " HOTLINE_PG_TIME("$6") ", "
    "  version = $7, late = $8, notice = $9, updated_at = " HOTLINE_PG_TIME("$10") " "
    "WHERE notice_id = $1::uuid AND version = $11";
// clang-format on

constexpr char kLockEvents[] =
    "SELECT pg_advisory_xact_lock(hashtextextended('hotline.outage.notice_events', 0))";
constexpr char kInsertEvent[] =
    "INSERT INTO outage.notice_events (notice_id, kind, at, event) "
    "VALUES ($1::uuid, $2, " HOTLINE_PG_TIME("$3") ", $4) RETURNING sequence";
constexpr char kEventsAfter[] =
    "SELECT sequence, event FROM outage.notice_events WHERE sequence > $1 "
    "ORDER BY sequence LIMIT $2";
constexpr char kLastSequence[] = "SELECT coalesce(max(sequence), 0) FROM outage.notice_events";
constexpr char kOpen[] =
    "SELECT notice FROM outage.notices WHERE state IN ('scheduled', 'active') "
    "ORDER BY planned_start, notice_id";
constexpr char kProposalAt[] =
    "SELECT notice FROM outage.notices WHERE state = 'proposed' AND place_key = $1 FOR UPDATE";
constexpr char kRestoredBetween[] =
    "SELECT notice FROM outage.notices WHERE state = 'restored' "
    "  AND restored_at >= " HOTLINE_PG_TIME("$1") " AND restored_at < " HOTLINE_PG_TIME("$2") " "
    "  AND ($3 = '' OR (restored_at, notice_id) > (" HOTLINE_PG_TIME("$3") ", NULLIF($4, '')::uuid)) "
    "ORDER BY restored_at, notice_id LIMIT $5";
constexpr char kProposals[] =
    "SELECT notice FROM outage.notices WHERE state = 'proposed' "
    "  AND ($1 = '' OR (planned_start, notice_id) > (" HOTLINE_PG_TIME("$1") ", NULLIF($2, '')::uuid)) "
    "ORDER BY planned_start, notice_id LIMIT $3";
constexpr char kLockKey[] =
    "SELECT pg_advisory_xact_lock(hashtextextended('hotline.outage.key:' || $1, 0))";

template <typename Message>
Message Parse(const pqxx::field& field) {
  Message message;
  const pqxx::binarystring bytes(field);
  message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  return message;
}

std::string Bytes(const google::protobuf::Message& message) { return message.SerializeAsString(); }

std::vector<v1::OutageNotice> ReadNotices(const pqxx::result& result) {
  std::vector<v1::OutageNotice> out;
  out.reserve(result.size());
  for (const pqxx::row& row : result) {
    out.push_back(Parse<v1::OutageNotice>(row[0]));
  }
  return out;
}

std::optional<StoredNotice> ReadStored(const pqxx::result& result) {
  if (result.empty()) {
    return std::nullopt;
  }
  StoredNotice stored;
  stored.notice = Parse<v1::OutageNotice>(result[0][0]);
  stored.idempotency_key = result[0][1].as<std::string>();
  stored.request_digest = result[0][2].as<std::string>();
  return stored;
}

std::optional<absl::Time> OptionalTime(const google::protobuf::Timestamp& t, bool has) {
  return has ? std::optional<absl::Time>(FromProtoTime(t)) : std::nullopt;
}

}  // namespace

absl::StatusOr<std::optional<StoredNotice>> FindNotice(pqxx::work& tx, const std::string& notice_id,
                                                       bool lock) {
  return pg::Guarded("reading a notice", [&]() -> absl::StatusOr<std::optional<StoredNotice>> {
    return ReadStored(pg::Exec(tx, lock ? kSelectNoticeForUpdate : kSelectNotice, notice_id));
  });
}

absl::StatusOr<std::optional<StoredNotice>> FindNoticeByKey(pqxx::work& tx,
                                                            const std::string& key) {
  return pg::Guarded("reading a notice", [&]() -> absl::StatusOr<std::optional<StoredNotice>> {
    return ReadStored(pg::Exec(tx, kSelectByKey, key));
  });
}

absl::Status InsertNotice(pqxx::work& tx, const v1::OutageNotice& n, const std::string& key,
                          const std::string& digest, const std::string& place_key, absl::Time now) {
  return pg::Guarded("storing a notice", [&]() -> absl::Status {
    const pqxx::binarystring bytes(Bytes(n));
    pg::Exec0(tx, kInsert, n.notice_id(), EnumText(n.kind()), EnumText(n.state()),
              pg::MicrosParam(FromProtoTime(n.planned_start())),
              pg::MicrosParam(OptionalTime(n.planned_restore(), n.has_planned_restore())),
              pg::MicrosParam(OptionalTime(n.restored_at(), n.has_restored_at())), n.version(),
              n.timeliness().late(), place_key, bytes, key, digest, pg::MicrosParam(now));
    return absl::OkStatus();
  });
}

absl::Status UpdateNotice(pqxx::work& tx, const v1::OutageNotice& n, absl::Time now) {
  return pg::Guarded("updating a notice", [&]() -> absl::Status {
    const pqxx::binarystring bytes(Bytes(n));
    pqxx::result r =
        pg::Exec(tx, kUpdate, n.notice_id(), EnumText(n.kind()), EnumText(n.state()),
                 pg::MicrosParam(FromProtoTime(n.planned_start())),
                 pg::MicrosParam(OptionalTime(n.planned_restore(), n.has_planned_restore())),
                 pg::MicrosParam(OptionalTime(n.restored_at(), n.has_restored_at())), n.version(),
                 n.timeliness().late(), bytes, pg::MicrosParam(now), n.version() - 1);
    if (r.affected_rows() == 0) {
      // Changed by another transaction since it was read: read it again.
      return absl::AbortedError(absl::StrCat("notice ", n.notice_id(), " changed meanwhile"));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::NoticeEvent> AddNoticeEvent(pqxx::work& tx, v1::NoticeEventKind kind,
                                               const v1::OutageNotice& notice, absl::Time at) {
  return pg::Guarded("recording a notice change", [&]() -> absl::StatusOr<v1::NoticeEvent> {
    v1::NoticeEvent event;
    event.set_kind(kind);
    *event.mutable_notice() = notice;
    *event.mutable_at() = ToProtoTime(at);
    pg::Exec(tx, kLockEvents);
    const pqxx::binarystring bytes(Bytes(event));
    pqxx::result r =
        pg::Exec(tx, kInsertEvent, notice.notice_id(), EnumText(kind), pg::MicrosParam(at), bytes);
    event.set_sequence(r[0][0].as<int64_t>());
    return event;
  });
}

absl::StatusOr<std::vector<v1::NoticeEvent>> NoticeEventsAfter(pqxx::work& tx,
                                                               int64_t after_sequence, int limit) {
  return pg::Guarded(
      "reading notice changes", [&]() -> absl::StatusOr<std::vector<v1::NoticeEvent>> {
        std::vector<v1::NoticeEvent> out;
        for (const pqxx::row& row : pg::Exec(tx, kEventsAfter, after_sequence, limit)) {
          v1::NoticeEvent event = Parse<v1::NoticeEvent>(row[1]);
          event.set_sequence(row[0].as<int64_t>());
          out.push_back(std::move(event));
        }
        return out;
      });
}

absl::StatusOr<int64_t> LastNoticeSequence(pqxx::work& tx) {
  return pg::Guarded("reading the last notice change", [&]() -> absl::StatusOr<int64_t> {
    return pg::Exec1(tx, kLastSequence)[0].as<int64_t>();
  });
}

absl::StatusOr<std::vector<v1::OutageNotice>> OpenNotices(pqxx::work& tx) {
  return pg::Guarded("reading open notices",
                     [&]() -> absl::StatusOr<std::vector<v1::OutageNotice>> {
                       return ReadNotices(pg::Exec(tx, kOpen));
                     });
}

absl::StatusOr<std::optional<v1::OutageNotice>> ProposalAt(pqxx::work& tx,
                                                           const std::string& place_key) {
  return pg::Guarded(
      "reading a proposal", [&]() -> absl::StatusOr<std::optional<v1::OutageNotice>> {
        std::vector<v1::OutageNotice> found = ReadNotices(pg::Exec(tx, kProposalAt, place_key));
        if (found.empty()) {
          return std::optional<v1::OutageNotice>();
        }
        return std::optional<v1::OutageNotice>(std::move(found[0]));
      });
}

absl::StatusOr<std::vector<v1::OutageNotice>> RestoredBetween(
    pqxx::work& tx, absl::Time from, absl::Time to, const std::optional<NoticeCursor>& after,
    int limit) {
  return pg::Guarded(
      "reading restored notices", [&]() -> absl::StatusOr<std::vector<v1::OutageNotice>> {
        return ReadNotices(pg::Exec(tx, kRestoredBetween, pg::MicrosParam(from),
                                    pg::MicrosParam(to),
                                    after ? pg::MicrosParam(after->at) : std::string(),
                                    after ? after->notice_id : std::string(), limit));
      });
}

absl::StatusOr<std::vector<v1::OutageNotice>> Proposals(pqxx::work& tx,
                                                        const std::optional<NoticeCursor>& after,
                                                        int limit) {
  return pg::Guarded("reading proposals", [&]() -> absl::StatusOr<std::vector<v1::OutageNotice>> {
    return ReadNotices(pg::Exec(tx, kProposals, after ? pg::MicrosParam(after->at) : std::string(),
                                after ? after->notice_id : std::string(), limit));
  });
}

absl::Status NotifyNoticeChange(pqxx::work& tx, int64_t sequence) {
  return pg::Guarded("announcing a notice change", [&]() -> absl::Status {
    pg::Notify(tx, kNoticesChannel, absl::StrCat(sequence));
    return absl::OkStatus();
  });
}

absl::Status LockKey(pqxx::work& tx, const std::string& key) {
  return pg::Guarded("locking an idempotency key", [&]() -> absl::Status {
    pg::Exec(tx, kLockKey, key);
    return absl::OkStatus();
  });
}

}  // namespace hotline::outage::store
