#include "services/outage/desk/notice_desk.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/outage/v1/events.pb.h"
#include "libs/address/address_text.h"
#include "libs/events/event_sink_service.h"
#include "libs/events/publisher.h"
#include "libs/log/log.h"
#include "libs/pg/transaction.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"
#include "libs/text/uuid.h"
#include "services/outage/domain/notice_index.h"
#include "services/outage/domain/notice_requests.h"
#include "services/outage/domain/repair_cluster.h"
#include "services/outage/domain/voice_text.h"
#include "services/outage/store/notice_store.h"
#include "services/outage/store/reference_store.h"
#include "services/outage/store/repair_call_store.h"

namespace hotline::outage {
namespace {

constexpr char kSource[] = "outage";
constexpr char kIntake[] = "intake";
constexpr char kRestoredTopic[] = "outage.restored";
// The keys of the places repair calls are grouped by.
constexpr char kTransformerAreaPlace[] = "transformer_area:";
constexpr char kFeederPlace[] = "feeder:";
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr absl::Duration kDefaultUpcoming = absl::Hours(7 * 24);
constexpr absl::Duration kDefaultRestored = absl::Hours(24);

// Until the reference data and the index are loaded, a change would count no
// customers and a grouping would not see the notices in effect.
absl::Status Loading() {
  return absl::UnavailableError("outage is still loading its index; try again shortly");
}

// Times as PostgreSQL keeps them (microseconds), so a notice reads back equal
// and paging cursors compare exactly.
// Only the times that are set: mutable_*() would set an unset one to the epoch.
void TruncateTimes(v1::OutageNotice& n) {
  const auto truncate = [](bool set, google::protobuf::Timestamp* (v1::OutageNotice::*field)(),
                           v1::OutageNotice& notice) {
    if (set) {
      google::protobuf::Timestamp* t = (notice.*field)();
      t->set_nanos(t->nanos() / 1000 * 1000);
    }
  };
  truncate(n.has_planned_start(), &v1::OutageNotice::mutable_planned_start, n);
  truncate(n.has_planned_restore(), &v1::OutageNotice::mutable_planned_restore, n);
  truncate(n.has_started_at(), &v1::OutageNotice::mutable_started_at, n);
  truncate(n.has_restored_at(), &v1::OutageNotice::mutable_restored_at, n);
  truncate(n.has_cancelled_at(), &v1::OutageNotice::mutable_cancelled_at, n);
  truncate(n.has_published_at(), &v1::OutageNotice::mutable_published_at, n);
  for (v1::PlaceRestore& place : *n.mutable_restored_places()) {
    place.mutable_restored_at()->set_nanos(place.restored_at().nanos() / 1000 * 1000);
  }
}

absl::Status NotFound(const std::string& notice_id) {
  return absl::NotFoundError(absl::StrCat("notice ", notice_id, " not found"));
}

// A time the client may leave unset (now), not ahead of now by more than the skew.
absl::StatusOr<absl::Time> TimeOrNow(absl::string_view field, bool has,
                                     const google::protobuf::Timestamp& t, absl::Time now,
                                     absl::Duration skew) {
  if (!has) {
    return now;
  }
  return ClientTimeFromProto(field, t, now, skew);
}

std::string EncodeCursor(absl::Time at, const std::string& notice_id) {
  return absl::StrCat(absl::ToUnixMicros(at), "_", notice_id);
}

absl::StatusOr<std::optional<store::NoticeCursor>> DecodeCursor(const std::string& cursor) {
  if (cursor.empty()) {
    return std::optional<store::NoticeCursor>();
  }
  std::vector<std::string> parts = absl::StrSplit(cursor, absl::MaxSplits('_', 1));
  int64_t micros = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &micros) || !text::IsUuid(parts[1])) {
    return absl::InvalidArgumentError("page.cursor: malformed");
  }
  return std::optional<store::NoticeCursor>(
      store::NoticeCursor{absl::FromUnixMicros(micros), parts[1]});
}

int PageSize(const common::v1::PageRequest& page) {
  return page.page_size() <= 0 ? kDefaultPageSize : std::min(page.page_size(), kMaxPageSize);
}

std::vector<common::v1::Address> Areas(const v1::OutageNotice& notice) {
  return {notice.areas().begin(), notice.areas().end()};
}
std::vector<std::string> TransformerAreas(const v1::OutageNotice& notice) {
  return {notice.transformer_areas().begin(), notice.transformer_areas().end()};
}
std::vector<std::string> Feeders(const v1::OutageNotice& notice) {
  return {notice.feeders().begin(), notice.feeders().end()};
}

bool AreaGiven(const common::v1::Address& area) {
  for (const std::string& part : address::AreaPartsOf(area)) {
    if (!part.empty()) {
      return true;
    }
  }
  return false;
}

// An area as libs/address compares areas: its parts down to the deepest given.
std::vector<std::string> AreaPath(const common::v1::Address& area) {
  address::AreaParts parts = address::AreaPartsOf(area);
  size_t depth = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].empty()) {
      depth = i + 1;
    }
  }
  return {parts.begin(), parts.begin() + static_cast<std::ptrdiff_t>(depth)};
}

// Whether a notice has a place in `area`, or `area` lies inside one of its
// areas: its areas nest with it, or a transformer area or feeder of the
// notice belongs to the reference data's areas inside it.
bool NoticeTouches(const v1::OutageNotice& notice, const std::vector<std::string>& area,
                   const std::vector<TransformerArea>& reference) {
  for (const common::v1::Address& own : notice.areas()) {
    if (address::AreasNest(AreaPath(own), area)) {
      return true;
    }
  }
  for (const TransformerArea* ta :
       CoveredTransformerAreas({}, TransformerAreas(notice), Feeders(notice), reference)) {
    if (address::AddressHolds(area, address::AreaPartsOf(ta->area))) {
      return true;
    }
  }
  return false;
}

// The places of a notice not yet restored, into the restore event.
void AddStillOff(const v1::OutageNotice& notice, v1::NoticeRestored& event) {
  auto restored = [&](auto matches) {
    for (const v1::PlaceRestore& place : notice.restored_places()) {
      if (matches(place)) {
        return true;
      }
    }
    return false;
  };
  for (const common::v1::Address& area : notice.areas()) {
    if (!restored([&](const v1::PlaceRestore& p) {
          return p.has_area() && address::AreaPartsOf(p.area()) == address::AreaPartsOf(area);
        })) {
      *event.add_still_off_areas() = area;
    }
  }
  for (const std::string& ta : notice.transformer_areas()) {
    if (!restored([&](const v1::PlaceRestore& p) {
          return !p.transformer_area().empty() &&
                 address::NormalizeAddressText(p.transformer_area()) ==
                     address::NormalizeAddressText(ta);
        })) {
      event.add_still_off_transformer_areas(ta);
    }
  }
  for (const std::string& feeder : notice.feeders()) {
    if (!restored([&](const v1::PlaceRestore& p) {
          return !p.feeder().empty() &&
                 address::NormalizeAddressText(p.feeder()) == address::NormalizeAddressText(feeder);
        })) {
      event.add_still_off_feeders(feeder);
    }
  }
}

}  // namespace

NoticeDesk::NoticeDesk(pg::Pool& pool, const OutageSettings& settings, const clock::Clock& clock,
                       OutageMetrics& metrics, NoticeMirror& mirror)
    : pool_(pool),
      settings_(settings),
      zone_(settings.Zone()),
      clock_(clock),
      metrics_(metrics),
      mirror_(mirror),
      reference_(std::make_shared<const std::vector<TransformerArea>>()),
      reference_by_id_(
          std::make_shared<const absl::flat_hash_map<std::string, TransformerArea>>()) {}

std::shared_ptr<const std::vector<TransformerArea>> NoticeDesk::reference() const {
  absl::MutexLock lock(&mu_);
  return reference_;
}

absl::Status NoticeDesk::SeedReference(const std::vector<TransformerArea>& areas,
                                       const std::vector<AccountPlace>& accounts) {
  std::vector<TransformerArea> loaded;
  absl::Status committed = pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(store::UpsertTransformerAreas(tx, areas));
    HOTLINE_RETURN_IF_ERROR(store::UpsertAccounts(tx, accounts));
    HOTLINE_ASSIGN_OR_RETURN(loaded, store::LoadTransformerAreas(tx));
    return absl::OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(committed);
  int64_t customers = 0;
  for (const TransformerArea& area : loaded) {
    customers += area.customers;
  }
  log::Info("outage", "reference data: ", loaded.size(), " transformer areas with ", customers,
            " customers (", areas.size(), " and ", accounts.size(),
            " accounts merged in from the files)");
  auto by_id = std::make_shared<absl::flat_hash_map<std::string, TransformerArea>>();
  for (const TransformerArea& area : loaded) {
    (*by_id)[address::NormalizeAddressText(area.transformer_area)] = area;
  }
  absl::MutexLock lock(&mu_);
  reference_ = std::make_shared<const std::vector<TransformerArea>>(std::move(loaded));
  reference_by_id_ = std::move(by_id);
  return absl::OkStatus();
}

PlaceQuery NoticeDesk::AddressQuery(const common::v1::Address& address) const {
  std::shared_ptr<const absl::flat_hash_map<std::string, TransformerArea>> by_id;
  {
    absl::MutexLock lock(&mu_);
    by_id = reference_by_id_;
  }
  common::v1::Address where = address;
  auto found = address.transformer_area().empty()
                   ? by_id->end()
                   : by_id->find(address::NormalizeAddressText(address.transformer_area()));
  if (found != by_id->end()) {
    // What the reference data knows of the transformer area: its feeder,
    // and where it lies when the address does not say.
    if (where.feeder().empty()) {
      where.set_feeder(found->second.feeder);
    }
    if (!AreaGiven(where)) {
      const common::v1::Address& area = found->second.area;
      where.set_province(area.province());
      where.set_city(area.city());
      where.set_county(area.county());
      where.set_township(area.township());
      where.set_village_or_community(area.village_or_community());
    }
  }
  return PlaceOf(where);
}

PlaceQuery NoticeDesk::TransformerAreaQuery(const std::string& transformer_area) const {
  common::v1::Address where;
  where.set_transformer_area(transformer_area);
  return AddressQuery(where);
}

int64_t NoticeDesk::CustomersOf(const v1::OutageNotice& notice) const {
  std::shared_ptr<const std::vector<TransformerArea>> reference = this->reference();
  int64_t customers = 0;
  for (const TransformerArea* ta : CoveredTransformerAreas(Areas(notice), TransformerAreas(notice),
                                                           Feeders(notice), *reference)) {
    customers += ta->customers;
  }
  return customers;
}

absl::Status NoticeDesk::Record(pqxx::work& tx, v1::OutageNotice& notice,
                                v1::NoticeEventKind kind) {
  TruncateTimes(notice);
  notice.set_voice_text(VoiceText(notice, zone_));
  HOTLINE_ASSIGN_OR_RETURN(v1::NoticeEvent event, store::AddNoticeEvent(tx, kind, notice, Now()));
  return store::NotifyNoticeChange(tx, event.sequence());
}

absl::Status NoticeDesk::Insert(pqxx::work& tx, v1::OutageNotice& notice, v1::NoticeEventKind kind,
                                const std::string& key, const std::string& digest,
                                const std::string& place_key) {
  TruncateTimes(notice);
  notice.set_voice_text(VoiceText(notice, zone_));
  HOTLINE_RETURN_IF_ERROR(store::InsertNotice(tx, notice, key, digest, place_key, Now()));
  return Record(tx, notice, kind);
}

absl::StatusOr<v1::PublishNoticeResponse> NoticeDesk::Publish(
    const v1::PublishNoticeRequest& request, const std::string& key, const std::string& digest,
    const std::string& principal) {
  if (!mirror_.ready()) {
    return Loading();
  }
  const absl::Time now = Now();
  v1::PublishNoticeResponse response;
  absl::Status committed = pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
    response.Clear();
    // Two calls with one key at once: the second waits, then replays.
    HOTLINE_RETURN_IF_ERROR(store::LockKey(tx, key));
    HOTLINE_ASSIGN_OR_RETURN(std::optional<store::StoredNotice> stored,
                             store::FindNoticeByKey(tx, key));
    if (stored.has_value()) {
      if (stored->request_digest != digest) {
        return absl::InvalidArgumentError(
            "idempotency_key: already used for another notice; use a new key");
      }
      *response.mutable_notice() = stored->notice;
      response.set_replayed(true);
      return absl::OkStatus();
    }
    HOTLINE_RETURN_IF_ERROR(ValidatePublishInTime(request.notice(), settings_.rules, now));
    v1::OutageNotice notice =
        PublishedNotice(settings_.rules, request.notice(), events::NewUuid(), principal, now);
    notice.set_customers_affected(CustomersOf(notice));
    HOTLINE_RETURN_IF_ERROR(
        Insert(tx, notice, v1::NOTICE_EVENT_KIND_PUBLISHED, key, digest, std::string()));
    *response.mutable_notice() = std::move(notice);
    return absl::OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(committed);
  if (!response.replayed()) {
    mirror_.Put(response.notice());
    metrics_.Published(response.notice());
  }
  return response;
}

absl::StatusOr<v1::OutageNotice> NoticeDesk::Move(const std::string& notice_id,
                                                  const MoveFn& move) {
  if (!mirror_.ready()) {
    return Loading();
  }
  v1::OutageNotice moved;
  absl::Status committed = pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(std::optional<store::StoredNotice> stored,
                             store::FindNotice(tx, notice_id, /*lock=*/true));
    if (!stored.has_value()) {
      return NotFound(notice_id);
    }
    HOTLINE_ASSIGN_OR_RETURN(Moved result, move(tx, stored->notice));
    HOTLINE_RETURN_IF_ERROR(Record(tx, result.notice, result.kind));
    HOTLINE_RETURN_IF_ERROR(store::UpdateNotice(tx, result.notice, Now()));
    moved = std::move(result.notice);
    return absl::OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(committed);
  mirror_.Put(moved);
  return moved;
}

absl::StatusOr<v1::AmendNoticeResponse> NoticeDesk::Amend(const v1::AmendNoticeRequest& request) {
  const absl::Time now = Now();
  v1::AmendNoticeResponse response;
  HOTLINE_ASSIGN_OR_RETURN(
      v1::OutageNotice notice,
      Move(request.notice_id(),
           [&](pqxx::work&, const v1::OutageNotice& current) -> absl::StatusOr<Moved> {
             if (request.expected_version() != 0 &&
                 request.expected_version() != current.version()) {
               return absl::AbortedError(
                   absl::StrCat("expected_version: the notice is at version ", current.version(),
                                ", not ", request.expected_version(), "; read it again"));
             }
             std::optional<absl::Time> start;
             std::optional<absl::Time> restore;
             if (request.has_planned_start()) {
               start = FromProtoTime(request.planned_start());
             }
             if (request.has_planned_restore()) {
               restore = FromProtoTime(request.planned_restore());
             }
             HOTLINE_ASSIGN_OR_RETURN(
                 AmendOutcome outcome,
                 AmendedNotice(settings_.rules, current, start, restore, request.reason(), now));
             response.Clear();
             *response.mutable_timeliness() = outcome.terms.timeliness;
             for (v1::DirectCustomer& customer : outcome.to_tell) {
               *response.add_to_tell() = std::move(customer);
             }
             return Moved{std::move(outcome.notice), v1::NOTICE_EVENT_KIND_AMENDED};
           }));
  *response.mutable_notice() = std::move(notice);
  return response;
}

absl::StatusOr<v1::OutageNotice> NoticeDesk::Cancel(const v1::CancelNoticeRequest& request) {
  const absl::Time now = Now();
  return Move(request.notice_id(),
              [&](pqxx::work&, const v1::OutageNotice& current) -> absl::StatusOr<Moved> {
                HOTLINE_ASSIGN_OR_RETURN(v1::OutageNotice notice,
                                         CancelledNotice(current, request.reason(), now));
                return Moved{std::move(notice), v1::NOTICE_EVENT_KIND_CANCELLED};
              });
}

absl::StatusOr<v1::OutageNotice> NoticeDesk::Start(const v1::StartNoticeRequest& request) {
  const absl::Time now = Now();
  HOTLINE_ASSIGN_OR_RETURN(
      absl::Time at, TimeOrNow("started_at", request.has_started_at(), request.started_at(), now,
                               settings_.client_clock_skew));
  return Move(request.notice_id(),
              [&](pqxx::work&, const v1::OutageNotice& current) -> absl::StatusOr<Moved> {
                HOTLINE_ASSIGN_OR_RETURN(
                    v1::OutageNotice notice,
                    StartedNotice(current, at, now + settings_.client_clock_skew));
                return Moved{std::move(notice), v1::NOTICE_EVENT_KIND_STARTED};
              });
}

absl::StatusOr<v1::OutageNotice> NoticeDesk::Restore(const v1::RestoreNoticeRequest& request) {
  const absl::Time now = Now();
  HOTLINE_ASSIGN_OR_RETURN(
      absl::Time at, TimeOrNow("restored_at", request.has_restored_at(), request.restored_at(), now,
                               settings_.client_clock_skew));
  RestorePlaces places;
  places.areas.assign(request.areas().begin(), request.areas().end());
  places.transformer_areas.assign(request.transformer_areas().begin(),
                                  request.transformer_areas().end());
  places.feeders.assign(request.feeders().begin(), request.feeders().end());
  std::shared_ptr<const std::vector<TransformerArea>> reference = this->reference();
  double hours = 0;
  HOTLINE_ASSIGN_OR_RETURN(
      v1::OutageNotice restored,
      Move(request.notice_id(),
           [&](pqxx::work& tx, const v1::OutageNotice& current) -> absl::StatusOr<Moved> {
             HOTLINE_ASSIGN_OR_RETURN(
                 RestoreOutcome outcome,
                 RestoredNotice(current, places, at, now + settings_.client_clock_skew));
             // The customers of what came back, without power since the start.
             std::vector<Interruption> interruptions;
             for (const TransformerArea* ta : CoveredTransformerAreas(
                      outcome.restored.areas, outcome.restored.transformer_areas,
                      outcome.restored.feeders, *reference)) {
               interruptions.push_back({outcome.notice.notice_id(), ta->transformer_area,
                                        ta->customers, EffectiveStart(outcome.notice), at});
             }
             HOTLINE_ASSIGN_OR_RETURN(hours, store::AddInterruptions(tx, interruptions));
             outcome.notice.set_customer_hours(outcome.notice.customer_hours() + hours);

             v1::NoticeRestored event;
             event.set_notice_id(outcome.notice.notice_id());
             event.set_whole(outcome.whole);
             if (!outcome.whole) {
               for (const common::v1::Address& area : outcome.restored.areas) {
                 *event.add_areas() = area;
               }
               for (const std::string& ta : outcome.restored.transformer_areas) {
                 event.add_transformer_areas(ta);
               }
               for (const std::string& feeder : outcome.restored.feeders) {
                 event.add_feeders(feeder);
               }
               AddStillOff(outcome.notice, event);
             }
             *event.mutable_restored_at() = ToProtoTime(at);
             HOTLINE_RETURN_IF_ERROR(events::Publish(tx, kSource, {kIntake}, kRestoredTopic,
                                                     outcome.notice.notice_id(), event));
             return Moved{std::move(outcome.notice), v1::NOTICE_EVENT_KIND_RESTORED};
           }));
  metrics_.CustomerHours(hours);
  return restored;
}

absl::StatusOr<v1::OutageNotice> NoticeDesk::Confirm(const v1::ConfirmNoticeRequest& request) {
  const absl::Time now = Now();
  return Move(request.notice_id(),
              [&](pqxx::work&, const v1::OutageNotice& current) -> absl::StatusOr<Moved> {
                HOTLINE_ASSIGN_OR_RETURN(v1::OutageNotice notice,
                                         ConfirmedNotice(current, request, now));
                return Moved{std::move(notice), v1::NOTICE_EVENT_KIND_CONFIRMED};
              });
}

absl::StatusOr<v1::OutageNotice> NoticeDesk::Get(const std::string& notice_id) {
  return pg::WithTransactionResult<v1::OutageNotice>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::OutageNotice> {
        HOTLINE_ASSIGN_OR_RETURN(std::optional<store::StoredNotice> stored,
                                 store::FindNotice(tx, notice_id, /*lock=*/false));
        if (!stored.has_value()) {
          return NotFound(notice_id);
        }
        return std::move(stored->notice);
      });
}

absl::StatusOr<v1::CheckAddressResponse> NoticeDesk::Check(const v1::CheckAddressRequest& request) {
  if (!mirror_.ready()) {
    return absl::UnavailableError("the outage index is still loading; try again shortly");
  }
  const absl::Time now = Now();
  HOTLINE_ASSIGN_OR_RETURN(
      absl::Time at, TimeOrNow("at", request.has_at(), request.at(), now, absl::Hours(24 * 366)));
  const common::v1::Address& address = request.address();
  PlaceQuery query;
  if (AreaGiven(address) || !address.transformer_area().empty() || !address.feeder().empty()) {
    query = AddressQuery(address);
  } else if (!request.account_number().empty()) {
    HOTLINE_ASSIGN_OR_RETURN(
        std::optional<std::string> ta,
        pg::WithTransactionResult<std::optional<std::string>>(pool_, [&](pqxx::work& tx) {
          return store::TransformerAreaOfAccount(tx, request.account_number());
        }));
    if (!ta.has_value()) {
      metrics_.Checked(OutageMetrics::CheckResult::kUnknownAccount);
      return absl::NotFoundError(absl::StrCat("account_number: account ", request.account_number(),
                                              " is not in the reference data"));
    }
    query = TransformerAreaQuery(*ta);
  } else {
    query = TransformerAreaQuery(request.transformer_area());
  }

  v1::CheckAddressResponse response;
  const v1::OutageNotice* in_effect = nullptr;
  std::vector<v1::OutageNotice> covering = mirror_.index().Covering(query);
  for (const v1::OutageNotice& notice : covering) {
    if (InEffect(notice, at) &&
        (in_effect == nullptr ||
         FromProtoTime(notice.planned_restore()) > FromProtoTime(in_effect->planned_restore()))) {
      in_effect = &notice;
    }
  }
  if (in_effect != nullptr) {
    response.set_affected(true);
    *response.mutable_notice() = *in_effect;
  }
  for (v1::OutageNotice& notice : covering) {
    *response.add_notices() = std::move(notice);
  }
  metrics_.Checked(response.affected()          ? OutageMetrics::CheckResult::kAffected
                   : response.notices().empty() ? OutageMetrics::CheckResult::kClear
                                                : OutageMetrics::CheckResult::kUpcoming);
  return response;
}

absl::StatusOr<v1::ListNoticesResponse> NoticeDesk::List(const v1::ListNoticesRequest& request) {
  const absl::Time now = Now();
  const int limit = PageSize(request.page());
  HOTLINE_ASSIGN_OR_RETURN(std::optional<store::NoticeCursor> cursor,
                           DecodeCursor(request.page().cursor()));
  const bool by_area = AreaGiven(request.area());
  const std::vector<std::string> area = AreaPath(request.area());
  std::shared_ptr<const std::vector<TransformerArea>> reference = this->reference();
  auto wanted = [&](const v1::OutageNotice& notice) {
    return !by_area || NoticeTouches(notice, area, *reference);
  };
  const absl::Duration asked = FromProtoDuration(request.within());
  const absl::Duration within = asked > absl::ZeroDuration()                 ? asked
                                : request.view() == v1::NOTICE_VIEW_RESTORED ? kDefaultRestored
                                                                             : kDefaultUpcoming;

  v1::ListNoticesResponse response;
  auto add = [&](const v1::OutageNotice& notice, absl::Time at) {
    if (response.notices_size() == limit) {
      return false;
    }
    *response.add_notices() = notice;
    response.mutable_page()->set_next_cursor(EncodeCursor(at, notice.notice_id()));
    return true;
  };
  const v1::NoticeView view = request.view();
  if (view == v1::NOTICE_VIEW_RESTORED || view == v1::NOTICE_VIEW_PROPOSED) {
    // From the table, in batches, until the page is full or the rows end.
    bool more = true;
    bool full = false;
    while (more && !full) {
      HOTLINE_ASSIGN_OR_RETURN(
          std::vector<v1::OutageNotice> batch,
          pg::WithTransactionResult<std::vector<v1::OutageNotice>>(pool_, [&](pqxx::work& tx) {
            return view == v1::NOTICE_VIEW_RESTORED
                       ? store::RestoredBetween(tx, now - within, now, cursor, kMaxPageSize)
                       : store::Proposals(tx, cursor, kMaxPageSize);
          }));
      more = batch.size() == static_cast<size_t>(kMaxPageSize);
      for (const v1::OutageNotice& notice : batch) {
        const absl::Time at = view == v1::NOTICE_VIEW_RESTORED
                                  ? FromProtoTime(notice.restored_at())
                                  : FromProtoTime(notice.planned_start());
        cursor = store::NoticeCursor{at, notice.notice_id()};
        if (wanted(notice) && !add(notice, at)) {
          full = true;
          break;
        }
      }
    }
    if (!full && !more) {
      response.mutable_page()->clear_next_cursor();
    }
    return response;
  }
  // Active and upcoming: from the index, by planned start.
  if (!mirror_.ready()) {
    return Loading();
  }
  bool full = false;
  for (const v1::OutageNotice& notice : mirror_.index().All()) {
    const absl::Time start = FromProtoTime(notice.planned_start());
    if (cursor.has_value() && std::make_pair(start, notice.notice_id()) <=
                                  std::make_pair(cursor->at, cursor->notice_id)) {
      continue;
    }
    const bool active = InEffect(notice, now);
    const bool upcoming = !active && start < now + within;
    const bool shown = view == v1::NOTICE_VIEW_ACTIVE     ? active
                       : view == v1::NOTICE_VIEW_UPCOMING ? upcoming
                                                          : active || upcoming;
    if (shown && wanted(notice) && !add(notice, start)) {
      full = true;
      break;
    }
  }
  if (!full) {
    response.mutable_page()->clear_next_cursor();
  }
  return response;
}

absl::StatusOr<v1::GetReliabilityResponse> NoticeDesk::Reliability(
    const v1::GetReliabilityRequest& request) {
  const absl::Time from = FromProtoTime(request.period_start());
  const absl::Time to = FromProtoTime(request.period_end());
  std::shared_ptr<const std::vector<TransformerArea>> reference = this->reference();
  const bool all = !AreaGiven(request.area());
  int64_t customers = 0;
  std::vector<std::string> ids;
  for (const TransformerArea& ta : *reference) {
    if (all || CoversTransformerArea(&request.area(), "", "", ta)) {
      customers += ta.customers;
      ids.push_back(address::NormalizeAddressText(ta.transformer_area));
    }
  }
  HOTLINE_ASSIGN_OR_RETURN(
      std::vector<Interruption> interruptions,
      pg::WithTransactionResult<std::vector<Interruption>>(pool_, [&](pqxx::work& tx) {
        return store::InterruptionsBetween(tx, from, to, ids, all);
      }));
  outage::Reliability figures = ComputeReliability(interruptions, customers, from, to);
  v1::GetReliabilityResponse response;
  response.set_customers(figures.customers);
  response.set_period_hours(figures.period_hours);
  response.set_customer_hours(figures.customer_hours);
  response.set_reliability(figures.reliability);
  response.set_outages(figures.outages);
  return response;
}

absl::Status NoticeDesk::ApplyEvent(pqxx::work& tx, const common::v1::Event& event) {
  if (!mirror_.ready()) {
    return Loading();  // refused: the relay delivers it again
  }
  if (event.topic() == "ticket.urged") {
    intake::v1::TicketUrged urged;
    if (!event.payload().UnpackTo(&urged)) {
      log::Warn("outage", "event ", event.event_id(),
                ": ticket.urged without a TicketUrged; dropped");
      return absl::OkStatus();
    }
    // A repeat call merged into a repair: a call from the repair's places.
    // Urgings of tickets that were no repair (or are long gone) find none.
    HOTLINE_ASSIGN_OR_RETURN(std::vector<store::CallPlace> places,
                             store::PlacesOfTicket(tx, urged.ticket_id()));
    const store::RepairCall call{absl::StrCat(urged.ticket_id(), "/urging/", urged.urgings()),
                                 urged.ticket_id(),
                                 urged.has_urged_at() ? FromProtoTime(urged.urged_at()) : Now()};
    for (const store::CallPlace& place : places) {
      HOTLINE_RETURN_IF_ERROR(GroupCall(tx, place, call));
    }
    return absl::OkStatus();
  }
  if (event.topic() != "ticket.created") {
    return absl::OkStatus();
  }
  intake::v1::TicketCreated created;
  if (!event.payload().UnpackTo(&created)) {
    log::Warn("outage", "event ", event.event_id(),
              ": ticket.created without a TicketCreated; dropped");
    return absl::OkStatus();
  }
  if (created.type() != common::v1::TICKET_TYPE_REPAIR) {
    return absl::OkStatus();
  }
  const store::RepairCall call{
      created.ticket_id(), created.ticket_id(),
      created.has_created_at() ? FromProtoTime(created.created_at()) : Now()};
  const common::v1::Address& address = created.address();
  const std::string ta = address::NormalizeAddressText(address.transformer_area());
  if (!ta.empty()) {
    HOTLINE_RETURN_IF_ERROR(
        GroupCall(tx, {absl::StrCat(kTransformerAreaPlace, ta), address.transformer_area()}, call));
  }
  const std::string feeder = address::NormalizeAddressText(address.feeder());
  if (!feeder.empty()) {
    HOTLINE_RETURN_IF_ERROR(
        GroupCall(tx, {absl::StrCat(kFeederPlace, feeder), address.feeder()}, call));
  }
  return absl::OkStatus();
}

absl::Status NoticeDesk::GroupCall(pqxx::work& tx, const store::CallPlace& place,
                                   const store::RepairCall& call) {
  HOTLINE_RETURN_IF_ERROR(store::LockPlace(tx, place.key));
  HOTLINE_ASSIGN_OR_RETURN(bool added, store::AddRepairCall(tx, place, call));
  if (!added) {
    return absl::OkStatus();
  }
  const bool is_feeder = absl::StartsWith(place.key, kFeederPlace);
  // A place inside a notice in effect needs no proposal.
  common::v1::Address where;
  if (is_feeder) {
    where.set_feeder(place.written_as);
  } else {
    where.set_transformer_area(place.written_as);
  }
  for (const v1::OutageNotice& notice : mirror_.index().Covering(AddressQuery(where))) {
    if (InEffect(notice, call.called_at)) {
      return absl::OkStatus();
    }
  }
  // A proposal open at the place takes the call.
  HOTLINE_ASSIGN_OR_RETURN(std::optional<v1::OutageNotice> proposal,
                           store::ProposalAt(tx, place.key));
  if (proposal.has_value()) {
    v1::SuspectedFault* suspected = proposal->mutable_suspected();
    if (std::find(suspected->ticket_ids().begin(), suspected->ticket_ids().end(), call.ticket_id) ==
        suspected->ticket_ids().end()) {
      suspected->add_ticket_ids(call.ticket_id);
    }
    suspected->set_calls(suspected->calls() + 1);
    if (call.called_at > FromProtoTime(suspected->last_call_at())) {
      *suspected->mutable_last_call_at() = ToProtoTime(call.called_at);
    }
    proposal->set_version(proposal->version() + 1);
    HOTLINE_RETURN_IF_ERROR(
        store::MarkGrouped(tx, place.key, {call.call_id}, proposal->notice_id()));
    HOTLINE_RETURN_IF_ERROR(Record(tx, *proposal, v1::NOTICE_EVENT_KIND_PROPOSED));
    return store::UpdateNotice(tx, *proposal, Now());
  }
  const absl::Duration window = settings_.cluster.window;
  HOTLINE_ASSIGN_OR_RETURN(
      std::vector<store::RepairCall> calls,
      store::UngroupedCalls(tx, place.key, call.called_at - window, call.called_at + window));
  std::vector<absl::Time> others;
  for (const store::RepairCall& other : calls) {
    if (other.call_id != call.call_id) {
      others.push_back(other.called_at);
    }
  }
  if (!FormsCluster(settings_.cluster, call.called_at, others)) {
    return absl::OkStatus();
  }
  v1::SuspectedFault suspected;
  if (is_feeder) {
    suspected.set_feeder(place.written_as);
  } else {
    suspected.set_transformer_area(place.written_as);
  }
  std::vector<std::string> grouped;
  for (const store::RepairCall& c : calls) {
    if (std::find(suspected.ticket_ids().begin(), suspected.ticket_ids().end(), c.ticket_id) ==
        suspected.ticket_ids().end()) {
      suspected.add_ticket_ids(c.ticket_id);
    }
    grouped.push_back(c.call_id);
  }
  suspected.set_calls(static_cast<int32_t>(calls.size()));
  *suspected.mutable_first_call_at() = ToProtoTime(calls.front().called_at);
  *suspected.mutable_last_call_at() = ToProtoTime(calls.back().called_at);
  v1::OutageNotice notice = ProposedNotice(std::move(suspected), events::NewUuid(), Now());
  notice.set_customers_affected(CustomersOf(notice));
  HOTLINE_RETURN_IF_ERROR(
      Insert(tx, notice, v1::NOTICE_EVENT_KIND_PROPOSED, std::string(), std::string(), place.key));
  HOTLINE_RETURN_IF_ERROR(store::MarkGrouped(tx, place.key, grouped, notice.notice_id()));
  log::Info("outage", "suspected fault outage ", notice.notice_id(), " proposed: ", grouped.size(),
            " repair calls from ", place.key);
  return absl::OkStatus();
}

}  // namespace hotline::outage
