#include "services/outage/domain/notice_state.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/address/address_text.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::outage {
namespace {

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

// "notice <id> is <state>: <what>".
absl::Status NotNow(const v1::OutageNotice& notice, absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("notice ", notice.notice_id(), " is ", EnumText(notice.state()), ": ", what));
}

bool IsBlank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

// One place of a notice, in the form places are compared in.
struct PlaceKey {
  enum class Kind { kArea, kTransformerArea, kFeeder } kind = Kind::kArea;
  address::AreaParts area;  // kArea
  std::string id;           // kTransformerArea, kFeeder

  bool operator==(const PlaceKey&) const = default;
};

PlaceKey AreaKey(const common::v1::Address& area) {
  return {PlaceKey::Kind::kArea, address::AreaPartsOf(area), ""};
}
PlaceKey TransformerAreaKey(absl::string_view id) {
  return {PlaceKey::Kind::kTransformerArea, {}, address::NormalizeAddressText(id)};
}
PlaceKey FeederKey(absl::string_view id) {
  return {PlaceKey::Kind::kFeeder, {}, address::NormalizeAddressText(id)};
}

PlaceKey KeyOf(const v1::PlaceRestore& restore) {
  if (restore.has_area()) {
    return AreaKey(restore.area());
  }
  if (!restore.transformer_area().empty()) {
    return TransformerAreaKey(restore.transformer_area());
  }
  return FeederKey(restore.feeder());
}

// A place of the notice as written in the notice, with its key.
struct NoticePlace {
  PlaceKey key;
  v1::PlaceRestore place;  // area, transformer_area or feeder; no time
};

std::vector<NoticePlace> PlacesOf(const v1::OutageNotice& notice) {
  std::vector<NoticePlace> places;
  for (const common::v1::Address& area : notice.areas()) {
    NoticePlace p{AreaKey(area), {}};
    *p.place.mutable_area() = area;
    places.push_back(std::move(p));
  }
  for (const std::string& id : notice.transformer_areas()) {
    NoticePlace p{TransformerAreaKey(id), {}};
    p.place.set_transformer_area(id);
    places.push_back(std::move(p));
  }
  for (const std::string& id : notice.feeders()) {
    NoticePlace p{FeederKey(id), {}};
    p.place.set_feeder(id);
    places.push_back(std::move(p));
  }
  return places;
}

// The first restore of the notice for `key`, or null.
const v1::PlaceRestore* RestoredBefore(const v1::OutageNotice& notice, const PlaceKey& key) {
  for (const v1::PlaceRestore& r : notice.restored_places()) {
    if (KeyOf(r) == key) {
      return &r;
    }
  }
  return nullptr;
}

bool Contains(const std::vector<const NoticePlace*>& places, const PlaceKey& key) {
  return std::any_of(places.begin(), places.end(),
                     [&](const NoticePlace* p) { return p->key == key; });
}

// Adds the notice's place `key` (named by `field`) to `chosen`: it must be
// one of the notice's, not restored before, not named twice.
absl::Status Choose(const v1::OutageNotice& notice, const std::vector<NoticePlace>& places,
                    const std::string& field, const PlaceKey& key,
                    std::vector<const NoticePlace*>& chosen) {
  auto it = std::find_if(places.begin(), places.end(),
                         [&](const NoticePlace& p) { return p.key == key; });
  if (it == places.end()) {
    return Invalid(field, absl::StrCat("not a place of notice ", notice.notice_id()));
  }
  if (const v1::PlaceRestore* before = RestoredBefore(notice, key); before != nullptr) {
    return Invalid(field, absl::StrCat("already restored at ",
                                       TimeText(FromProtoTime(before->restored_at()))));
  }
  if (Contains(chosen, key)) {
    return Invalid(field, "named twice");
  }
  chosen.push_back(&*it);
  return absl::OkStatus();
}

// The notice's places a restore gives power back to.
absl::StatusOr<std::vector<const NoticePlace*>> ChosenPlaces(const v1::OutageNotice& notice,
                                                             const std::vector<NoticePlace>& places,
                                                             const RestorePlaces& named) {
  std::vector<const NoticePlace*> chosen;
  if (named.Whole()) {
    for (const NoticePlace& p : places) {
      if (RestoredBefore(notice, p.key) == nullptr && !Contains(chosen, p.key)) {
        chosen.push_back(&p);
      }
    }
    return chosen;
  }
  for (size_t i = 0; i < named.areas.size(); ++i) {
    absl::Status s =
        Choose(notice, places, absl::StrCat("areas[", i, "]"), AreaKey(named.areas[i]), chosen);
    if (!s.ok()) {
      return s;
    }
  }
  for (size_t i = 0; i < named.transformer_areas.size(); ++i) {
    absl::Status s = Choose(notice, places, absl::StrCat("transformer_areas[", i, "]"),
                            TransformerAreaKey(named.transformer_areas[i]), chosen);
    if (!s.ok()) {
      return s;
    }
  }
  for (size_t i = 0; i < named.feeders.size(); ++i) {
    absl::Status s = Choose(notice, places, absl::StrCat("feeders[", i, "]"),
                            FeederKey(named.feeders[i]), chosen);
    if (!s.ok()) {
      return s;
    }
  }
  return chosen;
}

void AddTo(RestorePlaces& out, const v1::PlaceRestore& place) {
  if (place.has_area()) {
    out.areas.push_back(place.area());
  } else if (!place.transformer_area().empty()) {
    out.transformer_areas.push_back(place.transformer_area());
  } else {
    out.feeders.push_back(place.feeder());
  }
}

// Whether the restore may happen now: the notice has started (or its
// planned start has come) by `now`.
absl::Status CheckRestorable(const v1::OutageNotice& notice, absl::Time now) {
  if (notice.state() == v1::NOTICE_STATE_ACTIVE) {
    return absl::OkStatus();
  }
  if (notice.state() == v1::NOTICE_STATE_SCHEDULED) {
    if (InEffect(notice, now)) {
      return absl::OkStatus();
    }
    return NotNow(notice, absl::StrCat("it starts at ", TimeText(EffectiveStart(notice)),
                                       " and cannot be restored before it starts"));
  }
  return NotNow(notice, "it cannot be restored");
}

std::vector<v1::DirectCustomer> DirectCustomersOf(const v1::OutageNotice& notice) {
  std::vector<v1::DirectCustomer> out(notice.dedicated_transformers().begin(),
                                      notice.dedicated_transformers().end());
  out.insert(out.end(), notice.important_customers().begin(), notice.important_customers().end());
  return out;
}

}  // namespace

absl::Time EffectiveStart(const v1::OutageNotice& notice) {
  if (notice.has_started_at()) {
    return FromProtoTime(notice.started_at());
  }
  return FromProtoTime(notice.planned_start());
}

bool IsOpen(const v1::OutageNotice& notice) {
  return notice.state() == v1::NOTICE_STATE_SCHEDULED || notice.state() == v1::NOTICE_STATE_ACTIVE;
}

bool InEffect(const v1::OutageNotice& notice, absl::Time at) {
  return notice.state() == v1::NOTICE_STATE_ACTIVE ||
         (notice.state() == v1::NOTICE_STATE_SCHEDULED &&
          FromProtoTime(notice.planned_start()) <= at);
}

v1::OutageNotice PublishedNotice(const NoticeRules& rules, v1::OutageNotice input,
                                 std::string notice_id, std::string principal, absl::Time now) {
  const std::string late_reason = input.timeliness().late_reason();
  input.clear_state();
  input.clear_timeliness();
  input.clear_published_at();
  input.clear_started_at();
  input.clear_restored_at();
  input.clear_cancelled_at();
  input.clear_restored_places();
  input.clear_customers_affected();
  input.clear_customer_hours();
  input.clear_voice_text();
  input.clear_version();
  input.clear_published_by();
  input.clear_suspected();
  input.clear_amendments();
  input.clear_cancel_reason();

  input.set_notice_id(std::move(notice_id));
  input.set_state(v1::NOTICE_STATE_SCHEDULED);
  *input.mutable_published_at() = ToProtoTime(now);
  input.set_published_by(std::move(principal));
  input.set_version(1);
  *input.mutable_timeliness() = PublishTimeliness(
      rules, input.kind(), now, FromProtoTime(input.planned_start()), late_reason);
  return input;
}

v1::OutageNotice ProposedNotice(v1::SuspectedFault suspected, std::string notice_id,
                                absl::Time now) {
  v1::OutageNotice notice;
  notice.set_notice_id(std::move(notice_id));
  notice.set_kind(v1::OUTAGE_KIND_FAULT);
  notice.set_state(v1::NOTICE_STATE_PROPOSED);
  if (!suspected.transformer_area().empty()) {
    notice.add_transformer_areas(suspected.transformer_area());
  } else {
    notice.add_feeders(suspected.feeder());
  }
  *notice.mutable_planned_start() = suspected.first_call_at();
  *notice.mutable_published_at() = ToProtoTime(now);
  notice.set_version(1);
  *notice.mutable_suspected() = std::move(suspected);
  return notice;
}

absl::StatusOr<v1::OutageNotice> StartedNotice(const v1::OutageNotice& notice,
                                               absl::Time started_at, absl::Time now) {
  if (notice.state() != v1::NOTICE_STATE_SCHEDULED) {
    return NotNow(notice, "only a scheduled notice is started");
  }
  if (started_at > now) {
    return Invalid("started_at", absl::StrCat("later than now (", TimeText(now), ")"));
  }
  v1::OutageNotice out = notice;
  out.set_state(v1::NOTICE_STATE_ACTIVE);
  *out.mutable_started_at() = ToProtoTime(started_at);
  out.set_version(notice.version() + 1);
  return out;
}

absl::StatusOr<RestoreOutcome> RestoredNotice(const v1::OutageNotice& notice,
                                              const RestorePlaces& places, absl::Time restored_at,
                                              absl::Time now) {
  if (absl::Status s = CheckRestorable(notice, now); !s.ok()) {
    return s;
  }
  if (restored_at > now) {
    return Invalid("restored_at", absl::StrCat("later than now (", TimeText(now), ")"));
  }
  const absl::Time start = EffectiveStart(notice);
  if (restored_at < start) {
    return Invalid("restored_at",
                   absl::StrCat("before the notice's start (", TimeText(start), ")"));
  }
  const std::vector<NoticePlace> all = PlacesOf(notice);
  absl::StatusOr<std::vector<const NoticePlace*>> chosen = ChosenPlaces(notice, all, places);
  if (!chosen.ok()) {
    return chosen.status();
  }
  const bool whole = std::all_of(all.begin(), all.end(), [&](const NoticePlace& p) {
    return RestoredBefore(notice, p.key) != nullptr || Contains(*chosen, p.key);
  });

  RestoreOutcome outcome;
  outcome.whole = whole;
  outcome.notice = notice;
  v1::OutageNotice& out = outcome.notice;
  if (!out.has_started_at()) {
    *out.mutable_started_at() = out.planned_start();
  }
  for (const NoticePlace* p : *chosen) {
    AddTo(outcome.restored, p->place);
  }
  if (whole) {
    out.set_state(v1::NOTICE_STATE_RESTORED);
    *out.mutable_restored_at() = ToProtoTime(restored_at);
  } else {
    out.set_state(v1::NOTICE_STATE_ACTIVE);
    for (const NoticePlace* p : *chosen) {
      v1::PlaceRestore* r = out.add_restored_places();
      *r = p->place;
      *r->mutable_restored_at() = ToProtoTime(restored_at);
    }
  }
  out.set_version(notice.version() + 1);
  return outcome;
}

absl::StatusOr<v1::OutageNotice> CancelledNotice(const v1::OutageNotice& notice, std::string reason,
                                                 absl::Time now) {
  if (notice.state() == v1::NOTICE_STATE_SCHEDULED && InEffect(notice, now)) {
    return NotNow(notice, absl::StrCat("it is in effect since its planned start (",
                                       TimeText(EffectiveStart(notice)),
                                       "): restore it instead of cancelling it"));
  }
  if (notice.state() == v1::NOTICE_STATE_ACTIVE) {
    return NotNow(notice, "it has started: restore it instead of cancelling it");
  }
  if (notice.state() != v1::NOTICE_STATE_SCHEDULED && notice.state() != v1::NOTICE_STATE_PROPOSED) {
    return NotNow(notice, "it cannot be cancelled");
  }
  if (IsBlank(reason)) {
    return Invalid("reason", "required");
  }
  v1::OutageNotice out = notice;
  out.set_state(v1::NOTICE_STATE_CANCELLED);
  *out.mutable_cancelled_at() = ToProtoTime(now);
  out.set_cancel_reason(std::move(reason));
  out.set_version(notice.version() + 1);
  return out;
}

absl::StatusOr<AmendOutcome> AmendedNotice(const NoticeRules& rules, const v1::OutageNotice& notice,
                                           std::optional<absl::Time> new_start,
                                           std::optional<absl::Time> new_restore,
                                           std::string reason, absl::Time now) {
  if (!IsOpen(notice)) {
    return NotNow(notice, "it cannot be amended");
  }
  const absl::Time start = FromProtoTime(notice.planned_start());
  const absl::Time restore = FromProtoTime(notice.planned_restore());
  if (new_start == start) {
    new_start.reset();
  }
  if (new_restore == restore) {
    new_restore.reset();
  }
  if (new_start.has_value() && notice.state() == v1::NOTICE_STATE_ACTIVE) {
    return NotNow(notice, absl::StrCat("it started at ", TimeText(EffectiveStart(notice)),
                                       "; its planned_start cannot move"));
  }
  if (!new_start.has_value() && !new_restore.has_value()) {
    return Invalid("planned_start",
                   "nothing changes: planned_start and planned_restore are as announced");
  }
  const absl::Time from = new_start.value_or(EffectiveStart(notice));
  if (new_restore.value_or(restore) <= from) {
    return Invalid(new_restore.has_value() ? "planned_restore" : "planned_start",
                   absl::StrCat("the restore (", TimeText(new_restore.value_or(restore)),
                                ") must be after the start (", TimeText(from), ")"));
  }
  AmendOutcome outcome;
  outcome.terms = AmendmentTermsOf(rules, notice, new_start, new_restore, now);
  if (outcome.terms.NeedsNotice()) {
    if (IsBlank(reason)) {
      return Invalid("reason", "required for an earlier start or a later restore");
    }
    if (outcome.terms.timeliness.late()) {
      outcome.terms.timeliness.set_late_reason(reason);
    }
    outcome.to_tell = DirectCustomersOf(notice);
  }
  outcome.notice = notice;
  if (new_start.has_value()) {
    *outcome.notice.mutable_planned_start() = ToProtoTime(*new_start);
  }
  if (new_restore.has_value()) {
    *outcome.notice.mutable_planned_restore() = ToProtoTime(*new_restore);
  }
  outcome.notice.set_amendments(notice.amendments() + 1);
  outcome.notice.set_version(notice.version() + 1);
  return outcome;
}

absl::StatusOr<v1::OutageNotice> ConfirmedNotice(const v1::OutageNotice& notice,
                                                 const v1::ConfirmNoticeRequest& request,
                                                 absl::Time /*now*/) {
  if (notice.state() != v1::NOTICE_STATE_PROPOSED) {
    return NotNow(notice, "only a proposed notice is confirmed");
  }
  const google::protobuf::Timestamp& first_call = notice.suspected().has_first_call_at()
                                                      ? notice.suspected().first_call_at()
                                                      : notice.planned_start();
  const absl::Time start = FromProtoTime(first_call);
  const absl::Time restore = FromProtoTime(request.planned_restore());
  if (restore <= start) {
    return Invalid("planned_restore",
                   absl::StrCat("must be after the first call (", TimeText(start), ")"));
  }
  v1::OutageNotice out = notice;
  out.set_state(v1::NOTICE_STATE_ACTIVE);
  *out.mutable_planned_start() = first_call;
  *out.mutable_started_at() = first_call;
  *out.mutable_planned_restore() = request.planned_restore();
  if (!request.work().empty()) {
    out.set_work(request.work());
  }
  if (!request.person_in_charge().empty()) {
    out.set_person_in_charge(request.person_in_charge());
  }
  if (!request.phone().empty()) {
    out.set_phone(request.phone());
  }
  out.set_version(notice.version() + 1);
  return out;
}

}  // namespace hotline::outage
