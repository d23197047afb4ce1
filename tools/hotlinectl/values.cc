#include "tools/hotlinectl/values.h"

#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::ctl {

absl::StatusOr<absl::Time> ParseTimeValue(absl::string_view flag, absl::string_view text,
                                          absl::Time now) {
  absl::string_view rest = absl::StripAsciiWhitespace(text);
  if (rest == "now") {
    return now;
  }
  if (absl::ConsumePrefix(&rest, "now") || absl::StartsWith(rest, "+") ||
      absl::StartsWith(rest, "-")) {
    const bool later = absl::StartsWith(rest, "+");
    absl::Duration d;
    if ((later || absl::StartsWith(rest, "-")) && absl::ParseDuration(rest.substr(1), &d) &&
        d >= absl::ZeroDuration()) {
      return later ? now + d : now - d;
    }
  } else {
    absl::Time t;
    std::string error;
    if (absl::ParseTime(absl::RFC3339_full, rest, &t, &error)) {
      return t;
    }
  }
  return UsageError(absl::StrCat("--", flag, ": '", text,
                                 "' is not a time (RFC 3339 like 2026-12-06T10:00:00+08:00, "
                                 "or now, now+3h, now-10m)"));
}

absl::StatusOr<common::v1::Address> ParseAddressPath(absl::string_view flag,
                                                     absl::string_view text) {
  std::vector<std::string> parts = absl::StrSplit(text, '/');
  for (std::string& part : parts) {
    absl::StripAsciiWhitespace(&part);
  }
  while (!parts.empty() && parts.back().empty()) {
    parts.pop_back();
  }
  if (parts.empty() || parts.size() > 6) {
    return UsageError(absl::StrCat(
        "--", flag, ": '", text,
        "' is not an address: Province/City/County/Township/Village/Street, one to six parts"));
  }
  parts.resize(6);
  common::v1::Address a;
  a.set_province(parts[0]);
  a.set_city(parts[1]);
  a.set_county(parts[2]);
  a.set_township(parts[3]);
  a.set_village_or_community(parts[4]);
  a.set_street(parts[5]);
  return a;
}

std::string AddressText(const common::v1::Address& a) {
  std::vector<std::string> parts;
  for (const std::string* part : {&a.province(), &a.city(), &a.county(), &a.township(),
                                  &a.village_or_community(), &a.street()}) {
    if (!part->empty()) {
      parts.push_back(*part);
    }
  }
  std::string out = absl::StrJoin(parts, "/");
  if (!a.feeder().empty()) {
    absl::StrAppend(&out, out.empty() ? "" : " ", "feeder ", a.feeder());
  }
  if (!a.transformer_area().empty()) {
    absl::StrAppend(&out, out.empty() ? "" : " ", "area ", a.transformer_area());
  }
  return out;
}

absl::StatusOr<int> ParseEnumValue(absl::string_view flag, absl::string_view text,
                                   const google::protobuf::EnumDescriptor* descriptor) {
  std::string normal = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  std::replace(normal.begin(), normal.end(), '-', '_');
  std::optional<int> number = normal.empty() ? std::nullopt : ParseEnumNumber(descriptor, normal);
  if (number.has_value()) {
    return *number;
  }
  std::vector<std::string> values;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    if (descriptor->value(i)->number() != 0) {
      values.push_back(EnumText(descriptor, descriptor->value(i)->number()));
    }
  }
  return UsageError(
      absl::StrCat("--", flag, ": '", text, "' is not one of ", absl::StrJoin(values, ", ")));
}

absl::StatusOr<int> ParseCount(absl::string_view flag, absl::string_view text) {
  int n = 0;
  if (!absl::SimpleAtoi(text, &n) || n <= 0) {
    return UsageError(absl::StrCat("--", flag, ": '", text, "' is not a positive number"));
  }
  return n;
}

std::string TimeCell(const google::protobuf::Timestamp& at, absl::TimeZone zone) {
  std::optional<absl::Time> t = OptionalFromProtoTime(at);
  return t.has_value() ? absl::FormatTime("%Y-%m-%d %H:%M:%S", *t, zone) : "";
}

std::string DurationCell(absl::Duration d) {
  std::string sign = d < absl::ZeroDuration() ? "-" : "";
  int64_t seconds = absl::ToInt64Seconds(absl::AbsDuration(d));
  int64_t days = seconds / 86400;
  int64_t hours = seconds % 86400 / 3600;
  int64_t minutes = seconds % 3600 / 60;
  int64_t secs = seconds % 60;
  std::string out = sign;
  if (days > 0) {
    absl::StrAppend(&out, days, "d");
  }
  if (hours > 0) {
    absl::StrAppend(&out, hours, "h");
  }
  if (minutes > 0 && days == 0) {
    absl::StrAppend(&out, minutes, "m");
  }
  if ((secs > 0 && days == 0 && hours == 0) || seconds == 0) {
    absl::StrAppend(&out, secs, "s");
  }
  return out;
}

std::string DurationCell(const google::protobuf::Duration& d) {
  return DurationCell(absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos()));
}

std::string NewIdempotencyKey() {
  absl::BitGen bits;
  return absl::StrFormat("ctl-%016x%016x", absl::Uniform<uint64_t>(bits),
                         absl::Uniform<uint64_t>(bits));
}

}  // namespace hotline::ctl
