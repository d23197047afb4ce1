#pragma once

// SQL on the intake schema's ticket tables (migrations/0001_tickets.sql).
// Every function works inside the caller's transaction (the ticket desk
// composes them, with pg::WithTransaction), returns absl::Status, and never
// throws: libpqxx errors are mapped by libs/pg/errors.h (after one, the
// caller must roll back, i.e. return the error).
//
// Times go to PostgreSQL as microseconds since the epoch and come back the
// same way, so a ticket reads back exactly as it was written.

#include <cstdint>
#include <optional>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "hotline/intake/v1/intake.pb.h"
#include "services/intake/tickets/domain/duplicate_repair.h"
#include "services/intake/tickets/domain/ticket_cursor.h"
#include "services/intake/tickets/domain/ticket_deadlines.h"

namespace hotline::intake::store {

// A ticket as stored: the API view (unmasked; `overdue` as of the `now` of
// the read) and what only the service needs.
struct StoredTicket {
  v1::Ticket ticket;
  std::string request_digest;
  v1::CreateOutcome outcome = v1::CREATE_OUTCOME_UNSPECIFIED;
  std::optional<absl::Time> last_order_event_at;
  std::optional<int64_t> last_order_event_sequence;
  // The envelope sequence of the newest callback event from survey applied
  // to the ticket.
  std::optional<int64_t> last_callback_event_sequence;
};

// What a create writes. From `ticket`: id, number, type, status, channel,
// customer, address, description, details, outage, linked_ticket_id,
// urgency, created_by, created_at (also updated_at).
struct NewTicket {
  v1::Ticket ticket;
  std::string idempotency_key;
  std::string request_digest;
  v1::CreateOutcome outcome = v1::CREATE_OUTCOME_UNSPECIFIED;
  RepairPlace place;  // repairs: for the duplicate check
};

struct HistoryRecord {
  std::string ticket_id;
  absl::Time at;
  std::string actor;
  std::string actor_role;
  v1::HistoryAction action = v1::HISTORY_ACTION_UNSPECIFIED;
  common::v1::TicketStatus from_status = common::v1::TICKET_STATUS_UNSPECIFIED;
  common::v1::TicketStatus to_status = common::v1::TICKET_STATUS_UNSPECIFIED;
  std::string detail;
};

// Facts an order event carries; empty strings and unset times leave the
// stored value as it is.
struct OrderFacts {
  std::string branch_id;
  std::string order_id;
  std::string order_number;
  std::optional<absl::Time> estimated_restore_at;
  absl::Time occurred_at;  // last_order_event_at becomes the later of the two
  int64_t sequence = 0;    // last_order_event_sequence becomes the larger (0: unchanged)
  // The status the event moves the ticket to (nullopt: unchanged), and the
  // deadlines met on the way (met_at becomes `at` where not met yet).
  std::optional<common::v1::TicketStatus> status;
  std::vector<v1::DeadlineKind> deadlines_met;
};

// A deadline from one of sla's clock events (topic sla.clock).
struct ClockDeadline {
  v1::DeadlineKind kind = v1::DEADLINE_KIND_UNSPECIFIED;
  absl::Time due_at;
  int64_t sequence = 0;  // the event envelope's
  // Stored as met_at when the ticket has no deadline of the kind yet (its
  // status is past the stage already); nullopt: not met.
  std::optional<absl::Time> met_at_if_new;
};

// A repair linked to an outage notice, as a restore needs it.
struct OutageLinkedTicket {
  std::string ticket_id;
  std::string ticket_number;
  common::v1::Address address;
};

struct TicketFilter {
  std::vector<common::v1::TicketStatus> statuses;
  std::vector<common::v1::TicketType> types;
  std::string branch_id;
  std::string county;
  std::string township;
  std::optional<absl::Time> created_from;  // inclusive
  std::optional<absl::Time> created_to;    // exclusive
  bool overdue_only = false;
};

// Holds a transaction-level advisory lock per name (hashed to 64 bits), in
// the order given, until the transaction ends.
absl::Status LockNames(pqxx::work& tx, const std::vector<std::string>& names);

// Whether a ticket was created with this (scoped) idempotency key.
absl::StatusOr<bool> KeyUsed(pqxx::transaction_base& tx, const std::string& key);

absl::StatusOr<std::optional<StoredTicket>> FindByKey(pqxx::transaction_base& tx,
                                                      const std::string& key, absl::Time now);
// `for_update` locks the ticket's row until the transaction ends. The
// deadlines (and `overdue`) are read in the same statement: after a wait for
// the lock they are as of the statement's start, while the row is the one
// committed meanwhile; read again (without the lock) for deadlines another
// transaction may just have changed.
absl::StatusOr<std::optional<StoredTicket>> FindById(pqxx::work& tx, const std::string& ticket_id,
                                                     absl::Time now, bool for_update = false);
absl::StatusOr<std::optional<StoredTicket>> FindByNumber(pqxx::work& tx,
                                                         const std::string& ticket_number,
                                                         absl::Time now);

// Open repairs of the place (same place key or transformer area) created at
// or after `since`, oldest first.
absl::StatusOr<std::vector<OpenRepair>> FindOpenRepairs(pqxx::work& tx, const RepairPlace& place,
                                                        absl::Time since);

// A new readable ticket number of `day` (ticket_number.h), from the
// intake.ticket_numbers sequence: it holds no lock, so concurrent creates do
// not wait for each other, and a rolled-back create leaves a gap.
absl::StatusOr<std::string> NextTicketNumber(pqxx::work& tx, absl::string_view prefix,
                                             absl::CivilDay day);

// The ticket and its deadlines, in one statement. ALREADY_EXISTS if the id,
// number or idempotency key is taken. The deadlines are the ones sla quoted;
// ticket.deadlines_pending is stored.
absl::Status InsertTicket(pqxx::work& tx, const NewTicket& ticket,
                          const std::vector<TicketDeadline>& deadlines);

// The ticket as FindById reads it back right after InsertTicket(n,
// deadlines) (a create answers with this instead of reading it again).
StoredTicket AsInserted(const NewTicket& n, const std::vector<TicketDeadline>& deadlines);

absl::StatusOr<int64_t> AddHistory(pqxx::work& tx, const HistoryRecord& record);
// Every record in one statement, in the order given (their entry ids follow it).
absl::Status AddHistories(pqxx::work& tx, const std::vector<HistoryRecord>& records);

// Sets the status and marks the deadlines DeadlinesMetAt(status) met at `at`.
absl::Status SetStatus(pqxx::work& tx, const std::string& ticket_id,
                       common::v1::TicketStatus status, absl::Time at);
// SetStatus of many tickets at once.
absl::Status SetStatuses(pqxx::work& tx, const std::vector<std::string>& ticket_ids,
                         common::v1::TicketStatus status, absl::Time at);
// The tickets linked to the outage notice `notice_id` (status
// linked_to_outage), their rows locked until the transaction ends, taken in
// ticket id order (so two transactions lock them in the same order). A
// ticket whose status changed while this waited for its lock is left out.
absl::StatusOr<std::vector<OutageLinkedTicket>> LockLinkedToOutage(pqxx::work& tx,
                                                                   const std::string& notice_id);
// Sets the ticket's deadline of deadline.kind to sla's due time, unless an
// sla.clock event with a sequence at or above deadline.sequence was applied
// to it before (events arrive late and out of order; met_at is kept as it
// is). When applied, the ticket's deadlines are no longer pending and its
// updated_at is `at`. Returns whether it was applied.
absl::StatusOr<bool> ApplyClockDeadline(pqxx::work& tx, const std::string& ticket_id,
                                        const ClockDeadline& deadline, absl::Time at);
absl::Status SetUrgings(pqxx::work& tx, const std::string& ticket_id, int urgings, int urgency,
                        absl::Time at);
absl::Status SetCancelReason(pqxx::work& tx, const std::string& ticket_id,
                             const std::string& reason, absl::Time at);
absl::Status SetOrderFacts(pqxx::work& tx, const std::string& ticket_id, const OrderFacts& facts,
                           absl::Time at);
// last_callback_event_sequence becomes the larger of it and `sequence` (0:
// unchanged, nothing written).
absl::Status SetCallbackSequence(pqxx::work& tx, const std::string& ticket_id, int64_t sequence,
                                 absl::Time at);

// Up to `limit` tickets matching `filter`, newest first, after `after`.
absl::StatusOr<std::vector<StoredTicket>> ListTickets(pqxx::work& tx, const TicketFilter& filter,
                                                      const std::optional<PageCursor>& after,
                                                      int limit, absl::Time now);

// Up to `limit` entries of the ticket with an entry_id above `after`, oldest
// first.
absl::StatusOr<std::vector<v1::HistoryEntry>> History(pqxx::work& tx, const std::string& ticket_id,
                                                      int64_t after, int limit);

}  // namespace hotline::intake::store
