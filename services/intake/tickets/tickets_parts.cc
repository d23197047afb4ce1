#include "services/intake/tickets/tickets_parts.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "libs/events/event_sink_service.h"
#include "libs/log/log.h"
#include "libs/status/status.h"
#include "services/intake/tickets/api/order_event_sink.h"
#include "services/intake/tickets/api/outage_event_sink.h"
#include "services/intake/tickets/api/sla_event_sink.h"
#include "services/intake/tickets/api/survey_event_sink.h"
#include "services/intake/tickets/api/ticket_intake_service.h"
#include "services/intake/tickets/desk/ticket_desk.h"
#include "services/intake/tickets/store/outage_check.h"
#include "services/intake/tickets/store/sla_deadlines.h"
#include "services/intake/tickets/ticket_settings.h"

namespace hotline::intake {
namespace {

// What the desk refers to, kept alive by whoever holds the desk.
struct TicketsState {
  TicketSettings settings;
  std::unique_ptr<AddressOutageCheck> outage_check;
  std::unique_ptr<TicketDeadlineSource> deadline_source;
  std::unique_ptr<TicketDesk> desk;
};

std::unique_ptr<AddressOutageCheck> MakeOutageCheck(runtime::ServiceContext& context,
                                                    absl::Duration timeout) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = context.PeerChannel("outage");
  absl::StatusOr<std::string> token = context.ServiceToken();
  if (!channel.ok() || !token.ok()) {
    std::string reason = absl::StrCat("outage service not configured: ",
                                      (channel.ok() ? token.status() : channel.status()).message());
    log::Warn("intake.tickets", reason, "; repairs are routed without the outage check");
    return std::make_unique<SkippedOutageCheck>(reason);
  }
  return std::make_unique<OutageServiceCheck>(*channel, *token, timeout);
}

std::unique_ptr<TicketDeadlineSource> MakeDeadlineSource(runtime::ServiceContext& context,
                                                         absl::Duration timeout) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = context.PeerChannel("sla");
  absl::StatusOr<std::string> token = context.ServiceToken();
  if (!channel.ok() || !token.ok()) {
    std::string reason = absl::StrCat("sla service not configured: ",
                                      (channel.ok() ? token.status() : channel.status()).message());
    log::Warn("intake.tickets", reason, "; tickets are taken with their deadlines pending");
    return std::make_unique<PendingDeadlineSource>(reason);
  }
  return std::make_unique<SlaDeadlineSource>(*channel, *token, timeout);
}

TicketSettings& Settings() {
  static TicketSettings* settings = new TicketSettings();
  return *settings;
}

}  // namespace

void AddTicketSettings(config::Settings& settings) { Settings().Register(settings); }

absl::Status AddTicketParts(runtime::ServiceContext& context, runtime::ServiceParts& parts) {
  const TicketSettings& settings = Settings();
  HOTLINE_RETURN_IF_ERROR(settings.Validate());
  auto state = std::make_shared<TicketsState>();
  state->settings = settings;
  state->outage_check = MakeOutageCheck(context, settings.outage_check_timeout);
  state->deadline_source = MakeDeadlineSource(context, settings.sla_timeout);
  // Nothing is queued for an outage service intake has no address for: no
  // relay lane would ever send it.
  const bool with_outage = !context.settings().PeerAddress("outage").empty();
  if (!with_outage) {
    log::Warn("intake.tickets",
              "no outage address: repairs' ticket.created is not sent to outage, which cannot "
              "group repair calls into suspected fault outages");
  }
  // Nor for a survey service it has no address for.
  const bool with_survey = !context.settings().PeerAddress("survey").empty();
  if (!with_survey) {
    log::Warn("intake.tickets",
              "no survey address: ticket.resolved is not sent to survey, which cannot call "
              "customers back after repairs, complaints and reports");
  }
  const TicketDestinations destinations = MakeTicketDestinations(with_outage, with_survey);
  state->desk =
      std::make_unique<TicketDesk>(context.pool(), state->settings, *state->outage_check,
                                   *state->deadline_source, context.clock(), destinations);
  std::shared_ptr<TicketDesk> desk(state, state->desk.get());

  HOTLINE_ASSIGN_OR_RETURN(std::unique_ptr<runtime::BackgroundWorker> outbox,
                           context.MakeOutboxWorker(destinations.All()));

  auto sink = std::make_unique<events::EventSinkService>(context.pool(), context.schema(),
                                                         context.tokens(), context.handlers());
  SubscribeOrderEvents(*sink, desk);
  SubscribeSlaEvents(*sink, desk);
  SubscribeOutageEvents(*sink, desk);
  SubscribeSurveyEvents(*sink, desk);

  parts.services.push_back(std::make_unique<TicketIntakeService>(
      desk, context.tokens(), *context.metrics(), context.clock(), context.handlers()));
  parts.services.push_back(std::move(sink));
  parts.workers.push_back(std::move(outbox));
  return absl::OkStatus();
}

}  // namespace hotline::intake
