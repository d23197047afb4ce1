#include "libs/metrics/metrics_test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace hotline::metrics::testing {
namespace {

std::unique_ptr<MetricsExposer>& ExposerSlot() {
  static auto* slot = new std::unique_ptr<MetricsExposer>();
  return *slot;
}

class StopExposerAtEnd : public ::testing::Environment {
 public:
  void TearDown() override { ExposerSlot().reset(); }
};

[[maybe_unused]] ::testing::Environment* const kStopExposer =
    ::testing::AddGlobalTestEnvironment(new StopExposerAtEnd);

}  // namespace

const MetricsExposer& SharedExposer() {
  std::unique_ptr<MetricsExposer>& slot = ExposerSlot();
  if (slot == nullptr) {
    absl::StatusOr<std::unique_ptr<MetricsExposer>> started = MetricsExposer::Start("127.0.0.1:0");
    if (!started.ok()) {
      fprintf(stderr, "cannot start the test exposer: %s\n", started.status().ToString().c_str());
      std::abort();
    }
    slot = *std::move(started);
  }
  return *slot;
}

absl::StatusOr<std::string> HttpGet(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return absl::InternalError("socket failed");
  }
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return absl::UnavailableError(absl::StrCat("cannot connect to port ", port));
  }
  std::string request = absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return absl::UnavailableError("cannot send the request");
  }
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
    response.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  size_t body = response.find("\r\n\r\n");
  if (body == std::string::npos) {
    return absl::UnavailableError(absl::StrCat("no complete HTTP answer: ", response));
  }
  if (!absl::StartsWith(response, "HTTP/1.1 200") && !absl::StartsWith(response, "HTTP/1.0 200")) {
    return absl::InternalError(absl::StrCat("HTTP answer: ", response.substr(0, body)));
  }
  return response.substr(body + 4);
}

std::optional<prometheus::ClientMetric> FindSeries(prometheus::Registry& registry,
                                                   const std::string& name,
                                                   const prometheus::Labels& labels) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != name) {
      continue;
    }
    for (const prometheus::ClientMetric& metric : family.metric) {
      prometheus::Labels found;
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        found[label.name] = label.value;
      }
      if (found == labels) {
        return metric;
      }
    }
  }
  return std::nullopt;
}

absl::Status PromtoolCheckMetrics(const std::string& exposition) {
  char path[] = "/tmp/hotline-metrics-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) {
    return absl::InternalError("mkstemp failed");
  }
  ::close(fd);
  std::ofstream(path) << exposition;
  std::string command = absl::StrCat("promtool check metrics < ", path, " 2>&1");
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ::unlink(path);
    return absl::InternalError("cannot run promtool");
  }
  std::string output;
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) {
    output.append(buf, n);
  }
  int rc = ::pclose(pipe);
  ::unlink(path);
  if (rc != 0) {
    return absl::InternalError(
        absl::StrCat("promtool check metrics exited ", WEXITSTATUS(rc), ": ", output));
  }
  return absl::OkStatus();
}

}  // namespace hotline::metrics::testing
