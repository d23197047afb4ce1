#pragma once

// A test suite whose tests share one running backend (the five services),
// started once before the first test and stopped after the last:
//
//   class CallsTest : public SharedBackendTest {};
//   TEST_F(CallsTest, ...) { backend().Channel("intake") ... }

#include <gtest/gtest.h>

#include "tests/fixtures/backend.h"

namespace hotline::testing {

class SharedBackendTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = Backend::Start();
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = started->release();
  }
  static void TearDownTestSuite() {
    delete backend_;
    backend_ = nullptr;
  }
  static Backend& backend() { return *backend_; }

  static inline Backend* backend_ = nullptr;
};

}  // namespace hotline::testing
