#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/redis/redis_client.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::redis {
namespace {

using ::hotline::testing::NewRedisDatabase;
using ::hotline::testing::OwnServers;
using ::hotline::testing::WaitUntil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Type = RedisReply::Type;

RedisReply Str(std::string s) { return RedisReply{Type::kString, std::move(s), 0, {}}; }
RedisReply Int(long long i) { return RedisReply{Type::kInteger, "", i, {}}; }
RedisReply Status(std::string s) { return RedisReply{Type::kStatus, std::move(s), 0, {}}; }
RedisReply Nil() { return RedisReply{}; }

RedisOptions FreshDatabase() {
  hotline::testing::RedisTarget target = NewRedisDatabase();
  RedisOptions options;
  options.address = target.address;
  options.db = target.db;
  return options;
}

TEST(RedisClientTest, RoundTripsStringsIntegersArraysAndNil) {
  RedisClient client(FreshDatabase());
  EXPECT_EQ(client.Command({"SET", "greeting", "hello"}).value(), Status("OK"));
  EXPECT_EQ(client.Command({"GET", "greeting"}).value(), Str("hello"));
  EXPECT_EQ(client.Command({"GET", "missing"}).value(), Nil());
  EXPECT_EQ(client.Command({"INCRBY", "calls", "5"}).value(), Int(5));
  EXPECT_EQ(client.Command({"RPUSH", "queue", "a", "b", "c"}).value(), Int(3));

  absl::StatusOr<RedisReply> range = client.Command({"LRANGE", "queue", "0", "-1"});
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->type, Type::kArray);
  EXPECT_THAT(range->elements, ElementsAre(Str("a"), Str("b"), Str("c")));

  absl::StatusOr<RedisReply> mixed = client.Command({"MGET", "greeting", "missing"});
  ASSERT_TRUE(mixed.ok()) << mixed.status();
  EXPECT_THAT(mixed->elements, ElementsAre(Str("hello"), Nil()));

  EXPECT_TRUE(client.Ping().ok());
}

TEST(RedisClientTest, BinaryKeysAndValuesWithNulBytesRoundTrip) {
  RedisClient client(FreshDatabase());
  const std::string key("k\0ey", 4);
  const std::string value("a\0b\r\n\xff\x00z", 8);
  ASSERT_TRUE(client.Command({"SET", key, value}).ok());
  EXPECT_EQ(client.Command({"GET", key}).value(), Str(value));
  EXPECT_EQ(client.Command({"STRLEN", key}).value(), Int(8));
  EXPECT_EQ(client.Command({"GET", "k"}).value(), Nil()) << "key must not be cut at the NUL";
  EXPECT_EQ(client.Command({"SET", "empty", ""}).value(), Status("OK"));
  EXPECT_EQ(client.Command({"GET", "empty"}).value(), Str(""));
}

TEST(RedisClientTest, PipelineOfAThousandCommandsKeepsOrder) {
  RedisClient client(FreshDatabase());
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 1000; ++i) {
    commands.push_back({"RPUSH", "list", absl::StrCat("item-", i)});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = client.Pipeline(commands);
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ((*replies)[i], Int(i + 1)) << "reply " << i;
  }
  EXPECT_EQ(client.Command({"LINDEX", "list", "999"}).value(), Str("item-999"));
  EXPECT_TRUE(client.Pipeline({}).value().empty());
}

TEST(RedisClientTest, ErrorReplyBecomesFailedPreconditionAndConnectionStaysUsable) {
  RedisClient client(FreshDatabase());
  ASSERT_TRUE(client.Command({"SET", "text", "x"}).ok());
  absl::StatusOr<RedisReply> wrong = client.Command({"LPUSH", "text", "y"});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(wrong.status().message(), HasSubstr("WRONGTYPE"));

  absl::StatusOr<RedisReply> unknown = client.Command({"NOSUCHCOMMAND"});
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown command"));

  EXPECT_EQ(client.Command({"GET", "text"}).value(), Str("x"));
}

TEST(RedisClientTest, PipelineErrorNamesTheFailingCommandAndStaysInStep) {
  RedisClient client(FreshDatabase());
  absl::StatusOr<std::vector<RedisReply>> replies =
      client.Pipeline({{"SET", "a", "1"}, {"LPUSH", "a", "x"}, {"INCR", "b"}});
  ASSERT_FALSE(replies.ok());
  EXPECT_EQ(replies.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(replies.status().message(), HasSubstr("command 1 (LPUSH)"));
  EXPECT_THAT(replies.status().message(), HasSubstr("WRONGTYPE"));
  // The commands around the failing one ran, and the next call reads its own
  // reply, not a leftover from the pipeline.
  EXPECT_EQ(client.Command({"GET", "a"}).value(), Str("1"));
  EXPECT_EQ(client.Command({"GET", "b"}).value(), Str("1"));
}

TEST(RedisClientTest, InvalidInputIsRejectedWithoutTouchingRedis) {
  RedisClient client(FreshDatabase());
  EXPECT_EQ(client.Command({}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client.Pipeline({{"PING"}, {}}).status().code(), absl::StatusCode::kInvalidArgument);

  RedisOptions bad;
  bad.address = "no-port-here";
  RedisClient malformed(bad);
  absl::Status status = malformed.Ping();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("no-port-here"));
}

TEST(RedisClientTest, EachClientWorksInItsOwnDatabase) {
  RedisOptions first_options = FreshDatabase();
  RedisOptions second_options = FreshDatabase();
  ASSERT_NE(first_options.db, second_options.db);
  RedisClient first(first_options);
  RedisClient second(second_options);
  ASSERT_TRUE(first.Command({"SET", "owner", "first"}).ok());
  EXPECT_EQ(second.Command({"GET", "owner"}).value(), Nil());
  EXPECT_EQ(first.Command({"GET", "owner"}).value(), Str("first"));
}

TEST(RedisClientTest, CommandLongerThanTheTimeoutFailsInBoundedTimeThenRecovers) {
  RedisOptions options = FreshDatabase();
  options.command_timeout = absl::Milliseconds(200);
  RedisClient client(options);
  ASSERT_TRUE(client.Ping().ok());

  auto started = std::chrono::steady_clock::now();
  absl::StatusOr<RedisReply> blocked = client.Command({"BLPOP", "never-filled", "5"});
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(elapsed, std::chrono::seconds(2));

  // The late BLPOP reply must not be read as the answer to a later command.
  ASSERT_TRUE(client.Command({"SET", "after", "timeout"}).ok());
  EXPECT_EQ(client.Command({"GET", "after"}).value(), Str("timeout"));
}

TEST(RedisClientTest, NothingListeningFailsQuicklyWithUnavailable) {
  RedisOptions options;
  options.address = absl::StrCat("127.0.0.1:", hotline::testing::FreePort());
  RedisClient client(options);
  auto started = std::chrono::steady_clock::now();
  absl::Status status = client.Ping();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr(options.address));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

TEST(RedisClientTest, ConcurrentCallersShareOneClientSafely) {
  RedisClient client(FreshDatabase());
  constexpr int kThreads = 8;
  constexpr int kIncrements = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        if (!client.Command({"INCR", "shared"}).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(client.Command({"GET", "shared"}).value(), Str(absl::StrCat(kThreads * kIncrements)));
}

// Tests that stop and start a Redis of their own.
class RedisRestartTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<OwnServers>> started = OwnServers::Start();
    ASSERT_TRUE(started.ok()) << started.status();
    servers_ = started->release();
  }
  static void TearDownTestSuite() {
    delete servers_;
    servers_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(servers_, nullptr); }
  void TearDown() override {
    (void)servers_->StartRedis();  // Leave it running for the next test.
  }

  static RedisOptions Options(int db) {
    RedisOptions options;
    options.address = servers_->redis_address();
    options.db = db;
    options.command_timeout = absl::Milliseconds(500);
    return options;
  }

  static OwnServers* servers_;
};

OwnServers* RedisRestartTest::servers_ = nullptr;

TEST_F(RedisRestartTest, FailsWithUnavailableWhileDownAndRecoversAfterRestart) {
  RedisClient client(Options(7));
  ASSERT_TRUE(client.Command({"SET", "before", "restart"}).ok());

  ASSERT_TRUE(servers_->StopRedis().ok());
  auto started = std::chrono::steady_clock::now();
  absl::StatusOr<RedisReply> during = client.Command({"GET", "before"});
  EXPECT_EQ(during.status().code(), absl::StatusCode::kUnavailable) << during.status();
  EXPECT_EQ(client.Pipeline({{"PING"}, {"PING"}}).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(client.Ping().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));

  ASSERT_TRUE(servers_->StartRedis().ok());
  EXPECT_TRUE(WaitUntil([&] { return client.Ping().ok(); }));
  ASSERT_TRUE(client.Command({"SET", "after", "restart"}).ok());
  EXPECT_EQ(client.Command({"GET", "after"}).value(), Str("restart"));

  // The reconnected client SELECTed its database again.
  RedisClient other_db(Options(0));
  EXPECT_EQ(other_db.Command({"GET", "after"}).value(), Nil());
  RedisClient same_db(Options(7));
  EXPECT_EQ(same_db.Command({"GET", "after"}).value(), Str("restart"));
}

TEST_F(RedisRestartTest, ClientCreatedBeforeRedisIsUpConnectsOnceItIs) {
  ASSERT_TRUE(servers_->StopRedis().ok());
  RedisClient client(Options(3));
  EXPECT_EQ(client.Ping().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(client.Command({"GET", "x"}).status().code(), absl::StatusCode::kUnavailable);

  ASSERT_TRUE(servers_->StartRedis().ok());
  EXPECT_TRUE(WaitUntil([&] { return client.Ping().ok(); }));
  EXPECT_EQ(client.Command({"INCR", "x"}).value(), Int(1));
}

}  // namespace
}  // namespace hotline::redis
