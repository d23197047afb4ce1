#pragma once

// A test suite whose tests share one running backend (the five services),
// started once before the first test and stopped after the last:
//
//   class CallsTest : public SharedBackendTest {};
//   TEST_F(CallsTest, ...) { backend().Channel("intake") ... }
//
// A suite that needs other settings starts it itself:
//   static void SetUpTestSuite() { StartBackend(options); }

#include <gtest/gtest.h>

#include "tests/fixtures/backend.h"

namespace hotline::testing {

class SharedBackendTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { StartBackend({}); }
  static void StartBackend(const BackendOptions& options) {
    auto started = Backend::Start(options);
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
