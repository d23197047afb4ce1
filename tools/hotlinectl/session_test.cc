#include "tools/hotlinectl/session.h"

#include <gtest/gtest.h>

#include <map>

#include "absl/strings/match.h"

namespace hotline::ctl {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) {
    auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
  };
}

ParsedArgs Args(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseFlags(args, GlobalFlags());
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : ParsedArgs();
}

const char kDevTokens[] = "agent dev-agent-1\ndispatcher dev-dispatcher-2\n";

TEST(ReadSessionOptionsTest, AddressesFromFlagsThenEnvironmentThenDevPorts) {
  absl::StatusOr<SessionOptions> options =
      ReadSessionOptions(Args({"--outage", "10.0.0.4:7000", "--timeout=3s", "--json"}),
                         Env({{"HOTLINE_CTL_SLA_ADDRESS", "sla.internal:443"},
                              {"HOTLINE_CTL_OUTAGE_ADDRESS", "ignored:1"}}),
                         "agent", ".dev/dev-tokens", kDevTokens);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->addresses.at("intake"), "127.0.0.1:50051");
  EXPECT_EQ(options->addresses.at("dispatch"), "127.0.0.1:50052");
  EXPECT_EQ(options->addresses.at("sla"), "sla.internal:443");
  EXPECT_EQ(options->addresses.at("outage"), "10.0.0.4:7000");
  EXPECT_EQ(options->addresses.at("survey"), "127.0.0.1:50055");
  EXPECT_EQ(options->timeout, absl::Seconds(3));
  EXPECT_TRUE(options->json);
}

TEST(ReadSessionOptionsTest, TokenFromFlagEnvironmentOrTheRolesDevToken) {
  auto token = [](const std::vector<std::string>& args, std::map<std::string, std::string> env,
                  const std::string& text) {
    absl::StatusOr<SessionOptions> o =
        ReadSessionOptions(Args(args), Env(std::move(env)), "agent", ".dev/dev-tokens", text);
    return o.ok() ? o->token : std::string(o.status().message());
  };
  EXPECT_EQ(token({"--token", "t-1"}, {{"HOTLINE_CTL_TOKEN", "t-env"}}, kDevTokens), "t-1");
  EXPECT_EQ(token({}, {{"HOTLINE_CTL_TOKEN", "t-env"}}, kDevTokens), "t-env");
  EXPECT_EQ(token({}, {}, kDevTokens), "dev-agent-1");  // the command's default role
  EXPECT_EQ(token({"--role", "dispatcher"}, {{"HOTLINE_CTL_TOKEN", "t-env"}}, kDevTokens),
            "dev-dispatcher-2");
  EXPECT_EQ(token({"--role", "admin"}, {}, kDevTokens),
            ".dev/dev-tokens: no dev token for role 'admin' (the file has: agent, dispatcher)");
  EXPECT_TRUE(absl::StartsWith(token({}, {}, ""), "no token: give --token TOKEN"));
}

TEST(ReadSessionOptionsTest, ABadTimeoutIsAUsageError) {
  absl::StatusOr<SessionOptions> options =
      ReadSessionOptions(Args({"--timeout", "soon"}), Env({}), "agent", "", kDevTokens);
  ASSERT_FALSE(options.ok());
  EXPECT_TRUE(IsUsageError(options.status()));
  EXPECT_EQ(options.status().message(),
            "--timeout: 'soon' is not a positive duration (e.g. 10s, 1m)");
}

TEST(RpcErrorTest, KeepsTheCallsCodeAndMessage) {
  absl::Status s = RpcError(grpc::Status(grpc::StatusCode::NOT_FOUND, "ticket: no such ticket"));
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "ticket: no such ticket");
  EXPECT_FALSE(IsUsageError(s));
  EXPECT_TRUE(RpcError(grpc::Status::OK).ok());
}

}  // namespace
}  // namespace hotline::ctl
