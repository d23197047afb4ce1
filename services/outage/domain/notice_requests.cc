#include "services/outage/domain/notice_requests.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/address/address_text.h"
#include "libs/phone/phone_number.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"
#include "libs/text/idempotency_key.h"
#include "libs/text/utf8.h"
#include "libs/text/uuid.h"

namespace hotline::outage {
namespace {

constexpr size_t kMaxName = 100;   // names, units, place ids, account numbers
constexpr size_t kMaxText = 2000;  // the work, reasons
constexpr int32_t kMinDedicatedKva = 315;
constexpr int32_t kMaxPageSize = 500;
const absl::Duration kMaxWithin = absl::Hours(366 * 24);

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

bool IsBlank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

bool IsUnset(const google::protobuf::Timestamp& t) { return t.seconds() == 0 && t.nanos() == 0; }

absl::Status MaxLength(absl::string_view field, absl::string_view text, size_t max) {
  if (text.size() > max && text::CountCharacters(text) > max) {
    return Invalid(field, absl::StrCat("at most ", max, " characters"));
  }
  return absl::OkStatus();
}

absl::Status RequiredText(absl::string_view field, absl::string_view text, size_t max) {
  if (IsBlank(text)) {
    return Invalid(field, "required");
  }
  return MaxLength(field, text, max);
}

absl::Status NoticeId(absl::string_view id) {
  if (id.empty()) {
    return Invalid("notice_id", "required");
  }
  if (!text::IsUuid(id)) {
    return Invalid("notice_id", "not a notice id (a UUID)");
  }
  return absl::OkStatus();
}

absl::Status Phone(absl::string_view field, absl::string_view phone) {
  if (phone.empty()) {
    return Invalid(field, "required");
  }
  if (!phone::IsPersonalPhone(phone)) {
    return Invalid(field, phone::kPersonalPhoneRule);
  }
  return absl::OkStatus();
}

// The person in charge and their phone: both, or (where `optional`) neither;
// a phone alone is checked too.
absl::Status PersonAndPhone(absl::string_view prefix, absl::string_view person,
                            absl::string_view phone, bool optional) {
  const std::string person_field = absl::StrCat(prefix, "person_in_charge");
  const std::string phone_field = absl::StrCat(prefix, "phone");
  if (IsBlank(person)) {
    if (!optional) {
      return Invalid(person_field, "required");
    }
    return phone.empty() ? absl::OkStatus() : Phone(phone_field, phone);
  }
  HOTLINE_RETURN_IF_ERROR(MaxLength(person_field, person, kMaxName));
  if (phone.empty()) {
    return Invalid(phone_field, "required with the person in charge");
  }
  return Phone(phone_field, phone);
}

// A required time in the services' range.
absl::Status RequiredTime(absl::string_view field, const google::protobuf::Timestamp& at) {
  if (IsUnset(at)) {
    return Invalid(field, "required");
  }
  return ClientTimeFromProto(field, at).status();
}

// An optional time: unset, or in range.
absl::Status OptionalTime(absl::string_view field, const google::protobuf::Timestamp& at) {
  return IsUnset(at) ? absl::OkStatus() : ClientTimeFromProto(field, at).status();
}

// `later` strictly after `earlier` (both checked before).
absl::Status After(absl::string_view later_field, const google::protobuf::Timestamp& later,
                   absl::string_view earlier_field, const google::protobuf::Timestamp& earlier) {
  if (FromProtoTime(later) <= FromProtoTime(earlier)) {
    return Invalid(later_field, absl::StrCat("must be after ", earlier_field));
  }
  return absl::OkStatus();
}

bool NamesArea(const common::v1::Address& area) {
  for (const std::string& part : address::AreaPartsOf(area)) {
    if (!part.empty()) {
      return true;
    }
  }
  return false;
}

// An area: at least one area part, nothing below the village.
absl::Status Area(absl::string_view field, const common::v1::Address& area) {
  if (!NamesArea(area)) {
    return Invalid(field, "names no area");
  }
  if (!area.street().empty() || !area.landmark().empty()) {
    return Invalid(field, "an area has no street or landmark (province .. village only)");
  }
  if (!area.feeder().empty() || !area.transformer_area().empty()) {
    return Invalid(field, "an area has no feeder or transformer area: list them as places");
  }
  for (absl::string_view part : {area.province(), area.city(), area.county(), area.township(),
                                 area.village_or_community()}) {
    HOTLINE_RETURN_IF_ERROR(MaxLength(field, part, kMaxName));
  }
  return absl::OkStatus();
}

// A transformer area or feeder id.
absl::Status PlaceId(absl::string_view field, absl::string_view id) {
  if (address::NormalizeAddressText(id).empty()) {
    return Invalid(field, "names no place");
  }
  return MaxLength(field, id, kMaxName);
}

// The places of a notice: at least one, each valid, none twice (compared
// normalised).
absl::Status NoticePlaces(const v1::OutageNotice& notice) {
  if (notice.areas().empty() && notice.transformer_areas().empty() && notice.feeders().empty()) {
    return Invalid("notice.areas",
                   "at least one place is required: an area, a transformer area or a feeder");
  }
  std::vector<address::AreaParts> areas;
  for (int i = 0; i < notice.areas_size(); ++i) {
    const std::string field = absl::StrCat("notice.areas[", i, "]");
    HOTLINE_RETURN_IF_ERROR(Area(field, notice.areas(i)));
    address::AreaParts parts = address::AreaPartsOf(notice.areas(i));
    if (std::find(areas.begin(), areas.end(), parts) != areas.end()) {
      return Invalid(field, "named twice");
    }
    areas.push_back(std::move(parts));
  }
  for (const auto& [name, ids] :
       {std::pair{"notice.transformer_areas", &notice.transformer_areas()},
        std::pair{"notice.feeders", &notice.feeders()}}) {
    std::vector<std::string> seen;
    for (int i = 0; i < ids->size(); ++i) {
      const std::string field = absl::StrCat(name, "[", i, "]");
      HOTLINE_RETURN_IF_ERROR(PlaceId(field, ids->Get(i)));
      std::string id = address::NormalizeAddressText(ids->Get(i));
      if (std::find(seen.begin(), seen.end(), id) != seen.end()) {
        return Invalid(field, "named twice");
      }
      seen.push_back(std::move(id));
    }
  }
  return absl::OkStatus();
}

absl::Status DirectCustomer(absl::string_view field, const v1::DirectCustomer& customer,
                            bool dedicated) {
  HOTLINE_RETURN_IF_ERROR(RequiredText(absl::StrCat(field, ".name"), customer.name(), kMaxName));
  HOTLINE_RETURN_IF_ERROR(
      MaxLength(absl::StrCat(field, ".account_number"), customer.account_number(), kMaxName));
  HOTLINE_RETURN_IF_ERROR(Phone(absl::StrCat(field, ".phone"), customer.phone()));
  if (dedicated && customer.capacity_kva() < kMinDedicatedKva) {
    return Invalid(absl::StrCat(field, ".capacity_kva"),
                   absl::StrCat("a dedicated transformer told directly is of ", kMinDedicatedKva,
                                " kVA and above (got ", customer.capacity_kva(), ")"));
  }
  if (customer.capacity_kva() < 0) {
    return Invalid(absl::StrCat(field, ".capacity_kva"), "must not be negative");
  }
  return absl::OkStatus();
}

absl::Status DirectCustomers(const v1::OutageNotice& notice) {
  for (int i = 0; i < notice.dedicated_transformers_size(); ++i) {
    HOTLINE_RETURN_IF_ERROR(DirectCustomer(absl::StrCat("notice.dedicated_transformers[", i, "]"),
                                           notice.dedicated_transformers(i), true));
  }
  for (int i = 0; i < notice.important_customers_size(); ++i) {
    HOTLINE_RETURN_IF_ERROR(DirectCustomer(absl::StrCat("notice.important_customers[", i, "]"),
                                           notice.important_customers(i), false));
  }
  return absl::OkStatus();
}

absl::Status Kind(v1::OutageKind kind) {
  if (kind == v1::OUTAGE_KIND_UNSPECIFIED) {
    return Invalid("notice.kind", "required");
  }
  if (EnumText(kind).empty()) {
    return Invalid("notice.kind", absl::StrCat("unknown value ", static_cast<int>(kind)));
  }
  return absl::OkStatus();
}

absl::Status LateReason(const v1::OutageNotice& notice, const NoticeRules& rules, absl::Time now) {
  constexpr absl::string_view kField = "notice.timeliness.late_reason";
  HOTLINE_RETURN_IF_ERROR(MaxLength(kField, notice.timeliness().late_reason(), kMaxText));
  const v1::Timeliness timeliness =
      PublishTimeliness(rules, notice.kind(), now, FromProtoTime(notice.planned_start()),
                        notice.timeliness().late_reason());
  if (timeliness.late() && IsBlank(timeliness.late_reason())) {
    return Invalid(kField,
                   absl::StrCat("required: the notice is ",
                                absl::FormatDuration(FromProtoDuration(timeliness.shortfall())),
                                " short of the ", EnumText(notice.kind()), " kind's ",
                                absl::FormatDuration(rules.RequiredLead(notice.kind())), " lead"));
  }
  return absl::OkStatus();
}

absl::Status OptionalArea(absl::string_view field, const common::v1::Address& area, bool given) {
  return given ? Area(field, area) : absl::OkStatus();
}

}  // namespace

absl::Status ValidatePublishShape(const v1::PublishNoticeRequest& request) {
  HOTLINE_RETURN_IF_ERROR(text::CheckIdempotencyKey("idempotency_key", request.idempotency_key()));
  if (!request.has_notice()) {
    return Invalid("notice", "required");
  }
  const v1::OutageNotice& notice = request.notice();
  HOTLINE_RETURN_IF_ERROR(Kind(notice.kind()));
  HOTLINE_RETURN_IF_ERROR(NoticePlaces(notice));
  HOTLINE_RETURN_IF_ERROR(MaxLength("notice.working_unit", notice.working_unit(), kMaxName));
  HOTLINE_RETURN_IF_ERROR(MaxLength("notice.work", notice.work(), kMaxText));
  HOTLINE_RETURN_IF_ERROR(RequiredTime("notice.planned_start", notice.planned_start()));
  HOTLINE_RETURN_IF_ERROR(RequiredTime("notice.planned_restore", notice.planned_restore()));
  HOTLINE_RETURN_IF_ERROR(After("notice.planned_restore", notice.planned_restore(),
                                "notice.planned_start", notice.planned_start()));
  HOTLINE_RETURN_IF_ERROR(PersonAndPhone("notice.", notice.person_in_charge(), notice.phone(),
                                         notice.kind() == v1::OUTAGE_KIND_FAULT));
  HOTLINE_RETURN_IF_ERROR(DirectCustomers(notice));
  return absl::OkStatus();
}

absl::Status ValidatePublishInTime(const v1::OutageNotice& notice, const NoticeRules& rules,
                                   absl::Time now) {
  return LateReason(notice, rules, now);
}

absl::Status ValidatePublish(const v1::PublishNoticeRequest& request, const NoticeRules& rules,
                             absl::Time now) {
  HOTLINE_RETURN_IF_ERROR(ValidatePublishShape(request));
  return ValidatePublishInTime(request.notice(), rules, now);
}

absl::Status ValidateAmend(const v1::AmendNoticeRequest& request) {
  HOTLINE_RETURN_IF_ERROR(NoticeId(request.notice_id()));
  const bool start = !IsUnset(request.planned_start());
  const bool restore = !IsUnset(request.planned_restore());
  if (!start && !restore) {
    return Invalid("planned_start", "give a new planned_start, planned_restore or both");
  }
  HOTLINE_RETURN_IF_ERROR(OptionalTime("planned_start", request.planned_start()));
  HOTLINE_RETURN_IF_ERROR(OptionalTime("planned_restore", request.planned_restore()));
  if (start && restore) {
    HOTLINE_RETURN_IF_ERROR(After("planned_restore", request.planned_restore(), "planned_start",
                                  request.planned_start()));
  }
  HOTLINE_RETURN_IF_ERROR(MaxLength("reason", request.reason(), kMaxText));
  if (request.expected_version() < 0) {
    return Invalid("expected_version", "must not be negative (0: any)");
  }
  return absl::OkStatus();
}

absl::Status ValidateCancel(const v1::CancelNoticeRequest& request) {
  HOTLINE_RETURN_IF_ERROR(NoticeId(request.notice_id()));
  return RequiredText("reason", request.reason(), kMaxText);
}

absl::Status ValidateStart(const v1::StartNoticeRequest& request) {
  HOTLINE_RETURN_IF_ERROR(NoticeId(request.notice_id()));
  return OptionalTime("started_at", request.started_at());
}

absl::Status ValidateRestore(const v1::RestoreNoticeRequest& request) {
  HOTLINE_RETURN_IF_ERROR(NoticeId(request.notice_id()));
  HOTLINE_RETURN_IF_ERROR(OptionalTime("restored_at", request.restored_at()));
  for (int i = 0; i < request.areas_size(); ++i) {
    HOTLINE_RETURN_IF_ERROR(Area(absl::StrCat("areas[", i, "]"), request.areas(i)));
  }
  for (int i = 0; i < request.transformer_areas_size(); ++i) {
    HOTLINE_RETURN_IF_ERROR(
        PlaceId(absl::StrCat("transformer_areas[", i, "]"), request.transformer_areas(i)));
  }
  for (int i = 0; i < request.feeders_size(); ++i) {
    HOTLINE_RETURN_IF_ERROR(PlaceId(absl::StrCat("feeders[", i, "]"), request.feeders(i)));
  }
  return absl::OkStatus();
}

absl::Status ValidateConfirm(const v1::ConfirmNoticeRequest& request) {
  HOTLINE_RETURN_IF_ERROR(NoticeId(request.notice_id()));
  HOTLINE_RETURN_IF_ERROR(RequiredTime("planned_restore", request.planned_restore()));
  HOTLINE_RETURN_IF_ERROR(MaxLength("work", request.work(), kMaxText));
  return PersonAndPhone("", request.person_in_charge(), request.phone(), true);
}

absl::Status ValidateGet(const v1::GetNoticeRequest& request) {
  return NoticeId(request.notice_id());
}

absl::Status ValidateCheck(const v1::CheckAddressRequest& request) {
  const common::v1::Address& a = request.address();
  const bool address_given = NamesArea(a) || !IsBlank(a.transformer_area()) || !IsBlank(a.feeder());
  if (!address_given && IsBlank(request.account_number()) && IsBlank(request.transformer_area())) {
    return Invalid("address",
                   "required: an address with at least one part, an account_number or a "
                   "transformer_area");
  }
  HOTLINE_RETURN_IF_ERROR(MaxLength("account_number", request.account_number(), kMaxName));
  HOTLINE_RETURN_IF_ERROR(MaxLength("transformer_area", request.transformer_area(), kMaxName));
  return OptionalTime("at", request.at());
}

absl::Status ValidateList(const v1::ListNoticesRequest& request) {
  if (EnumText(request.view()).empty() && request.view() != v1::NOTICE_VIEW_UNSPECIFIED) {
    return Invalid("view", absl::StrCat("unknown value ", static_cast<int>(request.view())));
  }
  if (!IsValidProtoDuration(request.within())) {
    return Invalid("within", "not a valid duration");
  }
  const absl::Duration within = FromProtoDuration(request.within());
  if (within < absl::ZeroDuration()) {
    return Invalid("within", "must not be negative (0: the view's default)");
  }
  if (within > kMaxWithin) {
    return Invalid("within", "at most 366 days");
  }
  HOTLINE_RETURN_IF_ERROR(OptionalArea("area", request.area(), request.has_area()));
  if (request.page().page_size() < 0 || request.page().page_size() > kMaxPageSize) {
    return Invalid("page.page_size", absl::StrCat("0 (default 50) to ", kMaxPageSize));
  }
  return absl::OkStatus();
}

absl::Status ValidateReliability(const v1::GetReliabilityRequest& request) {
  HOTLINE_RETURN_IF_ERROR(RequiredTime("period_start", request.period_start()));
  HOTLINE_RETURN_IF_ERROR(RequiredTime("period_end", request.period_end()));
  HOTLINE_RETURN_IF_ERROR(
      After("period_end", request.period_end(), "period_start", request.period_start()));
  return OptionalArea("area", request.area(), request.has_area());
}

}  // namespace hotline::outage
