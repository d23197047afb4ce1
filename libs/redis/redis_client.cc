#include "libs/redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/time.h>

#include <mutex>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/log/log.h"

namespace hotline::redis {
namespace {

constexpr absl::string_view kComponent = "redis";

// Error replies that describe a passing server state, not a bad command.
constexpr absl::string_view kTransientErrorPrefixes[] = {"LOADING", "BUSY", "MASTERDOWN",
                                                         "TRYAGAIN"};

void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current = {};
    if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      ::signal(SIGPIPE, SIG_IGN);
    }
  });
}

timeval NonZeroTimeval(absl::Duration d) {
  timeval tv = absl::ToTimeval(d);
  if (tv.tv_sec == 0 && tv.tv_usec == 0) {
    tv.tv_usec = 1000;  // hiredis treats zero as "no timeout".
  }
  return tv;
}

absl::Status ErrorReplyStatus(absl::string_view message) {
  for (absl::string_view prefix : kTransientErrorPrefixes) {
    if (absl::StartsWith(message, prefix)) {
      return absl::UnavailableError(absl::StrCat("redis: ", message));
    }
  }
  return absl::FailedPreconditionError(absl::StrCat("redis: ", message));
}

absl::StatusOr<RedisReply> Convert(const redisReply& raw) {
  RedisReply reply;
  switch (raw.type) {
    case REDIS_REPLY_NIL:
      reply.type = RedisReply::Type::kNil;
      return reply;
    case REDIS_REPLY_STRING:
      reply.type = RedisReply::Type::kString;
      reply.str.assign(raw.str, raw.len);
      return reply;
    case REDIS_REPLY_STATUS:
      reply.type = RedisReply::Type::kStatus;
      reply.str.assign(raw.str, raw.len);
      return reply;
    case REDIS_REPLY_INTEGER:
      reply.type = RedisReply::Type::kInteger;
      reply.integer = raw.integer;
      return reply;
    case REDIS_REPLY_ARRAY:
      reply.type = RedisReply::Type::kArray;
      reply.elements.reserve(raw.elements);
      for (size_t i = 0; i < raw.elements; ++i) {
        absl::StatusOr<RedisReply> element = Convert(*raw.element[i]);
        if (!element.ok()) {
          return absl::Status(element.status().code(),
                              absl::StrCat(element.status().message(), " (array element ", i, ")"));
        }
        reply.elements.push_back(*std::move(element));
      }
      return reply;
    case REDIS_REPLY_ERROR:
      return ErrorReplyStatus(absl::string_view(raw.str, raw.len));
    default:
      return absl::InternalError(absl::StrCat("redis: unexpected reply type ", raw.type));
  }
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// Splits "host:port" or "[v6]:port".
absl::Status ParseAddress(absl::string_view address, std::string* host, int* port) {
  size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), port) || *port <= 0 || *port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("redis address \"", address, "\" must be host:port"));
  }
  absl::string_view h = address.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') {
    h = h.substr(1, h.size() - 2);
  }
  *host = std::string(h);
  return absl::OkStatus();
}

// Appends one command to the context's output buffer.
bool Append(redisContext* context, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return redisAppendCommandArgv(context, static_cast<int>(args.size()), argv.data(),
                                lengths.data()) == REDIS_OK;
}

}  // namespace

void RedisClient::ContextDeleter::operator()(redisContext* context) const { redisFree(context); }

RedisClient::RedisClient(RedisOptions options) : options_(std::move(options)) {
  address_status_ = ParseAddress(options_.address, &host_, &port_);
  IgnoreSigpipeOnce();
}

RedisClient::~RedisClient() = default;

absl::Status RedisClient::EnsureConnectedLocked() {
  if (context_ != nullptr) {
    return absl::OkStatus();
  }
  if (!address_status_.ok()) {
    return address_status_;
  }
  ContextPtr context(
      redisConnectWithTimeout(host_.c_str(), port_, NonZeroTimeval(options_.connect_timeout)));
  if (context == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("redis at ", options_.address, ": cannot allocate a connection"));
  }
  if (context->err != 0) {
    return absl::UnavailableError(
        absl::StrCat("redis at ", options_.address, ": cannot connect: ", context->errstr));
  }
  if (redisSetTimeout(context.get(), NonZeroTimeval(options_.command_timeout)) != REDIS_OK ||
      redisEnableKeepAlive(context.get()) != REDIS_OK) {
    return absl::UnavailableError(
        absl::StrCat("redis at ", options_.address, ": cannot set up socket: ", context->errstr));
  }
  if (options_.db != 0) {
    std::string db = absl::StrCat(options_.db);
    const char* argv[] = {"SELECT", db.c_str()};
    const size_t lengths[] = {6, db.size()};
    ReplyPtr reply(static_cast<redisReply*>(redisCommandArgv(context.get(), 2, argv, lengths)));
    if (reply == nullptr) {
      return absl::UnavailableError(
          absl::StrCat("redis at ", options_.address, ": SELECT ", db, ": ", context->errstr));
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      return absl::Status(ErrorReplyStatus(absl::string_view(reply->str, reply->len)).code(),
                          absl::StrCat("redis at ", options_.address, ": SELECT ", db, ": ",
                                       absl::string_view(reply->str, reply->len)));
    }
  }
  context_ = std::move(context);
  log::Info(kComponent, "connected to ", options_.address, " db ", options_.db);
  return absl::OkStatus();
}

absl::Status RedisClient::DropLocked(absl::string_view what, absl::Time started) {
  std::string message =
      absl::StrCat("redis at ", options_.address, ": ", what, " failed after ",
                   absl::FormatDuration(absl::Now() - started), " (command timeout ",
                   absl::FormatDuration(options_.command_timeout), "): ", context_->errstr);
  log::Warn(kComponent, message, "; dropping the connection");
  context_.reset();
  return absl::UnavailableError(message);
}

absl::StatusOr<RedisReply> RedisClient::Command(const std::vector<std::string>& args) {
  if (args.empty()) {
    return absl::InvalidArgumentError("redis: empty command");
  }
  absl::MutexLock lock(&mutex_);
  if (absl::Status connected = EnsureConnectedLocked(); !connected.ok()) {
    return connected;
  }
  absl::Time started = absl::Now();
  if (!Append(context_.get(), args)) {
    return DropLocked(args[0], started);
  }
  void* raw = nullptr;
  if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
    return DropLocked(args[0], started);
  }
  ReplyPtr reply(static_cast<redisReply*>(raw));
  return Convert(*reply);
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  for (size_t i = 0; i < commands.size(); ++i) {
    if (commands[i].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("redis: pipeline command ", i, " is empty"));
    }
  }
  std::vector<RedisReply> replies;
  if (commands.empty()) {
    return replies;
  }
  absl::MutexLock lock(&mutex_);
  if (absl::Status connected = EnsureConnectedLocked(); !connected.ok()) {
    return connected;
  }
  absl::Time started = absl::Now();
  for (const std::vector<std::string>& command : commands) {
    if (!Append(context_.get(), command)) {
      return DropLocked("pipeline", started);
    }
  }
  // Every reply is read, even after an error reply, so that the connection
  // stays in step for the next call.
  absl::Status first_error;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
      return DropLocked(absl::StrCat("pipeline (reply ", i, " of ", commands.size(), ")"), started);
    }
    ReplyPtr reply(static_cast<redisReply*>(raw));
    absl::StatusOr<RedisReply> converted = Convert(*reply);
    if (!converted.ok()) {
      if (first_error.ok()) {
        first_error = absl::Status(converted.status().code(),
                                   absl::StrCat("pipeline command ", i, " (", commands[i][0],
                                                ") failed: ", converted.status().message()));
      }
      continue;
    }
    replies.push_back(*std::move(converted));
  }
  if (!first_error.ok()) {
    return first_error;
  }
  return replies;
}

absl::Status RedisClient::Ping() {
  absl::StatusOr<RedisReply> reply = Command({"PING"});
  if (!reply.ok()) {
    return reply.status();
  }
  if (reply->type != RedisReply::Type::kStatus || reply->str != "PONG") {
    return absl::InternalError(
        absl::StrCat("redis at ", options_.address, ": PING answered \"", reply->str, "\""));
  }
  return absl::OkStatus();
}

}  // namespace hotline::redis
