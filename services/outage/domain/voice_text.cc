#include "services/outage/domain/voice_text.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/proto_time/proto_time.h"
#include "services/outage/domain/notice_state.h"

namespace hotline::outage {
namespace {

// More places than this are spoken as the first ones and "等N处" (N in all).
constexpr size_t kMaxSpokenPlaces = 8;

// "12月10日08:00".
std::string Spoken(absl::Time t, absl::TimeZone zone) {
  const absl::CivilMinute m = absl::ToCivilMinute(t, zone);
  return absl::StrFormat("%d月%d日%02d:%02d", m.month(), m.day(), m.hour(), m.minute());
}

std::string Spoken(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  return Spoken(FromProtoTime(t), zone);
}

std::string KindReason(v1::OutageKind kind) {
  switch (kind) {
    case v1::OUTAGE_KIND_PLANNED:
      return "计划检修";
    case v1::OUTAGE_KIND_TEMPORARY:
      return "临时检修";
    case v1::OUTAGE_KIND_ORDERLY_USE:
      return "有序用电";
    case v1::OUTAGE_KIND_FAULT:
      return "设备故障";
    default:
      return "其他原因";
  }
}

// A line of the work without white space or closing marks around it.
absl::string_view Clause(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (absl::string_view mark : {"。", "，", "；", "！", ".", ",", ";", "!"}) {
      stripped = absl::ConsumeSuffix(&line, mark) || stripped;
    }
    line = absl::StripTrailingAsciiWhitespace(line);
  }
  return line;
}

// The work as one clause after "因": its lines joined by commas, without a
// leading "因" or closing marks; the kind when no work is given.
std::string Reason(const v1::OutageNotice& notice) {
  std::vector<absl::string_view> clauses;
  for (absl::string_view line : absl::StrSplit(notice.work(), absl::ByAnyChar("\r\n"))) {
    if (absl::string_view clause = Clause(line); !clause.empty()) {
      clauses.push_back(clause);
    }
  }
  std::string reason = absl::StrJoin(clauses, "，");
  absl::string_view view = reason;
  if (absl::ConsumePrefix(&view, "因")) {
    reason = std::string(view);
  }
  return reason.empty() ? KindReason(notice.kind()) : reason;
}

std::string Trimmed(absl::string_view text) {
  return std::string(absl::StripAsciiWhitespace(text));
}

// An area from the township down ("城关镇东风村"), or by its deepest part
// when it names nothing below the county. A village whose township was just
// said is spoken alone ("城关镇东风村、西湖社区").
std::string AreaName(const common::v1::Address& area, std::string& last_township) {
  const std::string township = Trimmed(area.township());
  const std::string village = Trimmed(area.village_or_community());
  if (township.empty() && village.empty()) {
    last_township.clear();
    for (absl::string_view part : {area.county(), area.city(), area.province()}) {
      if (!Trimmed(part).empty()) {
        return Trimmed(part);
      }
    }
    return "";
  }
  const bool said = !township.empty() && township == last_township && !village.empty();
  last_township = township;
  return said ? village : absl::StrCat(township, village);
}

std::string WithSuffix(absl::string_view id, absl::string_view suffix,
                       absl::string_view also_fine = "") {
  const std::string name = Trimmed(id);
  if (absl::EndsWith(name, suffix) || (!also_fine.empty() && absl::EndsWith(name, also_fine))) {
    return name;
  }
  return absl::StrCat(name, suffix);
}

std::string TransformerAreaName(absl::string_view id) { return WithSuffix(id, "台区"); }
std::string FeederName(absl::string_view id) { return WithSuffix(id, "线路", "线"); }

std::string JoinPlaces(const std::vector<std::string>& names) {
  if (names.size() <= kMaxSpokenPlaces) {
    return absl::StrJoin(names, "、");
  }
  const std::vector<std::string> first(names.begin(), names.begin() + kMaxSpokenPlaces);
  return absl::StrCat(absl::StrJoin(first, "、"), "等", names.size(), "处");
}

std::string PlacesOf(const v1::OutageNotice& notice) {
  std::vector<std::string> names;
  std::string last_township;
  for (const common::v1::Address& area : notice.areas()) {
    names.push_back(AreaName(area, last_township));
  }
  for (const std::string& id : notice.transformer_areas()) {
    names.push_back(TransformerAreaName(id));
  }
  for (const std::string& id : notice.feeders()) {
    names.push_back(FeederName(id));
  }
  return JoinPlaces(names);
}

std::string RestoredPlacesOf(const v1::OutageNotice& notice) {
  std::vector<std::string> names;
  std::string last_township;
  for (const v1::PlaceRestore& place : notice.restored_places()) {
    if (place.has_area()) {
      names.push_back(AreaName(place.area(), last_township));
    } else if (!place.transformer_area().empty()) {
      names.push_back(TransformerAreaName(place.transformer_area()));
    } else {
      names.push_back(FeederName(place.feeder()));
    }
  }
  return JoinPlaces(names);
}

std::string Scheduled(const v1::OutageNotice& notice, absl::TimeZone zone) {
  return absl::StrCat("因", Reason(notice), "，", PlacesOf(notice), "将于",
                      Spoken(notice.planned_start(), zone), "至",
                      Spoken(notice.planned_restore(), zone), "停电，请提前做好准备。");
}

std::string InEffectText(const v1::OutageNotice& notice, absl::TimeZone zone) {
  std::string text = absl::StrCat("因", Reason(notice), "，", PlacesOf(notice), "已于",
                                  Spoken(EffectiveStart(notice), zone), "停电，");
  if (notice.has_planned_restore()) {
    absl::StrAppend(&text, "预计", Spoken(notice.planned_restore(), zone), "恢复供电。");
  } else {
    absl::StrAppend(&text, "恢复供电时间另行通知。");
  }
  if (!notice.restored_places().empty()) {
    absl::StrAppend(&text, "其中", RestoredPlacesOf(notice), "已恢复供电。");
  }
  return text;
}

std::string Restored(const v1::OutageNotice& notice, absl::TimeZone zone) {
  return absl::StrCat("因", Reason(notice), "停电的", PlacesOf(notice), "已于",
                      Spoken(notice.restored_at(), zone), "恢复供电。");
}

std::string Cancelled(const v1::OutageNotice& notice, absl::TimeZone zone) {
  if (!notice.has_planned_restore()) {  // a dismissed proposal
    return absl::StrCat(PlacesOf(notice), "的疑似故障停电信息已撤销。");
  }
  return absl::StrCat(PlacesOf(notice), "原定于", Spoken(notice.planned_start(), zone), "至",
                      Spoken(notice.planned_restore(), zone), "的停电已取消，将正常供电。");
}

// Published at or after its start (a fault reported late): in effect from
// the first word.
bool InEffectWhenPublished(const v1::OutageNotice& notice) {
  return notice.has_published_at() &&
         FromProtoTime(notice.planned_start()) <= FromProtoTime(notice.published_at());
}

}  // namespace

std::string VoiceText(const v1::OutageNotice& notice, absl::TimeZone zone) {
  switch (notice.state()) {
    case v1::NOTICE_STATE_SCHEDULED:
      return InEffectWhenPublished(notice) ? InEffectText(notice, zone) : Scheduled(notice, zone);
    case v1::NOTICE_STATE_ACTIVE:
      return InEffectText(notice, zone);
    case v1::NOTICE_STATE_RESTORED:
      return Restored(notice, zone);
    case v1::NOTICE_STATE_CANCELLED:
      return Cancelled(notice, zone);
    case v1::NOTICE_STATE_PROPOSED:
      return absl::StrCat(PlacesOf(notice), "疑似发生故障停电，正在核实，请耐心等待。");
    default:
      return "";
  }
}

}  // namespace hotline::outage
