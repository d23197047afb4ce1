#pragma once

// Helpers shared by the dispatch end-to-end tests: ticket.created events
// sent straight to dispatch's EventSink (as intake's outbox relay will),
// authorised calls, a branch system's pull stream, and the order events
// dispatch wrote for intake.

#include <google/protobuf/util/time_util.h>
#include <grpcpp/client_context.h>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "hotline/common/v1/events.grpc.pb.h"
#include "hotline/dispatch/v1/dispatch.grpc.pb.h"
#include "hotline/dispatch/v1/events.pb.h"
#include "hotline/intake/v1/events.pb.h"
#include "tests/fixtures/backend.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::testing::dispatch_e2e {

namespace dv1 = hotline::dispatch::v1;
using common::v1::Event;

inline std::unique_ptr<grpc::ClientContext> Call(const std::string& token,
                                                 absl::Duration timeout = absl::Seconds(10)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token);
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

inline common::v1::Address Place(std::string county, std::string township, std::string feeder = "",
                                 std::string transformer_area = "") {
  common::v1::Address a;
  a.set_province("E2E Province");
  a.set_city("City");
  a.set_county(std::move(county));
  a.set_township(std::move(township));
  a.set_village_or_community("Village");
  a.set_street("1 Main Street");
  a.set_feeder(std::move(feeder));
  a.set_transformer_area(std::move(transformer_area));
  a.set_area_class(common::v1::AREA_CLASS_RURAL);
  return a;
}

inline intake::v1::TicketCreated Repair(const std::string& ticket_id, common::v1::Address address) {
  intake::v1::TicketCreated t;
  t.set_ticket_id(ticket_id);
  t.set_ticket_number("GD-" + ticket_id);
  t.set_type(common::v1::TICKET_TYPE_REPAIR);
  t.set_channel(common::v1::CHANNEL_PHONE);
  t.mutable_customer()->set_name("Li Lei");
  t.mutable_customer()->set_phone("13800000000");
  *t.mutable_address() = std::move(address);
  t.set_description("no power");
  *t.mutable_created_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  t.set_fault_scope(common::v1::FAULT_SCOPE_PUBLIC_NETWORK);
  t.set_equipment_owner(common::v1::EQUIPMENT_OWNER_UTILITY);
  return t;
}

inline Event EventOf(const std::string& topic, const std::string& event_id,
                     const google::protobuf::Message& payload, const std::string& key) {
  Event e;
  e.set_event_id(event_id);
  e.set_topic(topic);
  e.set_source("intake");
  e.set_key(key);
  *e.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  e.mutable_payload()->PackFrom(payload);
  return e;
}

inline Event Created(const intake::v1::TicketCreated& ticket, const std::string& event_id = "") {
  return EventOf("ticket.created", event_id.empty() ? ticket.ticket_id() + ".created" : event_id,
                 ticket, ticket.ticket_id());
}

// DeliverEvents as the outbox relay calls it; the ids dispatch accepted.
inline absl::StatusOr<std::vector<std::string>> Deliver(
    const Backend& backend, const std::vector<Event>& events,
    absl::Duration timeout = absl::Seconds(10)) {
  auto stub = common::v1::EventSink::NewStub(backend.Channel("dispatch"));
  common::v1::DeliverEventsRequest request;
  for (const Event& e : events) {
    *request.add_events() = e;
  }
  common::v1::DeliverEventsResponse response;
  auto context = Call(backend.Token("service"), timeout);
  grpc::Status status = stub->DeliverEvents(context.get(), request, &response);
  if (!status.ok()) {
    return absl::UnavailableError(status.error_message());
  }
  return std::vector<std::string>(response.accepted_event_ids().begin(),
                                  response.accepted_event_ids().end());
}

// The orders of a ticket, as an admin lists them.
inline std::vector<dv1::Order> OrdersOfTicket(const Backend& backend,
                                              const std::string& ticket_id) {
  auto stub = dv1::Dispatch::NewStub(backend.Channel("dispatch"));
  dv1::ListOrdersRequest request;
  request.set_ticket_id(ticket_id);
  dv1::ListOrdersResponse response;
  auto context = Call(backend.Token("admin"));
  if (!stub->ListOrders(context.get(), request, &response).ok()) {
    return {};
  }
  return {response.orders().begin(), response.orders().end()};
}

// Waits for the ticket's order and returns it (with histories).
inline std::optional<dv1::Order> WaitOrderOfTicket(const Backend& backend,
                                                   const std::string& ticket_id) {
  std::string order_id;
  WaitUntil([&] {
    auto orders = OrdersOfTicket(backend, ticket_id);
    if (orders.empty()) {
      return false;
    }
    order_id = orders.front().order_id();
    return true;
  });
  if (order_id.empty()) {
    return std::nullopt;
  }
  auto stub = dv1::Dispatch::NewStub(backend.Channel("dispatch"));
  dv1::GetOrderRequest request;
  request.set_order_id(order_id);
  dv1::Order order;
  auto context = Call(backend.Token("admin"));
  if (!stub->GetOrder(context.get(), request, &order).ok()) {
    return std::nullopt;
  }
  return order;
}

// A branch system holding a PullOrders stream open on its own thread.
class Puller {
 public:
  // `service`: the dispatch process to pull from ("dispatch-2" for a replica).
  Puller(const Backend& backend, const std::string& token, int max_outstanding = 0,
         const std::string& cursor = "", const std::string& service = "dispatch")
      : stub_(dv1::BranchOrders::NewStub(backend.Channel(service))) {
    context_.AddMetadata("authorization", "Bearer " + token);
    dv1::PullOrdersRequest request;
    request.set_max_outstanding(max_outstanding);
    request.set_cursor(cursor);
    thread_ = std::thread([this, request] {
      auto reader = stub_->PullOrders(&context_, request);
      dv1::PullOrdersResponse message;
      while (reader->Read(&message)) {
        absl::MutexLock lock(&mu_);
        received_.push_back({message, absl::Now()});
      }
      grpc::Status status = reader->Finish();
      absl::MutexLock lock(&mu_);
      status_ = status;
      ended_ = true;
    });
  }
  ~Puller() { Close(); }

  void Close() {
    context_.TryCancel();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  struct Received {
    dv1::PullOrdersResponse message;
    absl::Time at;
  };
  std::vector<Received> Messages() {
    absl::MutexLock lock(&mu_);
    return received_;
  }
  // The deliveries of one order received so far.
  std::vector<dv1::Delivery> DeliveriesOf(const std::string& order_id) {
    std::vector<dv1::Delivery> out;
    for (const Received& r : Messages()) {
      if (r.message.delivery().order().order_id() == order_id) {
        out.push_back(r.message.delivery());
      }
    }
    return out;
  }
  // The first delivery of the ticket's order, waiting for it.
  std::optional<dv1::Delivery> WaitForTicket(
      const std::string& ticket_id, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::optional<dv1::Delivery> found;
    WaitUntil(
        [&] {
          for (const Received& r : Messages()) {
            if (r.message.delivery().order().ticket_id() == ticket_id) {
              found = r.message.delivery();
              return true;
            }
          }
          return false;
        },
        timeout);
    return found;
  }
  std::string LastCursor() {
    absl::MutexLock lock(&mu_);
    return received_.empty() ? "" : received_.back().message.cursor();
  }
  std::optional<grpc::Status> Ended() {
    absl::MutexLock lock(&mu_);
    return ended_ ? std::optional<grpc::Status>(status_) : std::nullopt;
  }

 private:
  std::unique_ptr<dv1::BranchOrders::Stub> stub_;
  grpc::ClientContext context_;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<Received> received_ ABSL_GUARDED_BY(mu_);
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
};

// The order events dispatch wrote to its outbox for `destination`, with
// their topics, oldest first.
struct OutboxEvent {
  std::string topic;
  dv1::OrderEvent event;
};
inline std::vector<OutboxEvent> OutboxFor(const Backend& backend, const std::string& destination) {
  std::vector<OutboxEvent> out;
  pqxx::connection conn(backend.pg_uri());
  pqxx::work tx(conn);
  for (const pqxx::row& row :
       tx.exec_params("SELECT topic, payload FROM dispatch.outbox WHERE destination = $1 "
                      "ORDER BY id",
                      destination)) {
    Event envelope;
    envelope.ParseFromString(pqxx::binarystring(row[1]).str());
    OutboxEvent e;
    e.topic = row[0].as<std::string>();
    envelope.payload().UnpackTo(&e.event);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace hotline::testing::dispatch_e2e
