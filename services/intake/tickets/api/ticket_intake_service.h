#pragma once

// hotline.intake.v1.TicketIntake over gRPC (callback API): authenticates the
// caller and checks the access table (libs/auth/access.h), validates the
// request (ticket_validation.h), converts, and hands it to the ticket desk.
// Counts created tickets in hotline_tickets_created_total{type,channel,area_class}
// (retries that return an earlier ticket are not counted again).
//
// Thread-safe.

#include <memory>

#include "hotline/intake/v1/intake.grpc.pb.h"
#include "libs/auth/token_store.h"
#include "libs/clock/clock.h"
#include "libs/rpc/handler_pool.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/registry.h"
#include "services/intake/tickets/desk/ticket_desk.h"

namespace hotline::intake {

class TicketIntakeService final : public v1::TicketIntake::CallbackService {
 public:
  // `desk` is shared with the order-event subscription; `tokens`, `registry`
  // `clock` and `handlers` must outlive the service. Every call runs on
  // `handlers` (libs/rpc/answer.h).
  TicketIntakeService(std::shared_ptr<TicketDesk> desk, const auth::TokenStore& tokens,
                      prometheus::Registry& registry, const clock::Clock& clock,
                      rpc::HandlerPool& handlers);

  grpc::ServerUnaryReactor* CreateTicket(grpc::CallbackServerContext* context,
                                         const v1::CreateTicketRequest* request,
                                         v1::CreateTicketResponse* response) override;
  grpc::ServerUnaryReactor* GetTicket(grpc::CallbackServerContext* context,
                                      const v1::GetTicketRequest* request,
                                      v1::Ticket* response) override;
  grpc::ServerUnaryReactor* ListTickets(grpc::CallbackServerContext* context,
                                        const v1::ListTicketsRequest* request,
                                        v1::ListTicketsResponse* response) override;
  grpc::ServerUnaryReactor* AddNote(grpc::CallbackServerContext* context,
                                    const v1::AddNoteRequest* request,
                                    v1::HistoryEntry* response) override;
  grpc::ServerUnaryReactor* UrgeTicket(grpc::CallbackServerContext* context,
                                       const v1::UrgeTicketRequest* request,
                                       v1::UrgeTicketResponse* response) override;
  grpc::ServerUnaryReactor* CancelTicket(grpc::CallbackServerContext* context,
                                         const v1::CancelTicketRequest* request,
                                         v1::Ticket* response) override;
  grpc::ServerUnaryReactor* GetHistory(grpc::CallbackServerContext* context,
                                       const v1::GetHistoryRequest* request,
                                       v1::GetHistoryResponse* response) override;

 private:
  // The caller of `method` (a gRPC full method name), once the access table
  // lets its role call it.
  absl::StatusOr<Actor> Authorize(const grpc::CallbackServerContext& context,
                                  absl::string_view method) const;
  void CountCreated(const v1::Ticket& ticket);

  std::shared_ptr<TicketDesk> desk_;
  const auth::TokenStore& tokens_;
  rpc::HandlerPool& handlers_;
  prometheus::Family<prometheus::Counter>& created_;
  const clock::Clock& clock_;
};

}  // namespace hotline::intake
