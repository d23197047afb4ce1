#include "libs/rpc/signals.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

namespace hotline::rpc {
namespace {

// Runs in its own binary: the signals must be blocked before any thread
// exists, or a process-directed SIGTERM could kill the test.
TEST(SignalsTest, WaitReturnsTheTerminationSignalInsteadOfDying) {
  BlockTerminationSignals();
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  EXPECT_EQ(WaitForTerminationSignal(), SIGTERM);
  ASSERT_EQ(kill(getpid(), SIGINT), 0);
  EXPECT_EQ(WaitForTerminationSignal(), SIGINT);
}

}  // namespace
}  // namespace hotline::rpc
