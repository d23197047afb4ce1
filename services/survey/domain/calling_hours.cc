#include "services/survey/domain/calling_hours.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace hotline::survey {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

int MinuteOfDay(absl::Time at, absl::TimeZone zone) {
  const absl::TimeZone::CivilInfo local = zone.At(at);
  return local.cs.hour() * 60 + local.cs.minute();
}

absl::StatusOr<int> ParseMinute(const std::string& setting, const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  int hours = -1;
  int minutes = -1;
  if (parts.size() != 2 || parts[0].size() != 2 || parts[1].size() != 2 ||
      !absl::SimpleAtoi(parts[0], &hours) || !absl::SimpleAtoi(parts[1], &minutes) || hours < 0 ||
      hours > 23 || minutes < 0 || minutes > 59) {
    return absl::InvalidArgumentError(
        absl::StrCat("setting --", setting, ": '", text, "' is not a time of day HH:MM"));
  }
  return hours * 60 + minutes;
}

}  // namespace

bool CallingHours::Within(absl::Time at) const {
  const int minute = MinuteOfDay(at, zone_);
  if (start_ < end_) {
    return minute >= start_ && minute < end_;
  }
  return minute >= start_ || minute < end_;
}

absl::Time CallingHours::NextStart(absl::Time at) const {
  if (Within(at)) {
    return at;
  }
  const absl::CivilDay day = absl::CivilDay(zone_.At(at).cs);
  const absl::CivilMinute today(day.year(), day.month(), day.day(), start_ / 60, start_ % 60);
  absl::Time start = zone_.At(today).pre;
  if (start <= at) {
    start = zone_.At(today + kMinutesPerDay).pre;
  }
  return start;
}

std::string CallingHours::Describe() const {
  return absl::StrFormat("%02d:%02d-%02d:%02d %s", start_ / 60, start_ % 60, end_ / 60, end_ % 60,
                         zone_.name());
}

absl::StatusOr<CallingHours> ParseCallingHours(const std::string& start, const std::string& end,
                                               absl::TimeZone zone) {
  absl::StatusOr<int> from = ParseMinute("calling-hours-start", start);
  if (!from.ok()) {
    return from.status();
  }
  absl::StatusOr<int> to = ParseMinute("calling-hours-end", end);
  if (!to.ok()) {
    return to.status();
  }
  if (*from == *to) {
    return absl::InvalidArgumentError(
        "setting --calling-hours-end: must differ from --calling-hours-start");
  }
  return CallingHours(*from, *to, zone);
}

}  // namespace hotline::survey
