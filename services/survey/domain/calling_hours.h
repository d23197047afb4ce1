#pragma once

// The daily hours in which customers are called back (no calls at night),
// in local time of a zone. Pure.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace hotline::survey {

class CallingHours {
 public:
  // Minutes after local midnight; `end` before `start` spans midnight.
  CallingHours(int start_minute, int end_minute, absl::TimeZone zone)
      : start_(start_minute), end_(end_minute), zone_(zone) {}

  bool Within(absl::Time at) const;
  // `at` when it is within the hours, else when they next begin.
  absl::Time NextStart(absl::Time at) const;
  // "08:00-21:00 Asia/Shanghai"
  std::string Describe() const;

 private:
  int start_;
  int end_;
  absl::TimeZone zone_;
};

// From "HH:MM" texts; INVALID_ARGUMENT naming the setting
// (--calling-hours-start / --calling-hours-end) when malformed or equal.
absl::StatusOr<CallingHours> ParseCallingHours(const std::string& start, const std::string& end,
                                               absl::TimeZone zone);

}  // namespace hotline::survey
