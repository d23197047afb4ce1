#pragma once

// The outage use cases, each in one PostgreSQL transaction: publishing,
// amending, starting, restoring, cancelling and confirming notices, address
// checks (from the in-memory index), lists, reliability figures, and the
// grouping of intake's repair calls into suspected fault outages. No gRPC:
// the service (api/outage_notices_service.h) authorises, validates and
// converts.
//
// Every change of a notice is logged (notice_events: WatchNotices and the
// other replicas' indexes read it) and announced (NOTIFY) in its own
// transaction; a restore also records the interruptions (customer-hours) and
// publishes "outage.restored" to intake, which resolves the repair tickets
// linked to the notice. After the commit this replica's index has the change.
//
// Thread-safe.

#include <functional>
#include <memory>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "hotline/common/v1/events.pb.h"
#include "hotline/outage/v1/outage.pb.h"
#include "libs/clock/clock.h"
#include "libs/pg/pool.h"
#include "services/outage/desk/notice_mirror.h"
#include "services/outage/desk/outage_metrics.h"
#include "services/outage/domain/notice_index.h"
#include "services/outage/domain/notice_state.h"
#include "services/outage/domain/reliability.h"
#include "services/outage/outage_settings.h"
#include "services/outage/store/repair_call_store.h"

namespace hotline::outage {

class NoticeDesk {
 public:
  // All must outlive the desk.
  NoticeDesk(pg::Pool& pool, const OutageSettings& settings, const clock::Clock& clock,
             OutageMetrics& metrics, NoticeMirror& mirror);

  absl::Time Now() const { return clock_.Now(); }

  // At start: merges the reference files' rows in, then reads the whole
  // reference data into memory.
  absl::Status SeedReference(const std::vector<TransformerArea>& areas,
                             const std::vector<AccountPlace>& accounts);

  // A validated request; `key` is the idempotency key scoped to the caller,
  // `digest` the request's fingerprint. The key used again for the same
  // notice returns it (replayed); for another, INVALID_ARGUMENT.
  absl::StatusOr<v1::PublishNoticeResponse> Publish(const v1::PublishNoticeRequest& request,
                                                    const std::string& key,
                                                    const std::string& digest,
                                                    const std::string& principal);
  // NOT_FOUND for an unknown notice; else the state machine's answers.
  absl::StatusOr<v1::AmendNoticeResponse> Amend(const v1::AmendNoticeRequest& request);
  absl::StatusOr<v1::OutageNotice> Cancel(const v1::CancelNoticeRequest& request);
  absl::StatusOr<v1::OutageNotice> Start(const v1::StartNoticeRequest& request);
  absl::StatusOr<v1::OutageNotice> Restore(const v1::RestoreNoticeRequest& request);
  absl::StatusOr<v1::OutageNotice> Confirm(const v1::ConfirmNoticeRequest& request);
  absl::StatusOr<v1::OutageNotice> Get(const std::string& notice_id);

  // From the index; UNAVAILABLE until it is loaded; NOT_FOUND for an
  // account the reference data does not know.
  absl::StatusOr<v1::CheckAddressResponse> Check(const v1::CheckAddressRequest& request);
  // INVALID_ARGUMENT "page.cursor: malformed".
  absl::StatusOr<v1::ListNoticesResponse> List(const v1::ListNoticesRequest& request);
  absl::StatusOr<v1::GetReliabilityResponse> Reliability(const v1::GetReliabilityRequest& request);

  // Applies one of intake's events inside the EventSink's transaction: a
  // repair's ticket.created is a call noted at its transformer area and
  // feeder, a ticket.urged of such a repair (a repeat call intake merged into
  // it) another call from there; a call makes a proposal when its place has
  // enough calls in the window.
  // Malformed payloads are logged and acknowledged. Errors: database errors.
  absl::Status ApplyEvent(pqxx::work& tx, const common::v1::Event& event);

  // The reference data held in memory (transformer areas).
  std::shared_ptr<const std::vector<TransformerArea>> reference() const;

 private:
  struct Moved {
    v1::OutageNotice notice;
    v1::NoticeEventKind kind = v1::NOTICE_EVENT_KIND_UNSPECIFIED;
  };
  using MoveFn =
      std::function<absl::StatusOr<Moved>(pqxx::work& tx, const v1::OutageNotice& notice)>;
  // Locks the notice, moves it, stores, logs and announces the change; after
  // the commit puts it into the index.
  absl::StatusOr<v1::OutageNotice> Move(const std::string& notice_id, const MoveFn& move);
  // Stores a new notice with its first change logged.
  absl::Status Insert(pqxx::work& tx, v1::OutageNotice& notice, v1::NoticeEventKind kind,
                      const std::string& key, const std::string& digest,
                      const std::string& place_key);
  absl::Status Record(pqxx::work& tx, v1::OutageNotice& notice, v1::NoticeEventKind kind);
  int64_t CustomersOf(const v1::OutageNotice& notice) const;
  // What a check asks about for an address: the address, and for its
  // transformer area the feeder and area the reference data knows (where the
  // address does not say), so that a notice over the feeder finds it.
  PlaceQuery AddressQuery(const common::v1::Address& address) const;
  PlaceQuery TransformerAreaQuery(const std::string& transformer_area) const;
  // Notes a call at a place, and proposes a suspected fault outage when the
  // place's calls make a cluster.
  absl::Status GroupCall(pqxx::work& tx, const store::CallPlace& place,
                         const store::RepairCall& call);

  pg::Pool& pool_;
  const OutageSettings& settings_;
  const absl::TimeZone zone_;
  const clock::Clock& clock_;
  OutageMetrics& metrics_;
  NoticeMirror& mirror_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const std::vector<TransformerArea>> reference_ ABSL_GUARDED_BY(mu_);
  // The same, by normalised transformer-area id.
  std::shared_ptr<const absl::flat_hash_map<std::string, TransformerArea>> reference_by_id_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::outage
