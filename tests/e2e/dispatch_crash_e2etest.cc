// The dispatch process killed (SIGKILL) in the middle of a stream of
// ticket.created events and started again; Redis losing its queues
// afterwards. Every ticket ends with exactly one order, and every order still
// reaches its branch.

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <set>

#include "tests/e2e/dispatch_e2e_helpers.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers

constexpr int kTickets = 300;

// Sends each event until dispatch acknowledges it, as the outbox relay does
// (one event a call, retried after a pause while dispatch is away).
void SendAll(const Backend& backend, const std::vector<Event>& events, std::atomic<int>& done) {
  for (const Event& event : events) {
    while (true) {
      auto accepted = Deliver(backend, {event}, absl::Seconds(2));
      if (accepted.ok() && accepted->size() == 1 && accepted->front() == event.event_id()) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ++done;
  }
}

TEST(DispatchCrashTest, EveryTicketEndsWithExactlyOneOrderAfterAKillAndARedisFlush) {
  BackendOptions options;
  options.extra_env["dispatch"] = {"HOTLINE_QUEUE_SWEEP_INTERVAL=500ms",
                                   "HOTLINE_PULL_POLL_INTERVAL=100ms"};
  auto started = Backend::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<Backend> backend = std::move(*started);

  {
    auto stub = dv1::Dispatch::NewStub(backend->Channel("dispatch"));
    dv1::Branch b;
    b.set_branch_id("BR-1");
    b.set_name("Crash-test crew");
    b.set_kind("repair_crew");
    b.set_area_class(common::v1::AREA_CLASS_URBAN);
    b.add_ticket_types(common::v1::TICKET_TYPE_REPAIR);
    dv1::TerritoryEntry* t = b.add_territory();
    t->set_level(dv1::TERRITORY_LEVEL_COUNTY);
    t->set_value("E2E Province/City/County");
    dv1::Branch saved;
    auto context = Call(backend->Token("admin"));
    grpc::Status status = stub->UpsertBranch(context.get(), b, &saved);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::vector<Event> events;
  for (int i = 0; i < kTickets; ++i) {
    events.push_back(Created(Repair(absl::StrCat("crash-", i), Place("County", "Town"))));
  }
  std::vector<Event> backwards(events.rbegin(), events.rend());
  // Two senders deliver every event, from both ends: each event arrives at
  // least twice, some at the same moment.
  std::atomic<int> forward_done{0};
  std::atomic<int> backward_done{0};
  std::thread forward([&] { SendAll(*backend, events, forward_done); });
  std::thread backward([&] { SendAll(*backend, backwards, backward_done); });

  ASSERT_TRUE(WaitUntil([&] { return forward_done + backward_done >= kTickets / 2; },
                        std::chrono::seconds(60)));
  auto killed = backend->Stop("dispatch", SIGKILL);
  ASSERT_TRUE(killed.ok()) << killed.status();
  EXPECT_TRUE(WIFSIGNALED(*killed));
  ASSERT_TRUE(backend->Restart("dispatch").ok()) << backend->Log("dispatch");
  forward.join();
  backward.join();

  // Redis loses every queue: PostgreSQL is the truth they are rebuilt from.
  CommandResult flushed = RunCommand(absl::StrCat(
      "redis-cli -h ", backend->redis_address().substr(0, backend->redis_address().rfind(':')),
      " -p ", backend->redis_address().substr(backend->redis_address().rfind(':') + 1), " -n ",
      backend->redis_db(), " FLUSHDB"));
  ASSERT_EQ(flushed.exit_code, 0) << flushed.output;

  // Exactly one order per ticket.
  auto stub = dv1::Dispatch::NewStub(backend->Channel("dispatch"));
  std::map<std::string, int> orders_per_ticket;
  std::set<std::string> order_ids;
  dv1::ListOrdersRequest list;
  list.mutable_page()->set_page_size(100);
  do {
    dv1::ListOrdersResponse page;
    auto context = Call(backend->Token("admin"));
    grpc::Status status = stub->ListOrders(context.get(), list, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const dv1::Order& order : page.orders()) {
      ++orders_per_ticket[order.ticket_id()];
      order_ids.insert(order.order_id());
      EXPECT_EQ(order.branch_id(), "BR-1");
    }
    list.mutable_page()->set_cursor(page.page().next_cursor());
  } while (!list.page().cursor().empty());
  EXPECT_EQ(orders_per_ticket.size(), static_cast<size_t>(kTickets));
  for (const auto& [ticket, count] : orders_per_ticket) {
    EXPECT_EQ(count, 1) << ticket;
  }

  // And every order reaches the branch, from queues rebuilt after the crash
  // (pushes lost with the process) and the flush.
  Puller puller(*backend, backend->Token("branch"), 1000);
  std::set<std::string> pulled;
  EXPECT_TRUE(WaitUntil(
      [&] {
        for (const auto& r : puller.Messages()) {
          pulled.insert(r.message.delivery().order().order_id());
        }
        return pulled.size() == order_ids.size();
      },
      std::chrono::seconds(30)))
      << pulled.size() << " of " << order_ids.size() << " pulled\n"
      << backend->Log("dispatch");
  EXPECT_EQ(pulled, order_ids);
}

}  // namespace
}  // namespace hotline::testing
