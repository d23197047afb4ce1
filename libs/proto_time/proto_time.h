#pragma once

// google.protobuf.Timestamp <-> absl::Time and google.protobuf.Duration <->
// absl::Duration, for every service, at the microsecond precision PostgreSQL
// keeps (so what is stored reads back equal).
// The one place that converts; handlers validate client-supplied times with
// ClientTimeFromProto.

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace hotline {

// Rounds down to the microsecond.
inline absl::Time TruncateToMicros(absl::Time t) {
  return absl::FromUnixMicros(absl::ToUnixMicros(t));
}

inline google::protobuf::Timestamp ToProtoTime(absl::Time t) {
  int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    seconds -= 1;
  }
  google::protobuf::Timestamp out;
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(rest * 1000));
  return out;
}

inline absl::Time FromProtoTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// For fields where the zero Timestamp means "not set" (proto3 messages
// built without has_ checks): nullopt for 1970-01-01T00:00:00Z, else the time
// truncated to the microsecond.
inline std::optional<absl::Time> OptionalFromProtoTime(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) {
    return std::nullopt;
  }
  return TruncateToMicros(FromProtoTime(t));
}

// A time a client sent, as the services accept it: nanos in range and the
// time in [2000-01-01, 2100-01-01) UTC; truncated to the microsecond.
// INVALID_ARGUMENT naming `field` otherwise.
inline absl::StatusOr<absl::Time> ClientTimeFromProto(absl::string_view field,
                                                      const google::protobuf::Timestamp& at) {
  static const absl::Time kEarliest =
      absl::FromCivil(absl::CivilDay(2000, 1, 1), absl::UTCTimeZone());
  static const absl::Time kLatest =
      absl::FromCivil(absl::CivilDay(2100, 1, 1), absl::UTCTimeZone());
  if (at.nanos() < 0 || at.nanos() > 999999999) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": nanos out of range"));
  }
  absl::Time t = FromProtoTime(at);
  if (t < kEarliest || t >= kLatest) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must lie in [2000-01-01, 2100-01-01) (got ", absl::FormatTime(t), ")"));
  }
  return TruncateToMicros(t);
}

// The rule for a time a client says something happened at (a call event, an
// agent's change, a fault): ClientTimeFromProto's range, and at most
// `max_ahead` after the server's `now`. One bad clock on the telephony side
// would otherwise make every later true report look stale.
inline absl::StatusOr<absl::Time> ClientTimeFromProto(absl::string_view field,
                                                      const google::protobuf::Timestamp& at,
                                                      absl::Time now, absl::Duration max_ahead) {
  absl::StatusOr<absl::Time> t = ClientTimeFromProto(field, at);
  if (t.ok() && *t > now + max_ahead) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must not be more than ", absl::FormatDuration(max_ahead),
                     " ahead of the server's clock (got ", absl::FormatTime(*t), ")"));
  }
  return t;
}

inline google::protobuf::Duration ToProtoDuration(absl::Duration d) {
  google::protobuf::Duration out;
  absl::Duration rest;
  const int64_t seconds = absl::IDivDuration(d, absl::Seconds(1), &rest);  // toward zero
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(rest)));
  return out;
}

// google.protobuf.Duration's own rules: seconds within +-10000 years, nanos
// within +-999999999 and of the sign of the seconds.
inline bool IsValidProtoDuration(const google::protobuf::Duration& d) {
  constexpr int64_t kMaxSeconds = 315576000000;
  if (d.seconds() > kMaxSeconds || d.seconds() < -kMaxSeconds) {
    return false;
  }
  if (d.nanos() > 999999999 || d.nanos() < -999999999) {
    return false;
  }
  return !((d.seconds() > 0 && d.nanos() < 0) || (d.seconds() < 0 && d.nanos() > 0));
}

// Zero for a duration that breaks those rules (callers validate first).
inline absl::Duration FromProtoDuration(const google::protobuf::Duration& d) {
  if (!IsValidProtoDuration(d)) {
    return absl::ZeroDuration();
  }
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

}  // namespace hotline
