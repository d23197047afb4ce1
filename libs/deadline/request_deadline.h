#pragma once

// The deadline of the request that the current thread is working for, so
// that work deep below a handler (waiting for a PostgreSQL connection, a
// statement) gives up when the caller has given up, without every function
// taking a deadline argument.
//
//   {
//     deadline::Scope scope(context->deadline());   // set by rpc::Answer
//     ... pg::WithTransaction(...)  // Acquire and statement_timeout obey it
//   }
//
// Scopes nest: an inner scope can only shorten the deadline. Without a scope
// the deadline is absl::InfiniteFuture(). Deadlines are real time (not a
// service's test clock). Thread-local: a scope covers the thread that made it.

#include "absl/time/time.h"

namespace hotline::deadline {

absl::Time Current();

// Time left until Current() (InfiniteDuration without a scope; zero or
// negative once it passed).
absl::Duration Remaining();

class Scope {
 public:
  explicit Scope(absl::Time deadline);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  absl::Time previous_;
};

}  // namespace hotline::deadline
