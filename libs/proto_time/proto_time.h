#pragma once

// google.protobuf.Timestamp <-> absl::Time, for every service, at the
// microsecond precision PostgreSQL keeps (so what is stored reads back equal).

#include <google/protobuf/timestamp.pb.h>

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

}  // namespace hotline
