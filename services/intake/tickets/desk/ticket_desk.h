#pragma once

// The ticket use cases, each in one PostgreSQL transaction: create (with the
// outage check, sla's deadlines, the idempotency key, the duplicate-repair
// check and routing through the outbox), urge, cancel, note, read (with the
// reporter's confidentiality), history, and applying dispatch's order events,
// sla's clock and action events, outage's restores and survey's callback
// events. A repair, complaint or report that becomes resolved is told to
// survey (ticket.resolved), which calls the customer back. No gRPC:
// the service (ticket_intake_service.h) authenticates, validates and converts;
// the desk trusts that requests were validated.
//
// Concurrency, all race-free across threads and replicas:
//  - a create holds a transaction-level advisory lock on its idempotency key,
//    so two retries racing each other store one ticket;
//  - a repair create then holds locks on its place (normalised address and
//    transformer area) while it looks for an open repair there, so two calls
//    about one fault at the same moment make one repair and one urging;
//  - urging, cancelling and applying events lock the ticket's row; a
//    restore locks every ticket still linked to its notice, in ticket id
//    order, the only place that locks several tickets at once besides an
//    urging of an urging (never linked to an outage).
// Lock order is always: key, places (sorted), ticket rows. Numbering takes
// no lock (a sequence), so creates never wait for each other's numbers.
//
// Confidentiality: every ticket handed out is masked (reporter_masking.h)
// unless the actor's role sees reporter identities (ticket_roles.h); each
// unmasked read of a named reporter is written to the ticket's history in
// the same transaction as the read.
//
// Thread-safe.

#include <optional>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hotline/common/v1/events.pb.h"
#include "hotline/intake/v1/intake.pb.h"
#include "libs/auth/role.h"
#include "libs/clock/clock.h"
#include "libs/pg/pool.h"
#include "services/intake/tickets/domain/ticket_cursor.h"
#include "services/intake/tickets/domain/ticket_events.h"
#include "services/intake/tickets/store/outage_check.h"
#include "services/intake/tickets/store/sla_deadlines.h"
#include "services/intake/tickets/store/ticket_store.h"
#include "services/intake/tickets/ticket_settings.h"

namespace hotline::intake {

// Who acts: the authenticated principal (name and role), or a service whose
// event is applied.
struct Actor {
  std::string name;
  auth::Role role = auth::Role::kAgent;
};

struct CreateResult {
  v1::Ticket ticket;
  v1::CreateOutcome outcome = v1::CREATE_OUTCOME_UNSPECIFIED;
  bool replayed = false;
  std::optional<v1::Ticket> linked;  // the urged ticket, for urgings and merged repairs
};

struct UrgeResult {
  v1::Ticket urging;
  v1::Ticket urged;
  bool replayed = false;
};

struct TicketPage {
  std::vector<v1::Ticket> tickets;
  std::string next_cursor;  // "" on the last page
};

struct HistoryPage {
  std::vector<v1::HistoryEntry> entries;
  std::string next_cursor;  // "" on the last page
};

class TicketDesk {
 public:
  // All must outlive the desk. `destinations`: where its events go
  // (MakeTicketDestinations; by default with outage).
  TicketDesk(pg::Pool& pool, const TicketSettings& settings, AddressOutageCheck& outage_check,
             TicketDeadlineSource& deadlines, const clock::Clock& clock,
             TicketDestinations destinations = TicketDestinations());

  // A ticket from a validated request. Before its transaction (never inside
  // it) a repair's address is checked with outage, and a ticket that will be
  // routed and whose type has deadlines (TypeHasDeadlines) gets sla's quote:
  // a routed ticket stores the quoted deadlines, or, when sla could not
  // answer, none and deadlines_pending (the reason is in the history entry of
  // its move to routed). A routed ticket's ticket.created goes to dispatch
  // and sla, a routed repair's to outage as well (TicketDestinations).
  // Errors: INVALID_ARGUMENT when the key was used for a different request;
  // NOT_FOUND (urging of an unknown ticket); FAILED_PRECONDITION (urging of a
  // ticket that is no longer open); database errors. `replayed` when the key
  // had made a ticket already.
  absl::StatusOr<CreateResult> Create(const Actor& actor, const v1::CreateTicketRequest& request);

  // An urging of request.ticket_id (validated); errors as Create.
  absl::StatusOr<UrgeResult> Urge(const Actor& actor, const v1::UrgeTicketRequest& request);

  // NOT_FOUND; FAILED_PRECONDITION when the ticket is not open. A ticket
  // that had been routed has its ticket.cancelled sent to dispatch and sla.
  absl::StatusOr<v1::Ticket> Cancel(const Actor& actor, const std::string& ticket_id,
                                    const std::string& reason);

  absl::StatusOr<v1::HistoryEntry> AddNote(const Actor& actor, const std::string& ticket_id,
                                           const std::string& text);

  // By id or number (exactly one set). NOT_FOUND.
  absl::StatusOr<v1::Ticket> Get(const Actor& actor, const v1::GetTicketRequest& request);

  absl::StatusOr<TicketPage> List(const Actor& actor, const store::TicketFilter& filter,
                                  const std::optional<PageCursor>& after, int page_size);

  // The entries after `cursor` (EncodeHistoryCursor; "" from the start),
  // oldest first, `page_size` of them (kDefaultPageSize when 0, at most
  // kMaxPageSize). NOT_FOUND for an unknown ticket; INVALID_ARGUMENT
  // "page.cursor: malformed".
  absl::StatusOr<HistoryPage> History(const std::string& ticket_id, const std::string& cursor,
                                      int page_size);

  // Applies one dispatch order event (payload hotline.dispatch.v1.OrderEvent)
  // inside `tx` (the EventSink's transaction, with its inbox claim). Late or
  // backward events, events for unknown tickets and malformed payloads are
  // not errors: they are logged (and recorded in the ticket's history when
  // there is a ticket) and acknowledged. A repair, complaint or report the
  // event resolves has its ticket.resolved queued for survey (the order's
  // branch and id, its occurred_at, its note as the resolution).
  // Errors: database errors only.
  absl::Status ApplyOrderEvent(pqxx::work& tx, const common::v1::Event& event);

  // Applies one of sla's clock events (topic sla.clock, payload
  // hotline.sla.v1.ClockChanged) inside `tx`: the ticket's own clock (unit
  // "") of a stage shown as a deadline (DeadlineOfClock) sets that
  // deadline's due time and ends deadlines_pending, unless an sla.clock
  // event with a larger or equal Event.sequence was applied to that deadline
  // before. A deadline new to the ticket is met at once when the ticket's
  // status is past its stage already (DeadlinesMetAt: at the clock's
  // stopped_at, or now). Other clocks, events for unknown tickets and
  // malformed payloads are logged and acknowledged. Errors: database errors
  // only.
  absl::Status ApplyClockEvent(pqxx::work& tx, const common::v1::Event& event);

  // Applies one of sla's action events (topic sla.action, payload
  // hotline.sla.v1.ActionFired) inside `tx`: a history entry
  // HISTORY_ACTION_DEADLINE by actor "sla" (role service) at the action's
  // time, its detail DescribeSlaAction in the numbering zone. Events for
  // unknown tickets and malformed payloads are logged and acknowledged.
  // Errors: database errors only.
  absl::Status ApplyActionEvent(pqxx::work& tx, const common::v1::Event& event);

  // Applies one of outage's restores (topic outage.restored, payload
  // hotline.outage.v1.NoticeRestored, key the notice id) inside `tx`: every
  // ticket linked to the notice (status linked_to_outage) whose address lies
  // in what was restored (RestoredPlaceOf) becomes resolved, with a history
  // entry HISTORY_ACTION_STATUS_CHANGED by actor "outage" (role service) at
  // the restore's time (restored_at; unset: now), its detail
  // DescribeRestore. The tickets are locked as the other events lock one
  // (their rows, here all of the notice's in ticket id order) before they
  // are read. Applied again (a later restore of the same notice), it finds
  // only the tickets still linked. Each repair resolved has its
  // ticket.resolved queued for survey (no branch nor order; the history
  // detail as the resolution). Malformed payloads and restores that
  // name no notice are logged and acknowledged. Errors: database errors only.
  absl::Status ApplyRestoreEvent(pqxx::work& tx, const common::v1::Event& event);

  // Applies one of survey's callback events (topics callback.scheduled and
  // callback.completed, payload hotline.survey.v1.CallbackEvent, key the
  // ticket id) inside `tx`, as DecideCallbackEvent says: a resolved ticket
  // moves to callback, then to closed, or to reopened when the customer was
  // dissatisfied (dispatch sends the order back to its branch). Each move is
  // a history entry HISTORY_ACTION_STATUS_CHANGED by actor "survey" (role
  // service) at the event's time, its detail DescribeCallback. An ignored
  // event (late, or for a ticket neither resolved nor waiting for its
  // callback) is logged and written as HISTORY_ACTION_CALLBACK_EVENT_IGNORED.
  // Events for unknown tickets and malformed payloads are logged and
  // acknowledged. Errors: database errors only.
  absl::Status ApplyCallbackEvent(pqxx::work& tx, const common::v1::Event& event);

 private:
  // Queues `ticket`'s ticket.resolved (key the ticket id) for survey when
  // its type is called back and intake has a survey address
  // (TicketDestinations::Resolved).
  absl::Status PublishResolved(pqxx::work& tx, const v1::Ticket& ticket,
                               const Resolution& resolution);
  absl::Time Now() const;
  // `retried`: the key was found before outage and sla were asked (so they
  // were not, and `outage` and `quote` are empty).
  absl::StatusOr<CreateResult> CreateIn(pqxx::work& tx, const Actor& actor,
                                        const v1::CreateTicketRequest& request,
                                        const std::string& digest, bool retried,
                                        const v1::OutageLink& outage, const DeadlineQuote& quote,
                                        absl::Time now);
  absl::StatusOr<CreateResult> Replay(pqxx::work& tx, const Actor& actor,
                                      const store::StoredTicket& stored, const std::string& digest,
                                      absl::Time now);
  // `quote`: sla's deadlines, stored when `status` is routed.
  absl::StatusOr<CreateResult> Store(pqxx::work& tx, const Actor& actor, store::NewTicket& draft,
                                     common::v1::TicketStatus status, v1::CreateOutcome outcome,
                                     const std::string& status_detail, const DeadlineQuote& quote,
                                     absl::Time now);
  absl::StatusOr<CreateResult> StoreUrging(pqxx::work& tx, const Actor& actor,
                                           store::NewTicket& draft, const std::string& target_id,
                                           v1::CreateOutcome outcome, const std::string& why,
                                           absl::Time now);
  absl::StatusOr<v1::Ticket> Present(pqxx::work& tx, const Actor& actor, v1::Ticket ticket,
                                     absl::string_view how, absl::Time now);

  pg::Pool& pool_;
  const TicketSettings& settings_;
  const absl::TimeZone number_zone_;
  AddressOutageCheck& outage_check_;
  TicketDeadlineSource& deadlines_;
  const clock::Clock& clock_;
  const TicketDestinations destinations_;
};

}  // namespace hotline::intake
