// rpc::SequenceWatch over a real gRPC server, with an in-memory store in
// place of PostgreSQL: a client gets every note once and in order across
// pages, resumes after the last sequence it received, `only_new` skips the
// past, a wake delivers what was recorded since, cancelling ends the stream
// and leaves the feed, and every refusal and source error ends it with its
// status.

#include "libs/rpc/sequence_watch.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "libs/rpc/testdata/echo_service.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::rpc {
namespace {

using ::hotline::rpc::testing::LoopbackOptions;
using ::hotline::rpc::testing::PlainChannel;
using ::hotline::rpctest::v1::Note;
using ::hotline::rpctest::v1::WatchNotesRequest;
using ::hotline::testing::WaitUntil;

// Notes in memory, numbered 1, 2, ...; a note is visible once added, and in
// order, as the source contract asks.
class NoteStore {
 public:
  int64_t Add(const std::string& text) {
    absl::MutexLock lock(&mu_);
    Note note;
    note.set_sequence(static_cast<int64_t>(notes_.size()) + 1);
    note.set_text(text);
    notes_.push_back(note);
    return note.sequence();
  }

  void AddMany(int n) {
    for (int i = 0; i < n; ++i) {
      Add(absl::StrCat("note ", i));
    }
  }

  // Reads notes whose text does not start with `skip` ("": none skipped),
  // as a service filters in its source.
  SequenceSource<Note> Source(std::string skip = "") {
    SequenceSource<Note> source;
    source.after = [this, skip](int64_t after, int limit) -> absl::StatusOr<std::vector<Note>> {
      ++reads;
      absl::MutexLock lock(&mu_);
      if (!fail_.ok()) {
        return fail_;
      }
      std::vector<Note> page;
      for (size_t i = static_cast<size_t>(after); i < notes_.size(); ++i) {
        if (static_cast<int>(page.size()) == limit) {
          break;
        }
        if (skip.empty() || notes_[i].text().rfind(skip, 0) != 0) {
          page.push_back(notes_[i]);
        }
      }
      return page;
    };
    source.last = [this]() -> absl::StatusOr<int64_t> {
      ++lasts;
      absl::MutexLock lock(&mu_);
      return static_cast<int64_t>(notes_.size());
    };
    source.sequence = [](const Note& note) { return note.sequence(); };
    return source;
  }

  void Fail(absl::Status status) {
    absl::MutexLock lock(&mu_);
    fail_ = std::move(status);
  }

  std::atomic<int> reads{0};
  std::atomic<int> lasts{0};

 private:
  absl::Mutex mu_;
  std::vector<Note> notes_ ABSL_GUARDED_BY(mu_);
  absl::Status fail_ ABSL_GUARDED_BY(mu_);
};

// WatchNotes as a service writes it: check, then hand over to SequenceWatch.
class NoteService final : public rpctest::v1::NoteService::CallbackService {
 public:
  NoteService(NoteStore& store, WakeFeed& feed, HandlerPool& handlers, int page)
      : store_(store), feed_(feed), handlers_(handlers), page_(page) {}

  grpc::ServerWriteReactor<Note>* WatchNotes(grpc::CallbackServerContext* /*context*/,
                                             const WatchNotesRequest* request) override {
    absl::Status allowed;
    SequenceSource<Note> source;
    {
      absl::MutexLock lock(&mu_);
      allowed = refuse_;
      source = source_.after ? source_ : store_.Source();
    }
    return SequenceWatch<Note>::Start(
        std::move(source), feed_, handlers_,
        {.after_sequence = request->after_sequence(), .only_new = request->only_new()}, allowed,
        page_);
  }

  // What the next calls' checks answer.
  void Refuse(absl::Status status) {
    absl::MutexLock lock(&mu_);
    refuse_ = std::move(status);
  }
  // The source of the next calls instead of the store's.
  void UseSource(SequenceSource<Note> source) {
    absl::MutexLock lock(&mu_);
    source_ = std::move(source);
  }

 private:
  NoteStore& store_;
  WakeFeed& feed_;
  HandlerPool& handlers_;
  const int page_;
  absl::Mutex mu_;
  absl::Status refuse_ ABSL_GUARDED_BY(mu_);
  SequenceSource<Note> source_ ABSL_GUARDED_BY(mu_);
};

// A client's stream; every read gives up with the call's deadline.
class Stream {
 public:
  Stream(const std::shared_ptr<grpc::Channel>& channel, int64_t after_sequence,
         bool only_new = false)
      : stub_(rpctest::v1::NoteService::NewStub(channel)) {
    SetDeadline(context_, absl::Seconds(30));
    WatchNotesRequest request;
    request.set_after_sequence(after_sequence);
    request.set_only_new(only_new);
    reader_ = stub_->WatchNotes(&context_, request);
  }
  ~Stream() {
    if (!ended_) {
      Cancel();
      End();
    }
  }

  // The sequences of the next `n` notes (fewer if the stream ended).
  std::vector<int64_t> Read(int n) {
    std::vector<int64_t> out;
    Note note;
    while (static_cast<int>(out.size()) < n && reader_->Read(&note)) {
      out.push_back(note.sequence());
    }
    return out;
  }

  // Reads until the server ends the stream; its status.
  grpc::Status End() {
    Note note;
    while (reader_->Read(&note)) {
    }
    ended_ = true;
    return reader_->Finish();
  }

  void Cancel() { context_.TryCancel(); }

 private:
  std::unique_ptr<rpctest::v1::NoteService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<Note>> reader_;
  bool ended_ = false;
};

std::vector<int64_t> Range(int64_t from, int64_t to) {
  std::vector<int64_t> out;
  for (int64_t i = from; i <= to; ++i) {
    out.push_back(i);
  }
  return out;
}

class SequenceWatchTest : public ::testing::Test {
 protected:
  static constexpr int kPage = 4;  // small, so that streams cross pages

  void SetUp() override {
    auto server = RpcServer::Start(LoopbackOptions(), {&service_});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = PlainChannel(*server_);
  }
  void TearDown() override { server_->Shutdown(); }

  HandlerPool handlers_{{4, 64}};
  NoteStore store_;
  WakeFeed feed_;
  NoteService service_{store_, feed_, handlers_, kPage};
  std::unique_ptr<RpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(SequenceWatchTest, SendsEveryNoteOnceInOrderAcrossPagesThenWhatIsWokenFor) {
  store_.AddMany(25);
  Stream stream(channel_, 0);
  EXPECT_EQ(stream.Read(25), Range(1, 25));

  // Nothing more is sent until a new note: the next one is the new one.
  store_.Add("new");
  feed_.Wake();
  EXPECT_EQ(stream.Read(1), std::vector<int64_t>{26});
}

TEST_F(SequenceWatchTest, AReconnectWithTheLastSequenceMissesNothingAndRepeatsNothing) {
  store_.AddMany(10);
  std::vector<int64_t> first;
  {
    Stream stream(channel_, 0);
    first = stream.Read(6);
  }  // the client goes away
  ASSERT_EQ(first, Range(1, 6));
  store_.AddMany(3);  // recorded while it was away

  Stream resumed(channel_, first.back());
  EXPECT_EQ(resumed.Read(7), Range(7, 13));
  store_.Add("new");
  feed_.Wake();
  EXPECT_EQ(resumed.Read(1), std::vector<int64_t>{14});
}

TEST_F(SequenceWatchTest, OnlyNewSkipsThePastAndIgnoresAfterSequence) {
  store_.AddMany(5);
  Stream stream(channel_, 2, /*only_new=*/true);
  // Past notes are those recorded before the stream asked for the last one.
  ASSERT_TRUE(WaitUntil([&] { return store_.lasts.load() >= 1; }));
  store_.Add("new");
  feed_.Wake();
  EXPECT_EQ(stream.Read(1), std::vector<int64_t>{6});
}

TEST_F(SequenceWatchTest, AWakeDeliversWhatWasRecordedSinceToEveryStream) {
  Stream a(channel_, 0);
  Stream b(channel_, 0);
  ASSERT_TRUE(WaitUntil([&] { return feed_.size() == 2 && store_.reads.load() >= 2; }));
  store_.AddMany(3);
  feed_.Wake();
  EXPECT_EQ(a.Read(3), Range(1, 3));
  EXPECT_EQ(b.Read(3), Range(1, 3));
}

TEST_F(SequenceWatchTest, NotesRecordedAndWokenForWhileStreamsSendArriveOnceInOrder) {
  constexpr int kNotes = 600;
  Stream a(channel_, 0);
  Stream b(channel_, 0);
  std::thread writer([&] {
    for (int i = 0; i < kNotes; ++i) {
      store_.Add(absl::StrCat("note ", i));
      if (i % 3 == 0) {  // wakes that race with reads, writes and each other
        feed_.Wake();
      }
    }
    feed_.Wake();
  });
  std::vector<int64_t> got_a = a.Read(kNotes);
  std::vector<int64_t> got_b = b.Read(kNotes);
  writer.join();
  EXPECT_EQ(got_a, Range(1, kNotes));
  EXPECT_EQ(got_b, Range(1, kNotes));
}

TEST_F(SequenceWatchTest, FilteringIsTheSourcesAndResumesExactly) {
  service_.UseSource(store_.Source("skip"));
  store_.Add("keep");  // 1
  store_.Add("skip");  // 2
  store_.Add("keep");  // 3
  store_.Add("skip");  // 4
  Stream stream(channel_, 0);
  EXPECT_EQ(stream.Read(2), (std::vector<int64_t>{1, 3}));
  Stream resumed(channel_, 1);
  EXPECT_EQ(resumed.Read(1), std::vector<int64_t>{3});
}

TEST_F(SequenceWatchTest, CancellingEndsTheStreamAndLeavesTheFeed) {
  store_.AddMany(2);
  Stream stream(channel_, 0);
  ASSERT_EQ(stream.Read(2), Range(1, 2));
  EXPECT_EQ(feed_.size(), 1);
  stream.Cancel();
  // Wakes around the cancellation find a stream that is ending, or none.
  for (int i = 0; i < 20; ++i) {
    store_.Add("late");
    feed_.Wake();
  }
  EXPECT_EQ(stream.End().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(WaitUntil([&] { return feed_.size() == 0; })) << "the stream left the feed";
  feed_.Wake();
}

TEST_F(SequenceWatchTest, ARefusedCallEndsWithItsStatusWithoutReading) {
  service_.Refuse(absl::PermissionDeniedError("role agent may not call WatchNotes"));
  Stream stream(channel_, 0);
  grpc::Status status = stream.End();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "role agent may not call WatchNotes");
  EXPECT_EQ(store_.reads.load(), 0);
  EXPECT_EQ(feed_.size(), 0);
}

TEST_F(SequenceWatchTest, ANegativeAfterSequenceIsRefused) {
  Stream stream(channel_, -1);
  grpc::Status status = stream.End();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "after_sequence: must not be negative");
  EXPECT_EQ(store_.reads.load(), 0);
}

TEST_F(SequenceWatchTest, ASourceErrorEndsTheStreamAfterWhatWasSent) {
  store_.AddMany(2);
  Stream stream(channel_, 0);
  ASSERT_EQ(stream.Read(2), Range(1, 2));
  store_.Fail(absl::UnavailableError("store away"));
  feed_.Wake();
  EXPECT_EQ(stream.End().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(SequenceWatchTest, ASourceThatThrowsOrReadsOutOfOrderEndsTheStreamInternal) {
  SequenceSource<Note> throws = store_.Source();
  throws.after = [](int64_t, int) -> absl::StatusOr<std::vector<Note>> {
    throw std::runtime_error("broken");
  };
  service_.UseSource(throws);
  Stream a(channel_, 0);
  EXPECT_EQ(a.End().error_code(), grpc::StatusCode::INTERNAL);

  SequenceSource<Note> backwards = store_.Source();
  backwards.after = [](int64_t, int) -> absl::StatusOr<std::vector<Note>> {
    std::vector<Note> page(2);
    page[0].set_sequence(2);
    page[1].set_sequence(1);
    return page;
  };
  service_.UseSource(backwards);
  Stream b(channel_, 0);
  EXPECT_EQ(b.End().error_code(), grpc::StatusCode::INTERNAL);
}

TEST(SequenceWatchPoolTest, AFullHandlerPoolEndsTheStreamResourceExhausted) {
  HandlerPool handlers({1, 0});  // one thread, no queue
  NoteStore store;
  WakeFeed feed;
  NoteService service(store, feed, handlers, 4);
  auto server = RpcServer::Start(LoopbackOptions(), {&service});
  ASSERT_TRUE(server.ok()) << server.status();

  absl::Notification running;
  absl::Notification gate;
  ASSERT_TRUE(handlers.TrySchedule([&] {
    running.Notify();
    gate.WaitForNotification();
  }));
  running.WaitForNotification();  // the only thread is busy
  {
    Stream stream(PlainChannel(**server), 0);
    EXPECT_EQ(stream.End().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  }
  gate.Notify();
  (*server)->Shutdown();
}

TEST(WakeFeedTest, WakesEveryWatcherUntilItIsRemoved) {
  WakeFeed feed;
  int a = 0;
  int b = 0;
  const int id_a = feed.Add([&] { ++a; });
  feed.Add([&] { ++b; });
  EXPECT_EQ(feed.size(), 2);
  feed.Wake();
  feed.Remove(id_a);
  feed.Wake();
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 2);
  EXPECT_EQ(feed.size(), 1);
}

TEST(WakeFeedTest, AWatcherMayRemoveItselfWhileWoken) {
  WakeFeed feed;
  int id = 0;
  int calls = 0;
  id = feed.Add([&] {
    ++calls;
    feed.Remove(id);
  });
  feed.Wake();
  feed.Wake();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(feed.size(), 0);
}

}  // namespace
}  // namespace hotline::rpc
