#pragma once

// Flag values of hotlinectl turned into API values, and API values turned
// into table cells. Pure (the time "now" comes in as an argument);
// unit-tested.

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "libs/proto_enum/enum_text.h"
#include "tools/hotlinectl/args.h"

namespace hotline::ctl {

// A time: RFC 3339 ("2026-12-06T10:00:00+08:00", "2026-12-06T02:00:00Z"),
// "now", or now plus or minus a duration ("now+3h", "now-10m", "+3h",
// "-10m"). Usage error naming `flag` otherwise.
absl::StatusOr<absl::Time> ParseTimeValue(absl::string_view flag, absl::string_view text,
                                          absl::Time now);

// An address written as its parts from the province down, separated by '/':
// "Province/City/County/Township/Village/Street" (fewer parts are an area;
// empty parts allowed: "P/C//Town"). Each part trimmed. Usage error for no
// parts or more than six.
absl::StatusOr<common::v1::Address> ParseAddressPath(absl::string_view flag,
                                                     absl::string_view text);

// The address as one line, its parts from the province down joined by '/'
// (empty parts left out), then the feeder and transformer area if any.
std::string AddressText(const common::v1::Address& address);

// An enum value in the API's text form ("in_progress"); upper case and '-'
// are accepted ("IN-PROGRESS"). Usage error naming the flag and listing the
// values.
absl::StatusOr<int> ParseEnumValue(absl::string_view flag, absl::string_view text,
                                   const google::protobuf::EnumDescriptor* descriptor);
template <typename E>
absl::StatusOr<E> ParseEnumFlag(absl::string_view flag, absl::string_view text) {
  absl::StatusOr<int> number = ParseEnumValue(flag, text, google::protobuf::GetEnumDescriptor<E>());
  if (!number.ok()) {
    return number.status();
  }
  return static_cast<E>(*number);
}

// A positive whole number; usage error naming the flag otherwise.
absl::StatusOr<int> ParseCount(absl::string_view flag, absl::string_view text);

// A table cell for a time: "2026-12-06 10:00:00" in `zone`; "" when unset.
std::string TimeCell(const google::protobuf::Timestamp& at, absl::TimeZone zone);
// A duration as "1h30m", "45s", "2d3h" (whole seconds; days above a day).
std::string DurationCell(absl::Duration d);
std::string DurationCell(const google::protobuf::Duration& d);

// A random idempotency key: "ctl-" and 32 hex digits.
std::string NewIdempotencyKey();

}  // namespace hotline::ctl
