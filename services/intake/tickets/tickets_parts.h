#pragma once

#include "absl/status/status.h"
#include "libs/config/settings.h"
#include "libs/runtime/service_host.h"

namespace hotline::intake {

// Registers the tickets side's settings (ticket_settings.h) on the process's
// settings; call from ServiceDefinition::add_settings. The values live in
// this library until the process exits; without the call the defaults hold.
void AddTicketSettings(config::Settings& settings);

// Adds the tickets side of the intake service to `parts`:
//  - the hotline.intake.v1.TicketIntake gRPC service;
//  - the process's one EventSink (hotline.common.v1.EventSink, schema
//    "intake"), subscribed to dispatch's order events, sla's clock and
//    action events, outage's restores and survey's callback events;
//  - the outbox worker that relays ticket.created / ticket.urged /
//    ticket.cancelled to dispatch, ticket.created / ticket.cancelled to
//    sla, repairs' ticket.created to outage, and the ticket.resolved of
//    repairs, complaints and reports to survey (TicketDestinations).
// The settings are validated here: INVALID_ARGUMENT naming the bad setting
// stops the start. Fails, too, when the outbox worker cannot be made (no
// dispatch or sla address, or no service token). Without an outage address
// (--outage-address "") every repair's outage check is recorded as skipped
// and no ticket.created is queued for outage (the start logs a warning);
// without a survey address (--survey-address "") no ticket.resolved is
// queued (the start logs a warning; no callbacks are made).
absl::Status AddTicketParts(runtime::ServiceContext& context, runtime::ServiceParts& parts);

}  // namespace hotline::intake
