#include "services/intake/tickets/desk/ticket_desk.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "hotline/dispatch/v1/events.pb.h"
#include "hotline/outage/v1/events.pb.h"
#include "hotline/sla/v1/events.pb.h"
#include "hotline/survey/v1/events.pb.h"
#include "libs/events/publisher.h"
#include "libs/log/log.h"
#include "libs/pg/transaction.h"
#include "libs/pg/without_transaction.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "libs/rpc/request_digest.h"
#include "libs/status/status.h"
#include "services/intake/tickets/domain/callback_event_rules.h"
#include "services/intake/tickets/domain/duplicate_repair.h"
#include "services/intake/tickets/domain/order_event_rules.h"
#include "services/intake/tickets/domain/outage_restore.h"
#include "services/intake/tickets/domain/reporter_masking.h"
#include "services/intake/tickets/domain/ticket_deadlines.h"
#include "services/intake/tickets/domain/ticket_events.h"
#include "services/intake/tickets/domain/ticket_number.h"
#include "services/intake/tickets/domain/ticket_roles.h"
#include "services/intake/tickets/domain/ticket_state_machine.h"
#include "services/intake/tickets/domain/ticket_validation.h"

namespace hotline::intake {
namespace {

using common::v1::TicketStatus;
using common::v1::TicketType;

constexpr absl::string_view kComponent = "intake.tickets";
constexpr char kSchema[] = "intake";
constexpr char kDispatch[] = "dispatch";
constexpr char kSla[] = "sla";
constexpr char kOutage[] = "outage";
constexpr char kSurvey[] = "survey";

// The ticket an event is about (its payload's ticket id, else the envelope's
// key), read with its row lock; nullopt (logged) when the event names no
// ticket or one intake does not know: such events are acknowledged and
// dropped.
absl::StatusOr<std::optional<store::StoredTicket>> EventTicket(pqxx::work& tx,
                                                               const common::v1::Event& event,
                                                               const std::string& payload_id,
                                                               absl::Time now) {
  const std::string ticket_id = payload_id.empty() ? event.key() : payload_id;
  if (!IsUuid(ticket_id)) {
    log::Error(kComponent, "event ", event.event_id(), " (", event.topic(),
               "): no ticket id; dropped");
    return std::optional<store::StoredTicket>();
  }
  HOTLINE_ASSIGN_OR_RETURN(auto stored, store::FindById(tx, ticket_id, now, true));
  if (!stored.has_value()) {
    log::Warn(kComponent, "event ", event.event_id(), " (", event.topic(), ") for unknown ticket ",
              ticket_id, "; dropped");
  }
  return stored;
}

// Idempotency keys belong to the caller who sent them (as payment APIs
// scope them per account): the stored key is "<principal> <key>". Principal
// names hold no space, so two callers' keys never meet.
std::string ScopedKey(const Actor& actor, absl::string_view key) {
  return absl::StrCat(actor.name, " ", key);
}

std::string KeyLock(absl::string_view scoped_key) {
  return absl::StrCat("ticket-key:", scoped_key);
}

absl::Status TicketNotFound(absl::string_view ticket) {
  return absl::NotFoundError(absl::StrCat("ticket ", ticket, " not found"));
}

bool IsEmpty(const common::v1::CustomerContact& customer) {
  return customer.name().empty() && customer.phone().empty() && customer.account_number().empty();
}

store::NewTicket MakeDraft(const Actor& actor, const v1::CreateTicketRequest& request,
                           const std::string& digest, absl::Time now) {
  store::NewTicket draft;
  v1::Ticket& t = draft.ticket;
  t.set_ticket_id(events::NewUuid());
  t.set_type(request.type());
  t.set_channel(request.channel());
  *t.mutable_customer() = request.customer();
  *t.mutable_address() = request.address();
  t.set_description(request.description());
  *t.mutable_details() = request.details();
  *t.mutable_created_at() = ToProtoTime(now);
  t.set_created_by(actor.name);
  draft.idempotency_key = ScopedKey(actor, request.idempotency_key());
  draft.request_digest = digest;
  if (request.type() == TicketType::TICKET_TYPE_REPAIR) {
    draft.place.place_key = PlaceKey(request.address());
    draft.place.transformer_area = TransformerAreaKey(request.address());
  }
  return draft;
}

store::HistoryRecord Entry(const std::string& ticket_id, const Actor& actor, absl::Time at,
                           v1::HistoryAction action, std::string detail = "") {
  store::HistoryRecord record;
  record.ticket_id = ticket_id;
  record.at = at;
  record.actor = actor.name;
  record.actor_role = std::string(auth::RoleName(actor.role));
  record.action = action;
  record.detail = std::move(detail);
  return record;
}

// `zone`: the province's, in which people read the restore time.
std::string DescribeOutageCheck(const v1::OutageLink& outage, absl::TimeZone zone) {
  switch (outage.check()) {
    case v1::OUTAGE_CHECK_CLEAR:
      return "clear: no active outage notice covers the address";
    case v1::OUTAGE_CHECK_AFFECTED:
      return absl::StrCat(
          "affected: covered by outage notice ", outage.notice_id(),
          outage.has_restore_at()
              ? absl::StrCat(
                    ", restore planned at ",
                    absl::FormatTime("%Y-%m-%d %H:%M", FromProtoTime(outage.restore_at()), zone),
                    " (", zone.name(), ")")
              : "");
    case v1::OUTAGE_CHECK_SKIPPED:
      return absl::StrCat("skipped: ", outage.skipped_reason());
    default:
      return "";
  }
}

std::string DescribeOrderEvent(absl::string_view topic, const dispatch::v1::OrderEvent& order) {
  std::string text = absl::StrCat(
      topic, ": order ", order.order_number().empty() ? order.order_id() : order.order_number());
  if (!order.branch_id().empty()) {
    absl::StrAppend(&text, ", branch ", order.branch_id());
  }
  if (order.with_dispatcher()) {
    absl::StrAppend(&text, ", with the dispatchers");
  }
  if (!order.progress_step().empty()) {
    absl::StrAppend(&text, ", step ", order.progress_step());
  }
  if (!order.return_reason().empty()) {
    absl::StrAppend(&text, ", returned (", order.returns(), "): ", order.return_reason());
  }
  if (order.has_estimated_restore_at()) {
    absl::StrAppend(&text, ", estimated restore ",
                    absl::FormatTime(FromProtoTime(order.estimated_restore_at())));
  }
  if (!order.advice().empty()) {
    absl::StrAppend(&text, ", advice: ", order.advice());
  }
  if (!order.note().empty()) {
    absl::StrAppend(&text, ", note: ", order.note());
  }
  return text;
}

const v1::InquiryDetails& Inquiry(const v1::TicketDetails& details) {
  return details.has_consultation() ? details.consultation() : details.query();
}

// Whether a create of `request` may end routed with deadlines to show, so
// that sla is asked before the transaction: not for an inquiry answered at
// once or a repair inside an active outage. (A repair merged as an urging
// turns out inside the transaction; its quote is then not used.)
bool MayBeRoutedWithDeadlines(const v1::CreateTicketRequest& request,
                              const v1::OutageLink& outage) {
  if (!TypeHasDeadlines(request.type())) {
    return false;
  }
  switch (request.type()) {
    case TicketType::TICKET_TYPE_REPAIR:
      return outage.check() != v1::OUTAGE_CHECK_AFFECTED;
    case TicketType::TICKET_TYPE_CONSULTATION:
    case TicketType::TICKET_TYPE_QUERY:
      return Inquiry(request.details()).resolution() != v1::INQUIRY_RESOLUTION_ANSWERED_AT_ONCE;
    default:
      return true;
  }
}

// The service whose event is applied: the envelope's source, else `name`.
Actor ServiceActor(const common::v1::Event& event, absl::string_view name) {
  Actor actor;
  actor.name = event.source().empty() ? std::string(name) : event.source();
  actor.role = auth::Role::kService;
  return actor;
}

}  // namespace

TicketDesk::TicketDesk(pg::Pool& pool, const TicketSettings& settings,
                       AddressOutageCheck& outage_check, TicketDeadlineSource& deadlines,
                       const clock::Clock& clock, TicketDestinations destinations)
    : pool_(pool),
      settings_(settings),
      number_zone_(settings.NumberZone()),
      outage_check_(outage_check),
      deadlines_(deadlines),
      clock_(clock),
      destinations_(std::move(destinations)) {}

absl::Time TicketDesk::Now() const { return TruncateToMicros(clock_.Now()); }

absl::StatusOr<CreateResult> TicketDesk::Create(const Actor& actor,
                                                const v1::CreateTicketRequest& request) {
  const absl::Time now = Now();
  const std::string digest = rpc::RequestDigest(request);
  // A retry is answered from what the first create stored (by the create
  // transaction, under the key's lock), without asking outage or sla again:
  // one statement outside any transaction looks for the key first. Only a
  // shortcut: when it fails, the create transaction still finds a retry.
  bool retried = false;
  absl::Status looked =
      pg::WithoutTransaction(pool_, [&](pqxx::transaction_base& session) -> absl::Status {
        HOTLINE_ASSIGN_OR_RETURN(
            retried, store::KeyUsed(session, ScopedKey(actor, request.idempotency_key())));
        return absl::OkStatus();
      });
  if (!looked.ok()) {
    retried = false;
    log::Debug(kComponent, "looking for a create's key first: ", looked.ToString());
  }
  v1::OutageLink outage;
  if (request.type() == TicketType::TICKET_TYPE_REPAIR && !retried) {
    outage = outage_check_.Check(request.address(), now);
  }
  DeadlineQuote quote;
  if (!retried && MayBeRoutedWithDeadlines(request, outage)) {
    quote = deadlines_.Quote(request.type(), request.address().area_class(), request.channel(),
                             request.address().province(), now);
    if (quote.pending) {
      log::Warn(kComponent, "a ", EnumText(request.type()),
                " ticket is taken with its deadlines pending: ", quote.pending_reason);
    }
  }
  return pg::WithTransactionResult<CreateResult>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<CreateResult> {
        return CreateIn(tx, actor, request, digest, retried, outage, quote, now);
      });
}

absl::StatusOr<CreateResult> TicketDesk::CreateIn(pqxx::work& tx, const Actor& actor,
                                                  const v1::CreateTicketRequest& request,
                                                  const std::string& digest, bool retried,
                                                  const v1::OutageLink& outage,
                                                  const DeadlineQuote& quote, absl::Time now) {
  store::NewTicket draft = MakeDraft(actor, request, digest, now);
  // The key's lock first, then (for a repair that may be dispatched) its
  // place's, in one statement: every create takes them in this order.
  std::vector<std::string> locks = {KeyLock(ScopedKey(actor, request.idempotency_key()))};
  const bool checks_repeats = request.type() == TicketType::TICKET_TYPE_REPAIR &&
                              outage.check() != v1::OUTAGE_CHECK_AFFECTED;
  if (checks_repeats) {
    for (std::string& name : PlaceLockNames(draft.place)) {
      locks.push_back(std::move(name));
    }
  }
  HOTLINE_RETURN_IF_ERROR(store::LockNames(tx, locks));
  HOTLINE_ASSIGN_OR_RETURN(auto stored,
                           store::FindByKey(tx, ScopedKey(actor, request.idempotency_key()), now));
  if (stored.has_value()) {  // a retry (or one that raced this one and committed first)
    return Replay(tx, actor, *stored, digest, now);
  }
  if (retried) {  // found before, not now: outage and sla were not asked, so no create
    return absl::InternalError("a create's idempotency key was found, then not");
  }
  switch (request.type()) {
    case TicketType::TICKET_TYPE_URGING:
      return StoreUrging(tx, actor, draft, request.details().urging().ticket_id(),
                         v1::CREATE_OUTCOME_URGING_RECORDED, "", now);
    case TicketType::TICKET_TYPE_REPAIR: {
      *draft.ticket.mutable_outage() = outage;
      if (outage.check() == v1::OUTAGE_CHECK_AFFECTED) {
        return Store(
            tx, actor, draft, TicketStatus::TICKET_STATUS_LINKED_TO_OUTAGE,
            v1::CREATE_OUTCOME_LINKED_TO_OUTAGE,
            absl::StrCat("linked to outage notice ", outage.notice_id(), ": not dispatched"), {},
            now);
      }
      const absl::Duration window = settings_.duplicate_repair_window;
      HOTLINE_ASSIGN_OR_RETURN(std::vector<OpenRepair> open,
                               store::FindOpenRepairs(tx, draft.place, now - window));
      if (std::optional<OpenRepair> repeated = FindRepeatedRepair(draft.place, open, now, window)) {
        const v1::RepairDetails& repair = request.details().repair();
        std::string why = absl::StrCat(
            "repeat repair call (", EnumText(repair.symptom()), ", ", EnumText(repair.extent()),
            ") about the place of this open repair: merged as an urging, not dispatched again");
        return StoreUrging(tx, actor, draft, repeated->ticket_id,
                           v1::CREATE_OUTCOME_MERGED_AS_URGING, why, now);
      }
      return Store(tx, actor, draft, TicketStatus::TICKET_STATUS_ROUTED, v1::CREATE_OUTCOME_ROUTED,
                   "sent to dispatch", quote, now);
    }
    case TicketType::TICKET_TYPE_CONSULTATION:
    case TicketType::TICKET_TYPE_QUERY:
      if (Inquiry(request.details()).resolution() == v1::INQUIRY_RESOLUTION_ANSWERED_AT_ONCE) {
        return Store(tx, actor, draft, TicketStatus::TICKET_STATUS_ANSWERED,
                     v1::CREATE_OUTCOME_ANSWERED, "answered at once", {}, now);
      }
      return Store(tx, actor, draft, TicketStatus::TICKET_STATUS_ROUTED, v1::CREATE_OUTCOME_ROUTED,
                   "sent to dispatch for a department", quote, now);
    default:
      return Store(tx, actor, draft, TicketStatus::TICKET_STATUS_ROUTED, v1::CREATE_OUTCOME_ROUTED,
                   "sent to dispatch", quote, now);
  }
}

absl::StatusOr<CreateResult> TicketDesk::Replay(pqxx::work& tx, const Actor& actor,
                                                const store::StoredTicket& stored,
                                                const std::string& digest, absl::Time now) {
  if (stored.request_digest != digest) {
    return absl::InvalidArgumentError(
        absl::StrCat("idempotency_key: already used for a different request (ticket ",
                     stored.ticket.ticket_number(), ")"));
  }
  CreateResult result;
  result.outcome = stored.outcome;
  result.replayed = true;
  HOTLINE_ASSIGN_OR_RETURN(result.ticket,
                           Present(tx, actor, stored.ticket, "a retried create", now));
  if (!stored.ticket.linked_ticket_id().empty()) {
    HOTLINE_ASSIGN_OR_RETURN(auto linked,
                             store::FindById(tx, stored.ticket.linked_ticket_id(), now));
    if (linked.has_value()) {
      HOTLINE_ASSIGN_OR_RETURN(result.linked,
                               Present(tx, actor, linked->ticket, "a retried create", now));
    }
  }
  return result;
}

absl::StatusOr<CreateResult> TicketDesk::Store(pqxx::work& tx, const Actor& actor,
                                               store::NewTicket& draft, TicketStatus status,
                                               v1::CreateOutcome outcome,
                                               const std::string& status_detail,
                                               const DeadlineQuote& quote, absl::Time now) {
  TicketStateMachine machine(TicketStatus::TICKET_STATUS_CREATED);
  HOTLINE_RETURN_IF_ERROR(machine.MoveTo(status));
  v1::Ticket& t = draft.ticket;
  std::vector<TicketDeadline> deadlines;
  std::string moved_detail = status_detail;
  if (status == TicketStatus::TICKET_STATUS_ROUTED && TypeHasDeadlines(t.type())) {
    if (quote.pending) {
      t.set_deadlines_pending(true);
      absl::StrAppend(&moved_detail, "; deadlines pending: ", quote.pending_reason);
    } else {
      deadlines = quote.deadlines;
    }
  }
  const absl::CivilDay day = NumberingDay(now, number_zone_);
  HOTLINE_ASSIGN_OR_RETURN(std::string number,
                           store::NextTicketNumber(tx, settings_.number_prefix, day));
  t.set_ticket_number(std::move(number));
  t.set_status(status);
  draft.outcome = outcome;
  HOTLINE_RETURN_IF_ERROR(store::InsertTicket(tx, draft, deadlines));

  std::vector<store::HistoryRecord> history;
  history.reserve(3);  // the references below stay valid
  store::HistoryRecord& created =
      history.emplace_back(Entry(t.ticket_id(), actor, now, v1::HISTORY_ACTION_CREATED,
                                 absl::StrCat(EnumText(t.type()), " ticket ", t.ticket_number(),
                                              " via ", EnumText(t.channel()))));
  created.to_status = TicketStatus::TICKET_STATUS_CREATED;
  if (t.outage().check() != v1::OUTAGE_CHECK_UNSPECIFIED) {
    history.push_back(Entry(t.ticket_id(), actor, now, v1::HISTORY_ACTION_OUTAGE_CHECKED,
                            DescribeOutageCheck(t.outage(), settings_.NumberZone())));
  }
  store::HistoryRecord& moved = history.emplace_back(
      Entry(t.ticket_id(), actor, now, v1::HISTORY_ACTION_STATUS_CHANGED, moved_detail));
  moved.from_status = TicketStatus::TICKET_STATUS_CREATED;
  moved.to_status = status;
  HOTLINE_RETURN_IF_ERROR(store::AddHistories(tx, history));

  const store::StoredTicket stored = store::AsInserted(draft, deadlines);
  if (status == TicketStatus::TICKET_STATUS_ROUTED) {
    HOTLINE_RETURN_IF_ERROR(events::Publish(tx, kSchema, destinations_.Created(t.type()),
                                            kTicketCreatedTopic, t.ticket_id(),
                                            MakeTicketCreated(stored.ticket)));
  }
  CreateResult result;
  result.outcome = outcome;
  HOTLINE_ASSIGN_OR_RETURN(result.ticket, Present(tx, actor, stored.ticket, "create", now));
  return result;
}

absl::StatusOr<CreateResult> TicketDesk::StoreUrging(pqxx::work& tx, const Actor& actor,
                                                     store::NewTicket& draft,
                                                     const std::string& target_id,
                                                     v1::CreateOutcome outcome,
                                                     const std::string& why, absl::Time now) {
  HOTLINE_ASSIGN_OR_RETURN(auto target, store::FindById(tx, target_id, now, /*for_update=*/true));
  if (!target.has_value()) {
    return TicketNotFound(target_id);
  }
  // An urging of an urging urges the ticket it links to.
  if (target->ticket.type() == TicketType::TICKET_TYPE_URGING &&
      !target->ticket.linked_ticket_id().empty()) {
    const std::string linked = target->ticket.linked_ticket_id();
    HOTLINE_ASSIGN_OR_RETURN(target, store::FindById(tx, linked, now, /*for_update=*/true));
    if (!target.has_value()) {
      return TicketNotFound(linked);
    }
  }
  const v1::Ticket& urged = target->ticket;
  if (!TicketStateMachine::IsOpen(urged.status())) {
    return absl::FailedPreconditionError(absl::StrCat("ticket ", urged.ticket_number(), " is ",
                                                      StatusName(urged.status()),
                                                      "; only an open ticket can be urged"));
  }
  const int urgings = urged.urgings() + 1;
  const int urgency =
      std::max(urged.urgency(), std::min(urged.urgency() + 1, settings_.max_urgency));
  HOTLINE_RETURN_IF_ERROR(store::SetUrgings(tx, urged.ticket_id(), urgings, urgency, now));

  v1::Ticket& t = draft.ticket;
  t.set_type(TicketType::TICKET_TYPE_URGING);
  t.mutable_details()->mutable_urging()->set_ticket_id(urged.ticket_id());
  t.set_linked_ticket_id(urged.ticket_id());
  t.set_linked_ticket_number(urged.ticket_number());
  if (IsEmpty(t.customer())) {
    *t.mutable_customer() = urged.customer();
  }
  if (t.address().ByteSizeLong() == 0) {
    *t.mutable_address() = urged.address();
  }
  draft.place = RepairPlace();
  HOTLINE_ASSIGN_OR_RETURN(
      CreateResult result,
      Store(tx, actor, draft, TicketStatus::TICKET_STATUS_ANSWERED, outcome,
            absl::StrCat("urging of ", urged.ticket_number(), ": linked, not dispatched"), {},
            now));

  std::string detail = absl::StrCat("urged by ", result.ticket.ticket_number(), " (urging ",
                                    urgings, ", urgency ", urgency, ")");
  if (!why.empty()) {
    absl::StrAppend(&detail, "; ", why);
  }
  HOTLINE_RETURN_IF_ERROR(
      store::AddHistory(tx, Entry(urged.ticket_id(), actor, now, v1::HISTORY_ACTION_URGED, detail))
          .status());
  HOTLINE_ASSIGN_OR_RETURN(auto after, store::FindById(tx, urged.ticket_id(), now));
  if (!after.has_value()) {
    return TicketNotFound(urged.ticket_id());
  }
  const std::vector<std::string> urged_to = destinations_.Urged(
      after->ticket.type(), TicketStateMachine::IsWithDispatch(after->ticket.status()));
  if (!urged_to.empty()) {
    HOTLINE_RETURN_IF_ERROR(events::Publish(tx, kSchema, urged_to, kTicketUrgedTopic,
                                            urged.ticket_id(),
                                            MakeTicketUrged(after->ticket, now)));
  }
  HOTLINE_ASSIGN_OR_RETURN(result.linked, Present(tx, actor, after->ticket, "urge", now));
  return result;
}

absl::StatusOr<UrgeResult> TicketDesk::Urge(const Actor& actor,
                                            const v1::UrgeTicketRequest& request) {
  const absl::Time now = Now();
  const std::string digest = rpc::RequestDigest(request);
  absl::StatusOr<CreateResult> created = pg::WithTransactionResult<CreateResult>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<CreateResult> {
        HOTLINE_RETURN_IF_ERROR(
            store::LockNames(tx, {KeyLock(ScopedKey(actor, request.idempotency_key()))}));
        HOTLINE_ASSIGN_OR_RETURN(
            auto stored, store::FindByKey(tx, ScopedKey(actor, request.idempotency_key()), now));
        if (stored.has_value()) {
          return Replay(tx, actor, *stored, digest, now);
        }
        v1::CreateTicketRequest as_create;
        as_create.set_idempotency_key(request.idempotency_key());
        as_create.set_type(TicketType::TICKET_TYPE_URGING);
        as_create.set_channel(request.channel());
        *as_create.mutable_customer() = request.customer();
        as_create.set_description(request.note());
        as_create.mutable_details()->mutable_urging()->set_ticket_id(request.ticket_id());
        store::NewTicket draft = MakeDraft(actor, as_create, digest, now);
        return StoreUrging(tx, actor, draft, request.ticket_id(),
                           v1::CREATE_OUTCOME_URGING_RECORDED, "", now);
      });
  if (!created.ok()) {
    return created.status();
  }
  UrgeResult result;
  result.urging = std::move(created->ticket);
  result.replayed = created->replayed;
  if (created->linked.has_value()) {
    result.urged = std::move(*created->linked);
  }
  return result;
}

absl::StatusOr<v1::Ticket> TicketDesk::Cancel(const Actor& actor, const std::string& ticket_id,
                                              const std::string& reason) {
  const absl::Time now = Now();
  return pg::WithTransactionResult<v1::Ticket>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::Ticket> {
        HOTLINE_ASSIGN_OR_RETURN(auto stored, store::FindById(tx, ticket_id, now, true));
        if (!stored.has_value()) {
          return TicketNotFound(ticket_id);
        }
        const TicketStatus from = stored->ticket.status();
        HOTLINE_RETURN_IF_ERROR(
            TicketStateMachine::CheckMove(from, TicketStatus::TICKET_STATUS_CANCELLED));
        HOTLINE_RETURN_IF_ERROR(
            store::SetStatus(tx, ticket_id, TicketStatus::TICKET_STATUS_CANCELLED, now));
        HOTLINE_RETURN_IF_ERROR(store::SetCancelReason(tx, ticket_id, reason, now));
        store::HistoryRecord moved = Entry(ticket_id, actor, now, v1::HISTORY_ACTION_STATUS_CHANGED,
                                           absl::StrCat("cancelled: ", reason));
        moved.from_status = from;
        moved.to_status = TicketStatus::TICKET_STATUS_CANCELLED;
        HOTLINE_RETURN_IF_ERROR(store::AddHistory(tx, moved).status());
        HOTLINE_ASSIGN_OR_RETURN(auto after, store::FindById(tx, ticket_id, now));
        if (!after.has_value()) {
          return TicketNotFound(ticket_id);
        }
        if (TicketStateMachine::IsWithDispatch(from)) {
          HOTLINE_RETURN_IF_ERROR(events::Publish(tx, kSchema, destinations_.routed,
                                                  kTicketCancelledTopic, ticket_id,
                                                  MakeTicketCancelled(after->ticket, now)));
        }
        return Present(tx, actor, after->ticket, "cancel", now);
      });
}

absl::StatusOr<v1::HistoryEntry> TicketDesk::AddNote(const Actor& actor,
                                                     const std::string& ticket_id,
                                                     const std::string& text) {
  const absl::Time now = Now();
  return pg::WithTransactionResult<v1::HistoryEntry>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::HistoryEntry> {
        HOTLINE_ASSIGN_OR_RETURN(auto stored, store::FindById(tx, ticket_id, now));
        if (!stored.has_value()) {
          return TicketNotFound(ticket_id);
        }
        store::HistoryRecord record =
            Entry(ticket_id, actor, now, v1::HISTORY_ACTION_NOTE_ADDED, text);
        HOTLINE_ASSIGN_OR_RETURN(int64_t id, store::AddHistory(tx, record));
        v1::HistoryEntry entry;
        entry.set_entry_id(id);
        *entry.mutable_at() = ToProtoTime(now);
        entry.set_actor(record.actor);
        entry.set_actor_role(record.actor_role);
        entry.set_action(record.action);
        entry.set_detail(text);
        return entry;
      });
}

absl::StatusOr<v1::Ticket> TicketDesk::Get(const Actor& actor,
                                           const v1::GetTicketRequest& request) {
  const absl::Time now = Now();
  return pg::WithTransactionResult<v1::Ticket>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<v1::Ticket> {
        std::optional<store::StoredTicket> stored;
        if (!request.ticket_id().empty()) {
          HOTLINE_ASSIGN_OR_RETURN(stored, store::FindById(tx, request.ticket_id(), now));
        } else {
          HOTLINE_ASSIGN_OR_RETURN(stored, store::FindByNumber(tx, request.ticket_number(), now));
        }
        if (!stored.has_value()) {
          return TicketNotFound(request.ticket_id().empty() ? request.ticket_number()
                                                            : request.ticket_id());
        }
        return Present(tx, actor, std::move(stored->ticket), "GetTicket", now);
      });
}

absl::StatusOr<TicketPage> TicketDesk::List(const Actor& actor, const store::TicketFilter& filter,
                                            const std::optional<PageCursor>& after, int page_size) {
  const absl::Time now = Now();
  const int size = page_size <= 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  return pg::WithTransactionResult<TicketPage>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<TicketPage> {
        HOTLINE_ASSIGN_OR_RETURN(std::vector<store::StoredTicket> rows,
                                 store::ListTickets(tx, filter, after, size + 1, now));
        TicketPage page;
        const bool more = static_cast<int>(rows.size()) > size;
        if (more) {
          rows.resize(size);
        }
        for (store::StoredTicket& row : rows) {
          HOTLINE_ASSIGN_OR_RETURN(v1::Ticket shown,
                                   Present(tx, actor, std::move(row.ticket), "ListTickets", now));
          page.tickets.push_back(std::move(shown));
        }
        if (more && !page.tickets.empty()) {
          PageCursor cursor;
          cursor.created_at = FromProtoTime(page.tickets.back().created_at());
          cursor.ticket_id = page.tickets.back().ticket_id();
          page.next_cursor = EncodeCursor(cursor);
        }
        return page;
      });
}

absl::StatusOr<HistoryPage> TicketDesk::History(const std::string& ticket_id,
                                                const std::string& cursor, int page_size) {
  const absl::Time now = Now();
  HOTLINE_ASSIGN_OR_RETURN(int64_t after, DecodeHistoryCursor(cursor));
  const int size = page_size <= 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  return pg::WithTransactionResult<HistoryPage>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<HistoryPage> {
        HOTLINE_ASSIGN_OR_RETURN(auto stored, store::FindById(tx, ticket_id, now));
        if (!stored.has_value()) {
          return TicketNotFound(ticket_id);
        }
        HistoryPage page;
        HOTLINE_ASSIGN_OR_RETURN(page.entries, store::History(tx, ticket_id, after, size + 1));
        if (static_cast<int>(page.entries.size()) > size) {
          page.entries.resize(size);
          page.next_cursor = EncodeHistoryCursor(page.entries.back().entry_id());
        }
        return page;
      });
}

absl::StatusOr<v1::Ticket> TicketDesk::Present(pqxx::work& tx, const Actor& actor,
                                               v1::Ticket ticket, absl::string_view how,
                                               absl::Time now) {
  if (!HasReporterIdentity(ticket)) {
    return ticket;
  }
  if (!SeesReporterIdentity(actor.role)) {
    MaskReporter(ticket);
    return ticket;
  }
  HOTLINE_RETURN_IF_ERROR(
      store::AddHistory(
          tx, Entry(ticket.ticket_id(), actor, now, v1::HISTORY_ACTION_REPORTER_IDENTITY_READ,
                    absl::StrCat("reporter identity shown unmasked (", how, ")")))
          .status());
  return ticket;
}

absl::Status TicketDesk::ApplyOrderEvent(pqxx::work& tx, const common::v1::Event& event) {
  dispatch::v1::OrderEvent order;
  if (!event.payload().UnpackTo(&order)) {
    log::Error(kComponent, "event ", event.event_id(), " (", event.topic(),
               "): payload is not a hotline.dispatch.v1.OrderEvent; dropped");
    return absl::OkStatus();
  }
  const absl::Time now = Now();
  HOTLINE_ASSIGN_OR_RETURN(auto stored, EventTicket(tx, event, order.ticket_id(), now));
  if (!stored.has_value()) {
    return absl::OkStatus();
  }
  const std::string ticket_id = stored->ticket.ticket_id();
  absl::Time occurred = now;
  if (order.has_occurred_at()) {
    occurred = TruncateToMicros(FromProtoTime(order.occurred_at()));
  } else if (event.has_occurred_at()) {
    occurred = TruncateToMicros(FromProtoTime(event.occurred_at()));
  }
  const Actor actor = ServiceActor(event, kDispatch);
  const TicketStatus current = stored->ticket.status();
  OrderEventDecision decision =
      DecideOrderEvent(current, stored->last_order_event_sequence, event.topic(), event.sequence(),
                       order.with_dispatcher(), order.reopened_by_callback());
  std::string detail = DescribeOrderEvent(event.topic(), order);
  if (order.reopened_by_callback()) {
    absl::StrAppend(&detail,
                    "; sent back to the branch after the callback: ", order.reopened_reason());
  }

  if (decision.kind == OrderEventDecision::Kind::kIgnore) {
    log::Info(kComponent, "ticket ", stored->ticket.ticket_number(), ": ", event.topic(),
              " ignored: ", decision.reason);
    store::HistoryRecord ignored =
        Entry(ticket_id, actor, now, v1::HISTORY_ACTION_ORDER_EVENT_IGNORED,
              absl::StrCat(detail, "; ignored: ", decision.reason));
    ignored.from_status = current;
    return store::AddHistory(tx, ignored).status();
  }
  store::OrderFacts facts;
  facts.branch_id = order.branch_id();
  facts.order_id = order.order_id();
  facts.order_number = order.order_number();
  if (order.has_estimated_restore_at()) {
    facts.estimated_restore_at = TruncateToMicros(FromProtoTime(order.estimated_restore_at()));
  }
  facts.occurred_at = occurred;
  facts.sequence = event.sequence();
  if (decision.kind == OrderEventDecision::Kind::kRecordOnly) {
    HOTLINE_RETURN_IF_ERROR(store::SetOrderFacts(tx, ticket_id, facts, now));
    store::HistoryRecord recorded =
        Entry(ticket_id, actor, now, v1::HISTORY_ACTION_ORDER_EVENT, detail);
    recorded.from_status = current;
    recorded.to_status = current;
    return store::AddHistory(tx, recorded).status();
  }
  // The whole path in one update of the ticket (each update of a row writes a
  // new version of it), with a history entry for each step.
  TicketStateMachine machine(current);
  std::vector<store::HistoryRecord> moves;
  for (TicketStatus next : decision.path) {
    const TicketStatus from = machine.status();
    HOTLINE_RETURN_IF_ERROR(machine.MoveTo(next));
    for (v1::DeadlineKind kind : DeadlinesMetAt(next)) {
      if (std::find(facts.deadlines_met.begin(), facts.deadlines_met.end(), kind) ==
          facts.deadlines_met.end()) {
        facts.deadlines_met.push_back(kind);
      }
    }
    store::HistoryRecord moved =
        Entry(ticket_id, actor, now, v1::HISTORY_ACTION_STATUS_CHANGED, detail);
    moved.from_status = from;
    moved.to_status = next;
    moves.push_back(std::move(moved));
  }
  if (!moves.empty()) {
    facts.status = machine.status();
  }
  HOTLINE_RETURN_IF_ERROR(store::SetOrderFacts(tx, ticket_id, facts, now));
  HOTLINE_RETURN_IF_ERROR(store::AddHistories(tx, moves));
  if (machine.status() == TicketStatus::TICKET_STATUS_RESOLVED) {
    Resolution resolution;
    resolution.branch_id =
        order.branch_id().empty() ? stored->ticket.branch_id() : order.branch_id();
    resolution.order_id = order.order_id().empty() ? stored->ticket.order_id() : order.order_id();
    resolution.resolved_at = occurred;
    resolution.text = order.note();
    return PublishResolved(tx, stored->ticket, resolution);
  }
  return absl::OkStatus();
}

absl::Status TicketDesk::PublishResolved(pqxx::work& tx, const v1::Ticket& ticket,
                                         const Resolution& resolution) {
  const std::vector<std::string> to = destinations_.Resolved(ticket.type());
  if (to.empty()) {
    return absl::OkStatus();
  }
  return events::Publish(tx, kSchema, to, kTicketResolvedTopic, ticket.ticket_id(),
                         MakeTicketResolved(ticket, resolution));
}

absl::Status TicketDesk::ApplyClockEvent(pqxx::work& tx, const common::v1::Event& event) {
  sla::v1::ClockChanged changed;
  if (!event.payload().UnpackTo(&changed)) {
    log::Error(kComponent, "event ", event.event_id(), " (", event.topic(),
               "): payload is not a hotline.sla.v1.ClockChanged; dropped");
    return absl::OkStatus();
  }
  const sla::v1::Clock& clock = changed.clock();
  std::optional<TicketDeadline> deadline = DeadlineOfClock(clock);
  if (!deadline.has_value()) {
    return absl::OkStatus();  // a unit's clock, or a stage intake does not show
  }
  const absl::Time now = Now();
  HOTLINE_ASSIGN_OR_RETURN(auto stored, EventTicket(tx, event, clock.ticket_id(), now));
  if (!stored.has_value()) {
    return absl::OkStatus();
  }
  const std::string ticket_id = stored->ticket.ticket_id();
  store::ClockDeadline applied;
  applied.kind = deadline->kind;
  applied.due_at = deadline->due_at;
  applied.sequence = event.sequence();
  // Met when sla stopped the clock (the stage ended, e.g. the branch
  // acknowledged the order), or when the ticket's status says so already.
  const std::vector<v1::DeadlineKind> met = DeadlinesMetAt(stored->ticket.status());
  if (clock.state() == sla::v1::CLOCK_STATE_STOPPED ||
      std::find(met.begin(), met.end(), deadline->kind) != met.end()) {
    applied.met_at_if_new =
        clock.has_stopped_at() ? TruncateToMicros(FromProtoTime(clock.stopped_at())) : now;
  }
  HOTLINE_ASSIGN_OR_RETURN(bool changed_deadline,
                           store::ApplyClockDeadline(tx, ticket_id, applied, now));
  if (!changed_deadline) {
    log::Info(kComponent, "ticket ", stored->ticket.ticket_number(), ": ", event.topic(),
              " of stage ", EnumText(clock.stage()), " (sequence ", event.sequence(),
              ") ignored: a later clock event was applied");
  }
  return absl::OkStatus();
}

absl::Status TicketDesk::ApplyActionEvent(pqxx::work& tx, const common::v1::Event& event) {
  sla::v1::ActionFired fired;
  if (!event.payload().UnpackTo(&fired)) {
    log::Error(kComponent, "event ", event.event_id(), " (", event.topic(),
               "): payload is not a hotline.sla.v1.ActionFired; dropped");
    return absl::OkStatus();
  }
  const sla::v1::SlaAction& action = fired.action();
  const absl::Time now = Now();
  HOTLINE_ASSIGN_OR_RETURN(auto stored, EventTicket(tx, event, action.clock().ticket_id(), now));
  if (!stored.has_value()) {
    return absl::OkStatus();
  }
  const std::string ticket_id = stored->ticket.ticket_id();
  const absl::Time at = action.has_at() ? TruncateToMicros(FromProtoTime(action.at())) : now;
  return store::AddHistory(
             tx, Entry(ticket_id, ServiceActor(event, kSla), at, v1::HISTORY_ACTION_DEADLINE,
                       DescribeSlaAction(action, number_zone_)))
      .status();
}

absl::Status TicketDesk::ApplyRestoreEvent(pqxx::work& tx, const common::v1::Event& event) {
  outage::v1::NoticeRestored restored;
  if (!event.payload().UnpackTo(&restored)) {
    log::Error(kComponent, "event ", event.event_id(), " (", event.topic(),
               "): payload is not a hotline.outage.v1.NoticeRestored; dropped");
    return absl::OkStatus();
  }
  const std::string notice_id = restored.notice_id().empty() ? event.key() : restored.notice_id();
  if (notice_id.empty()) {
    log::Error(kComponent, "event ", event.event_id(), " (", event.topic(),
               "): no notice id; dropped");
    return absl::OkStatus();
  }
  const absl::Time now = Now();
  const absl::Time at =
      restored.has_restored_at() ? TruncateToMicros(FromProtoTime(restored.restored_at())) : now;
  HOTLINE_RETURN_IF_ERROR(TicketStateMachine::CheckMove(
      TicketStatus::TICKET_STATUS_LINKED_TO_OUTAGE, TicketStatus::TICKET_STATUS_RESOLVED));
  HOTLINE_ASSIGN_OR_RETURN(std::vector<store::OutageLinkedTicket> linked,
                           store::LockLinkedToOutage(tx, notice_id));
  const Actor actor = ServiceActor(event, kOutage);
  std::vector<std::string> resolved;
  std::vector<std::string> descriptions;
  std::vector<store::HistoryRecord> entries;
  for (const store::OutageLinkedTicket& ticket : linked) {
    std::optional<std::string> place = ResolvingPlaceOf(restored, ticket.address);
    if (!place.has_value()) {
      continue;
    }
    resolved.push_back(ticket.ticket_id);
    descriptions.push_back(DescribeRestore(notice_id, *place, at, number_zone_));
    store::HistoryRecord moved =
        Entry(ticket.ticket_id, actor, at, v1::HISTORY_ACTION_STATUS_CHANGED, descriptions.back());
    moved.from_status = TicketStatus::TICKET_STATUS_LINKED_TO_OUTAGE;
    moved.to_status = TicketStatus::TICKET_STATUS_RESOLVED;
    entries.push_back(std::move(moved));
  }
  log::Info(kComponent, "outage notice ", notice_id, " restored",
            restored.whole() ? " as a whole" : " in part", ": ", resolved.size(), " of ",
            linked.size(), " linked repair(s) resolved");
  // The row changed now; the history tells when the power came back.
  HOTLINE_RETURN_IF_ERROR(
      store::SetStatuses(tx, resolved, TicketStatus::TICKET_STATUS_RESOLVED, now));
  HOTLINE_RETURN_IF_ERROR(store::AddHistories(tx, entries));
  if (destinations_.Resolved(TicketType::TICKET_TYPE_REPAIR).empty()) {
    return absl::OkStatus();
  }
  // survey calls each customer back; no branch resolved these.
  for (size_t i = 0; i < resolved.size(); ++i) {
    HOTLINE_ASSIGN_OR_RETURN(auto ticket, store::FindById(tx, resolved[i], now));
    if (!ticket.has_value()) {
      return absl::InternalError(
          absl::StrCat("resolved ticket ", resolved[i], " is gone within its transaction"));
    }
    Resolution resolution;
    resolution.resolved_at = at;
    resolution.text = descriptions[i];
    HOTLINE_RETURN_IF_ERROR(PublishResolved(tx, ticket->ticket, resolution));
  }
  return absl::OkStatus();
}

absl::Status TicketDesk::ApplyCallbackEvent(pqxx::work& tx, const common::v1::Event& event) {
  survey::v1::CallbackEvent callback;
  if (!event.payload().UnpackTo(&callback)) {
    log::Error(kComponent, "event ", event.event_id(), " (", event.topic(),
               "): payload is not a hotline.survey.v1.CallbackEvent; dropped");
    return absl::OkStatus();
  }
  const absl::Time now = Now();
  HOTLINE_ASSIGN_OR_RETURN(auto stored, EventTicket(tx, event, callback.ticket_id(), now));
  if (!stored.has_value()) {
    return absl::OkStatus();
  }
  const std::string ticket_id = stored->ticket.ticket_id();
  const Actor actor = ServiceActor(event, kSurvey);
  const TicketStatus current = stored->ticket.status();
  const CallbackEventDecision decision = DecideCallbackEvent(
      current, stored->last_callback_event_sequence, event.topic(), event.sequence(), callback);
  const std::string detail = DescribeCallback(event.topic(), callback);

  if (decision.kind == CallbackEventDecision::Kind::kIgnore) {
    log::Info(kComponent, "ticket ", stored->ticket.ticket_number(), ": ", event.topic(),
              " ignored: ", decision.reason);
    store::HistoryRecord ignored =
        Entry(ticket_id, actor, now, v1::HISTORY_ACTION_CALLBACK_EVENT_IGNORED,
              absl::StrCat(event.topic(), ": ", detail, "; ignored: ", decision.reason));
    ignored.from_status = current;
    return store::AddHistory(tx, ignored).status();
  }
  absl::Time at = now;
  if (callback.has_occurred_at()) {
    at = TruncateToMicros(FromProtoTime(callback.occurred_at()));
  } else if (event.has_occurred_at()) {
    at = TruncateToMicros(FromProtoTime(event.occurred_at()));
  }
  HOTLINE_RETURN_IF_ERROR(store::SetCallbackSequence(tx, ticket_id, event.sequence(), now));
  TicketStateMachine machine(current);
  for (TicketStatus next : decision.path) {
    const TicketStatus from = machine.status();
    HOTLINE_RETURN_IF_ERROR(machine.MoveTo(next));
    HOTLINE_RETURN_IF_ERROR(store::SetStatus(tx, ticket_id, next, now));
    // A completion that arrives before its scheduling moves through
    // callback: that step says the callback was made.
    const bool scheduling_step =
        next == TicketStatus::TICKET_STATUS_CALLBACK && event.topic() != kCallbackScheduledTopic;
    store::HistoryRecord moved =
        Entry(ticket_id, actor, at, v1::HISTORY_ACTION_STATUS_CHANGED,
              scheduling_step ? "callback made (its scheduling had not arrived)" : detail);
    moved.from_status = from;
    moved.to_status = next;
    HOTLINE_RETURN_IF_ERROR(store::AddHistory(tx, moved).status());
  }
  if (machine.status() == TicketStatus::TICKET_STATUS_REOPENED &&
      stored->ticket.order_id().empty()) {
    // No order to send back (an outage restore resolved it): routed anew.
    HOTLINE_RETURN_IF_ERROR(machine.MoveTo(TicketStatus::TICKET_STATUS_ROUTED));
    HOTLINE_RETURN_IF_ERROR(
        store::SetStatus(tx, ticket_id, TicketStatus::TICKET_STATUS_ROUTED, now));
    store::HistoryRecord routed =
        Entry(ticket_id, actor, at, v1::HISTORY_ACTION_STATUS_CHANGED,
              "routed again: the ticket had no order to send back to a branch");
    routed.from_status = TicketStatus::TICKET_STATUS_REOPENED;
    routed.to_status = TicketStatus::TICKET_STATUS_ROUTED;
    HOTLINE_RETURN_IF_ERROR(store::AddHistory(tx, routed).status());
    // The deadlines as committed now: the locking read saw them as of its
    // statement's start, before any change it waited for.
    v1::Ticket created = stored->ticket;
    HOTLINE_ASSIGN_OR_RETURN(auto fresh, store::FindById(tx, ticket_id, now));
    if (fresh.has_value()) {
      *created.mutable_deadlines() = fresh->ticket.deadlines();
    }
    HOTLINE_RETURN_IF_ERROR(events::Publish(tx, kSchema, destinations_.Created(created.type()),
                                            kTicketCreatedTopic, ticket_id,
                                            MakeTicketCreated(created)));
  }
  // The customer's words stay out of the log (a named reporter's may tell who they are).
  log::Info(kComponent, "ticket ", stored->ticket.ticket_number(), ": ", event.topic(), " (",
            EnumText(callback.outcome()), ") -> ", StatusName(machine.status()));
  return absl::OkStatus();
}

}  // namespace hotline::intake
