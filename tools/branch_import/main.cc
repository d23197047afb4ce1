// hotline-branch-import: loads a province's branch table from a CSV file into
// the dispatch service, one UpsertBranch call per row, with an admin token.
//
//   hotline-branch-import --file=branches.csv --token-file=admin.token
//       [--target=127.0.0.1:50052] [--ca-file=ca.pem] [--dry-run]
//
// The file's format is in tools/branch_import/branch_csv.h. Every row is an
// upsert, so importing the same file again changes nothing (idempotent);
// parents in the file are sent before their children. A bad row is reported
// as FILE:LINE: problem and the import goes on; a progress line shows how far
// it got. Exit status: 0 every row imported, 1 some rows bad, 2 bad settings
// or an unreadable file, 3 the service refused the token or cannot be reached.

#include <grpcpp/client_context.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "hotline/dispatch/v1/dispatch.grpc.pb.h"
#include "libs/auth/tls.h"
#include "libs/config/settings.h"
#include "libs/rpc/channel.h"
#include "tools/branch_import/branch_csv.h"

namespace {

using hotline::branch_import::BranchRow;

struct Options {
  std::string file;
  std::string token_file;
  std::string target = "127.0.0.1:50052";
  std::string ca_file;
  absl::Duration timeout = absl::Seconds(10);
  bool dry_run = false;
};

absl::StatusOr<std::string> ReadFile(const std::string& path, absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": cannot read ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One line on stderr; rewritten in place on a terminal.
class Progress {
 public:
  explicit Progress(size_t total) : total_(total), tty_(::isatty(STDERR_FILENO) == 1) {}
  void Show(size_t done, size_t bad, bool last) {
    if (!last && !tty_ && done % 50 != 0) {
      return;
    }
    std::fprintf(stderr, "%sprogress: %zu/%zu rows, %zu imported, %zu bad%s", tty_ ? "\r" : "",
                 done, total_, done - bad, bad, tty_ && !last ? "" : "\n");
    std::fflush(stderr);
  }
  // Before printing a row's problem on a terminal: end the progress line.
  void Break() {
    if (tty_) {
      std::fputc('\n', stderr);
    }
  }

 private:
  size_t total_;
  bool tty_;
};

bool Fatal(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::UNAUTHENTICATED ||
         code == grpc::StatusCode::PERMISSION_DENIED || code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  hotline::config::Settings settings(
      "hotline-branch-import",
      "loads a province's branch table from a CSV file into the dispatch service (UpsertBranch "
      "per row, idempotent). Exit 0: all imported; 1: some rows bad; 2: bad settings or file; "
      "3: token refused or service unreachable. Columns: branch_id, name, kind, parent_id, "
      "duty_phone, area_class, arrival_limit_minutes, ticket_types (a;b), fault_scopes (a;b), "
      "territory (level:value;...)");
  settings.AddString("file", &options.file, "the CSV file of branches (required)");
  settings.AddString("token-file", &options.token_file,
                     "a file holding an admin bearer token (required unless --dry-run)");
  settings.AddString("target", &options.target, "the dispatch service, host:port");
  settings.AddString("ca-file", &options.ca_file,
                     "CA (PEM) of the dispatch service's certificate; empty: plaintext");
  settings.AddDuration("timeout", &options.timeout, "deadline of each call");
  settings.AddBool("dry-run", &options.dry_run, "read and check the file, send nothing");
  const char* no_env[] = {nullptr};
  absl::Status parsed = settings.Parse(argc, argv, no_env);
  if (parsed.ok() && settings.help_requested()) {
    std::fputs(settings.Help().c_str(), stdout);
    return 0;
  }
  if (parsed.ok() && options.file.empty()) {
    parsed = absl::InvalidArgumentError("setting --file: required");
  }
  if (parsed.ok() && options.token_file.empty() && !options.dry_run) {
    parsed = absl::InvalidArgumentError("setting --token-file: required");
  }
  if (!parsed.ok()) {
    std::fprintf(stderr, "hotline-branch-import: %s\n", std::string(parsed.message()).c_str());
    return 2;
  }

  absl::StatusOr<std::string> text = ReadFile(options.file, "--file");
  absl::StatusOr<std::vector<BranchRow>> rows =
      text.ok() ? hotline::branch_import::ReadBranchFile(*text)
                : absl::StatusOr<std::vector<BranchRow>>(text.status());
  if (!rows.ok()) {
    std::fprintf(stderr, "%s: %s\n", options.file.c_str(),
                 std::string(rows.status().message()).c_str());
    return 2;
  }
  std::string token;
  std::unique_ptr<hotline::dispatch::v1::Dispatch::Stub> stub;
  if (!options.dry_run) {
    absl::StatusOr<std::string> token_text = ReadFile(options.token_file, "--token-file");
    auto credentials = hotline::auth::MakeChannelCredentials({options.ca_file, "", ""});
    if (!token_text.ok() || !credentials.ok()) {
      absl::Status s = token_text.ok() ? credentials.status() : token_text.status();
      std::fprintf(stderr, "hotline-branch-import: %s\n", std::string(s.message()).c_str());
      return 2;
    }
    token = std::string(absl::StripAsciiWhitespace(*token_text));
    hotline::rpc::ChannelOptions channel;
    channel.target = options.target;
    channel.credentials = *credentials;
    stub = hotline::dispatch::v1::Dispatch::NewStub(hotline::rpc::MakeChannel(channel));
  }

  std::vector<BranchRow> ordered = hotline::branch_import::ParentsFirst(std::move(*rows));
  Progress progress(ordered.size());
  size_t done = 0;
  size_t bad = 0;
  for (const BranchRow& row : ordered) {
    std::string problem;
    if (!row.status.ok()) {
      problem = std::string(row.status.message());
    } else if (!options.dry_run) {
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + token);
      hotline::rpc::SetDeadline(context, options.timeout);
      hotline::dispatch::v1::Branch saved;
      grpc::Status status = stub->UpsertBranch(&context, row.branch, &saved);
      if (!status.ok() && Fatal(status.error_code())) {
        progress.Break();
        std::fprintf(stderr, "hotline-branch-import: %s at %s: %s (%zu of %zu rows imported)\n",
                     status.error_code() == grpc::StatusCode::UNAVAILABLE ? "cannot reach dispatch"
                                                                          : "refused",
                     options.target.c_str(), status.error_message().c_str(), done - bad,
                     ordered.size());
        return 3;
      }
      if (!status.ok()) {
        problem = status.error_message();
      }
    }
    ++done;
    if (!problem.empty()) {
      ++bad;
      progress.Break();
      std::fprintf(stderr, "%s:%d: %s%s\n", options.file.c_str(), row.line,
                   row.branch.branch_id().empty() ? "" : (row.branch.branch_id() + ": ").c_str(),
                   problem.c_str());
    }
    progress.Show(done, bad, done == ordered.size());
  }
  if (ordered.empty()) {
    progress.Show(0, 0, true);
  }
  return bad == 0 ? 0 : 1;
}
