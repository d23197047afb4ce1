// The ticket desk and its store against a real PostgreSQL, with the clock
// fixed by the test: deadlines quoted by sla or pending, sla's clock and
// action events, overdue tickets, the duplicate-repair window, repairs
// linked to an outage and resolved by its restore, numbering (local day,
// creates that do not wait for each other), what goes to the outbox, order
// events applied once through the EventSink, and the callback: resolved
// tickets told to survey, survey's callback events closing or reopening them.

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <map>
#include <pqxx/pqxx>

#include "absl/synchronization/mutex.h"
#include "hotline/common/v1/events.pb.h"
#include "hotline/dispatch/v1/events.pb.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/outage/v1/events.pb.h"
#include "hotline/sla/v1/events.pb.h"
#include "hotline/survey/v1/events.pb.h"
#include "intake_migrations.h"
#include "libs/auth/token_store.h"
#include "libs/events/event_sink_service.h"
#include "libs/pg/migrations.h"
#include "libs/pg/transaction.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"
#include "services/intake/tickets/api/order_event_sink.h"
#include "services/intake/tickets/api/outage_event_sink.h"
#include "services/intake/tickets/api/sla_event_sink.h"
#include "services/intake/tickets/api/survey_event_sink.h"
#include "services/intake/tickets/desk/ticket_desk.h"
#include "services/intake/tickets/domain/ticket_number.h"
#include "services/intake/tickets/domain/ticket_validation.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::intake {
namespace {

using common::v1::TicketStatus;
using common::v1::TicketType;

// Stands in for the outage service, which answers UNIMPLEMENTED until the
// outage issue lands: it answers what the test sets.
class SetOutageCheck final : public AddressOutageCheck {
 public:
  v1::OutageLink Check(const common::v1::Address&, absl::Time) override {
    absl::MutexLock lock(&mu_);
    return link_;
  }
  void Set(v1::OutageLink link) {
    absl::MutexLock lock(&mu_);
    link_ = std::move(link);
  }

 private:
  absl::Mutex mu_;
  v1::OutageLink link_ ABSL_GUARDED_BY(mu_);
};

// Stands in for the sla service: quotes the due times the test sets per
// ticket type (as offsets from the time asked about), or is "pending" with
// a reason, as when sla cannot be reached. Remembers what it was asked.
class SetDeadlineSource final : public TicketDeadlineSource {
 public:
  struct Asked {
    TicketType type = TicketType::TICKET_TYPE_UNSPECIFIED;
    common::v1::AreaClass area_class = common::v1::AREA_CLASS_UNSPECIFIED;
    common::v1::Channel channel = common::v1::CHANNEL_UNSPECIFIED;
    std::string region;
    absl::Time at;
  };

  DeadlineQuote Quote(TicketType type, common::v1::AreaClass area_class,
                      common::v1::Channel channel, const std::string& region,
                      absl::Time at) override {
    absl::MutexLock lock(&mu_);
    asked_.push_back(Asked{type, area_class, channel, region, at});
    DeadlineQuote quote;
    if (!pending_reason_.empty()) {
      quote.pending = true;
      quote.pending_reason = pending_reason_;
      return quote;
    }
    for (const auto& [kind, after] : limits_[type]) {
      quote.deadlines.push_back(TicketDeadline{kind, at + after});
    }
    return quote;
  }
  void Set(TicketType type, std::vector<std::pair<v1::DeadlineKind, absl::Duration>> limits) {
    absl::MutexLock lock(&mu_);
    limits_[type] = std::move(limits);
  }
  void SetPending(std::string reason) {
    absl::MutexLock lock(&mu_);
    pending_reason_ = std::move(reason);
  }
  std::vector<Asked> asked() {
    absl::MutexLock lock(&mu_);
    return asked_;
  }

 private:
  absl::Mutex mu_;
  std::map<TicketType, std::vector<std::pair<v1::DeadlineKind, absl::Duration>>> limits_
      ABSL_GUARDED_BY(mu_);
  std::string pending_reason_ ABSL_GUARDED_BY(mu_);
  std::vector<Asked> asked_ ABSL_GUARDED_BY(mu_);
};

// 2026-11-23 10:00 in Shanghai.
const absl::Time kStart = absl::FromUnixSeconds(1795399200);
// What the stand-in sla quotes for a complaint's result: not the 48 h of a
// plain two days, as sla's calendar may make it.
constexpr absl::Duration kComplaintResult = absl::Hours(96);

class TicketDeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg::PoolOptions options;
    uri_ = testing::NewPostgresDatabase("tickets");
    options.uri = uri_;
    pool_ = std::make_unique<pg::Pool>(options);
    ASSERT_TRUE(pg::Migrate(*pool_, "intake", intake_migrations()).ok());
    v1::OutageLink clear;
    clear.set_check(v1::OUTAGE_CHECK_CLEAR);
    outage_.Set(clear);
    sla_.Set(TicketType::TICKET_TYPE_REPAIR, {{v1::DEADLINE_KIND_SEND_ORDER, absl::Minutes(5)}});
    sla_.Set(TicketType::TICKET_TYPE_COMPLAINT, {{v1::DEADLINE_KIND_RESULT, kComplaintResult}});
    desk_ = std::make_shared<TicketDesk>(*pool_, settings_, outage_, sla_, clock_);
    agent_.name = "agent-1";
    agent_.role = auth::Role::kAgent;
    auto tokens = auth::TokenStore::Parse("");
    ASSERT_TRUE(tokens.ok());
    tokens_ = std::make_unique<auth::TokenStore>(std::move(*tokens));
    sink_ = std::make_unique<events::EventSinkService>(*pool_, "intake", *tokens_, handlers_);
    SubscribeOrderEvents(*sink_, desk_);
    SubscribeSlaEvents(*sink_, desk_);
    SubscribeOutageEvents(*sink_, desk_);
    SubscribeSurveyEvents(*sink_, desk_);
  }

  // The outage service's answer for the next repairs: inside `notice_id`.
  void LinkTo(const std::string& notice_id) {
    v1::OutageLink affected;
    affected.set_check(v1::OUTAGE_CHECK_AFFECTED);
    affected.set_notice_id(notice_id);
    *affected.mutable_restore_at() = ToProtoTime(kStart + absl::Hours(3));
    outage_.Set(affected);
  }

  // A repair linked to `notice_id`, in `county` (and `transformer_area`).
  std::string LinkedRepair(const std::string& notice_id, const std::string& street,
                           const std::string& county = "城关区",
                           const std::string& transformer_area = "") {
    LinkTo(notice_id);
    v1::CreateTicketRequest request = Repair(street);
    request.mutable_address()->set_county(county);
    request.mutable_address()->set_transformer_area(transformer_area);
    CreateResult linked = MustCreate(request);
    EXPECT_EQ(linked.ticket.status(), TicketStatus::TICKET_STATUS_LINKED_TO_OUTAGE);
    return linked.ticket.ticket_id();
  }

  // outage.restored as the outage service sends it: keyed by the notice.
  static common::v1::Event RestoreEvent(const std::string& event_id,
                                        const outage::v1::NoticeRestored& restored) {
    common::v1::Event event;
    event.set_event_id(event_id);
    event.set_topic("outage.restored");
    event.set_source("outage");
    event.set_key(restored.notice_id());
    event.mutable_payload()->PackFrom(restored);
    return event;
  }

  // The history entries that moved the ticket to resolved.
  std::vector<v1::HistoryEntry> Resolutions(const std::string& ticket_id) {
    std::vector<v1::HistoryEntry> moves;
    for (const v1::HistoryEntry& entry : HistoryOf(ticket_id)) {
      if (entry.action() == v1::HISTORY_ACTION_STATUS_CHANGED &&
          entry.to_status() == TicketStatus::TICKET_STATUS_RESOLVED) {
        moves.push_back(entry);
      }
    }
    return moves;
  }

  v1::CreateTicketRequest Repair(const std::string& street) {
    v1::CreateTicketRequest r;
    r.set_idempotency_key(absl::StrCat("k-", ++keys_));
    r.set_type(TicketType::TICKET_TYPE_REPAIR);
    r.set_channel(common::v1::CHANNEL_PHONE);
    r.mutable_customer()->set_name("王五");
    r.mutable_customer()->set_phone("13912345678");
    r.mutable_address()->set_county("城关区");
    r.mutable_address()->set_street(street);
    r.mutable_address()->set_area_class(common::v1::AREA_CLASS_RURAL);
    v1::RepairDetails& d = *r.mutable_details()->mutable_repair();
    d.set_symptom(v1::REPAIR_SYMPTOM_NO_POWER);
    d.set_extent(v1::FAULT_EXTENT_ONE_HOUSEHOLD);
    d.set_equipment_owner(common::v1::EQUIPMENT_OWNER_UTILITY);
    *d.mutable_fault_time() = ToProtoTime(clock_.Now());
    d.set_fault_category(v1::FAULT_CATEGORY_OTHER);
    d.set_fault_scope(common::v1::FAULT_SCOPE_PUBLIC_NETWORK);
    return r;
  }

  v1::CreateTicketRequest Report() {
    v1::CreateTicketRequest r;
    r.set_idempotency_key(absl::StrCat("k-", ++keys_));
    r.set_type(TicketType::TICKET_TYPE_REPORT);
    r.set_channel(common::v1::CHANNEL_WEB);
    r.set_description("抄表员收受好处费");
    v1::ReportDetails& d = *r.mutable_details()->mutable_report();
    d.set_subject(v1::REPORT_SUBJECT_MISCONDUCT);
    d.mutable_reporter()->set_name("张三丰");
    d.mutable_reporter()->set_phone("13812345678");
    return r;
  }

  v1::CreateTicketRequest Complaint() {
    v1::CreateTicketRequest r;
    r.set_idempotency_key(absl::StrCat("k-", ++keys_));
    r.set_type(TicketType::TICKET_TYPE_COMPLAINT);
    r.set_channel(common::v1::CHANNEL_PHONE);
    r.mutable_customer()->set_name("赵六");
    r.mutable_customer()->set_phone("13712345678");
    r.set_description("停电未提前通知");
    r.mutable_details()->mutable_complaint()->set_category(
        v1::COMPLAINT_CATEGORY_OUTAGE_AND_RESTORATION);
    return r;
  }

  CreateResult MustCreate(const v1::CreateTicketRequest& request) {
    absl::StatusOr<CreateResult> created = desk_->Create(agent_, request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : CreateResult();
  }

  std::vector<v1::Ticket> Overdue() {
    store::TicketFilter filter;
    filter.overdue_only = true;
    auto page = desk_->List(agent_, filter, std::nullopt, 100);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->tickets : std::vector<v1::Ticket>();
  }

  common::v1::Event OrderEvent(const std::string& event_id, const std::string& topic,
                               const std::string& ticket_id, absl::Time at) {
    dispatch::v1::OrderEvent order;
    order.set_order_id("o-1");
    order.set_order_number("PD-1");
    order.set_ticket_id(ticket_id);
    order.set_branch_id("BR-9");
    *order.mutable_occurred_at() = ToProtoTime(at);
    common::v1::Event event;
    event.set_event_id(event_id);
    event.set_topic(topic);
    event.set_source("dispatch");
    // The sender's sequence follows the order of the changes, here their times.
    event.set_sequence(absl::ToUnixMicros(at));
    event.mutable_payload()->PackFrom(order);
    return event;
  }

  // order.resolved with the branch's note of what was done.
  common::v1::Event ResolvedOrder(const std::string& event_id, const std::string& ticket_id,
                                  absl::Time at, const std::string& note) {
    common::v1::Event event = OrderEvent(event_id, "order.resolved", ticket_id, at);
    dispatch::v1::OrderEvent order;
    EXPECT_TRUE(event.payload().UnpackTo(&order));
    order.set_note(note);
    event.mutable_payload()->PackFrom(order);
    return event;
  }

  // A callback event as survey sends it: keyed by the ticket.
  static common::v1::Event Callback(const std::string& event_id, const std::string& topic,
                                    const std::string& ticket_id,
                                    survey::v1::CallbackOutcome outcome, int64_t sequence) {
    survey::v1::CallbackEvent callback;
    callback.set_task_id(absl::StrCat("task-", ticket_id.substr(0, 8)));
    callback.set_ticket_id(ticket_id);
    callback.set_outcome(outcome);
    callback.set_attempts(1);
    common::v1::Event event;
    event.set_event_id(event_id);
    event.set_topic(topic);
    event.set_source("survey");
    event.set_key(ticket_id);
    event.set_sequence(sequence);
    event.mutable_payload()->PackFrom(callback);
    return event;
  }

  // The ticket.resolved events queued for survey.
  std::vector<v1::TicketResolved> ResolvedForSurvey() {
    std::vector<v1::TicketResolved> resolved;
    for (const auto& [topic, event] : Outbox("survey")) {
      EXPECT_EQ(topic, "ticket.resolved");
      v1::TicketResolved payload;
      EXPECT_TRUE(event.payload().UnpackTo(&payload));
      EXPECT_EQ(event.key(), payload.ticket_id());
      resolved.push_back(payload);
    }
    return resolved;
  }

  // The status changes of the ticket's history, oldest first.
  std::vector<v1::HistoryEntry> Moves(const std::string& ticket_id) {
    std::vector<v1::HistoryEntry> moves;
    for (const v1::HistoryEntry& entry : HistoryOf(ticket_id)) {
      if (entry.action() == v1::HISTORY_ACTION_STATUS_CHANGED) {
        moves.push_back(entry);
      }
    }
    return moves;
  }

  int IgnoredCallbacks(const std::string& ticket_id) {
    int ignored = 0;
    for (const v1::HistoryEntry& entry : HistoryOf(ticket_id)) {
      ignored += entry.action() == v1::HISTORY_ACTION_CALLBACK_EVENT_IGNORED ? 1 : 0;
    }
    return ignored;
  }

  // An sla.clock event about the ticket's clock of `stage` for `unit`.
  static common::v1::Event ClockEvent(const std::string& event_id, const std::string& ticket_id,
                                      sla::v1::Stage stage, const std::string& unit,
                                      absl::Time due_at, int64_t sequence) {
    sla::v1::ClockChanged changed;
    sla::v1::Clock& clock = *changed.mutable_clock();
    clock.set_clock_id(absl::StrCat("clock-", ticket_id, "-", static_cast<int>(stage), "-", unit));
    clock.set_ticket_id(ticket_id);
    clock.set_stage(stage);
    clock.set_unit(unit);
    clock.set_state(sla::v1::CLOCK_STATE_RUNNING);
    *clock.mutable_due_at() = ToProtoTime(due_at);
    common::v1::Event event;
    event.set_event_id(event_id);
    event.set_topic("sla.clock");
    event.set_source("sla");
    event.set_key(ticket_id);
    event.set_sequence(sequence);
    event.mutable_payload()->PackFrom(changed);
    return event;
  }

  v1::Ticket MustGet(const std::string& ticket_id) {
    v1::GetTicketRequest get;
    get.set_ticket_id(ticket_id);
    absl::StatusOr<v1::Ticket> read = desk_->Get(agent_, get);
    EXPECT_TRUE(read.ok()) << read.status();
    return read.ok() ? *read : v1::Ticket();
  }

  std::vector<v1::HistoryEntry> HistoryOf(const std::string& ticket_id) {
    auto page = desk_->History(ticket_id, "", kMaxPageSize);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->entries : std::vector<v1::HistoryEntry>();
  }

  // The outbox rows for `destination`: (topic, payload event).
  std::vector<std::pair<std::string, common::v1::Event>> Outbox(
      const std::string& destination = "dispatch") {
    std::vector<std::pair<std::string, common::v1::Event>> rows;
    absl::Status status = pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
      for (const pqxx::row& row : tx.exec_params(
               "SELECT topic, payload FROM intake.outbox WHERE destination = $1 ORDER BY id",
               destination)) {
        common::v1::Event event;
        event.ParseFromString(pqxx::binarystring(row[1]).str());
        rows.emplace_back(row[0].as<std::string>(), event);
      }
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return rows;
  }

  std::vector<std::string> OutboxTopics(const std::string& destination) {
    std::vector<std::string> topics;
    for (const auto& [topic, event] : Outbox(destination)) {
      topics.push_back(topic);
    }
    return topics;
  }

  std::string uri_;
  std::unique_ptr<pg::Pool> pool_;
  TicketSettings settings_;
  clock::ManualClock clock_{kStart};
  SetOutageCheck outage_;
  SetDeadlineSource sla_;
  std::shared_ptr<TicketDesk> desk_;
  std::unique_ptr<auth::TokenStore> tokens_;
  rpc::HandlerPool handlers_{{1, 8}};
  std::unique_ptr<events::EventSinkService> sink_;
  Actor agent_;
  int keys_ = 0;
};

// Overdue is past sla's due time (here 96 h, not a plain 48 h), until resolved.
TEST_F(TicketDeskTest, ATicketIsOverdueOncePastSlasDueTimeUntilResolved) {
  CreateResult complaint = MustCreate(Complaint());
  const std::string id = complaint.ticket.ticket_id();
  EXPECT_FALSE(complaint.ticket.overdue());
  EXPECT_TRUE(Overdue().empty());

  clock_.Advance(kComplaintResult - absl::Hours(1));
  EXPECT_TRUE(Overdue().empty());
  clock_.Advance(absl::Hours(2));  // past sla's due time
  std::vector<v1::Ticket> overdue = Overdue();
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].ticket_id(), id);
  EXPECT_TRUE(overdue[0].overdue());

  // Resolved (through an order event): no longer overdue, the deadline met.
  ASSERT_TRUE(sink_->Apply(OrderEvent("e1", "order.resolved", id, clock_.Now())).ok());
  EXPECT_TRUE(Overdue().empty());
  v1::GetTicketRequest get;
  get.set_ticket_id(id);
  auto read = desk_->Get(agent_, get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status(), TicketStatus::TICKET_STATUS_RESOLVED);
  ASSERT_EQ(read->deadlines_size(), 1);
  EXPECT_EQ(FromProtoTime(read->deadlines(0).met_at()), clock_.Now());
}

TEST_F(TicketDeskTest, ARepeatRepairIsMergedOnlyWithinTheWindow) {
  CreateResult first = MustCreate(Repair("人民路1号"));
  EXPECT_EQ(first.outcome, v1::CREATE_OUTCOME_ROUTED);

  clock_.Advance(absl::Minutes(90));
  CreateResult repeat = MustCreate(Repair("人民路 1 号"));
  EXPECT_EQ(repeat.outcome, v1::CREATE_OUTCOME_MERGED_AS_URGING);
  EXPECT_EQ(repeat.ticket.linked_ticket_id(), first.ticket.ticket_id());
  ASSERT_TRUE(repeat.linked.has_value());
  EXPECT_EQ(repeat.linked->urgings(), 1);

  clock_.Advance(absl::Minutes(31));  // 2 h 1 min after the first
  CreateResult later = MustCreate(Repair("人民路1号"));
  EXPECT_EQ(later.outcome, v1::CREATE_OUTCOME_ROUTED);

  // Only routed tickets went to dispatch and sla; the urging told dispatch
  // of the urge (sla has no clock for urgings).
  EXPECT_EQ(OutboxTopics("dispatch"),
            (std::vector<std::string>{"ticket.created", "ticket.urged", "ticket.created"}));
  EXPECT_EQ(OutboxTopics("sla"), (std::vector<std::string>{"ticket.created", "ticket.created"}));
  // Outage hears of every call from the place, the repeat one too.
  EXPECT_EQ(OutboxTopics("outage"),
            (std::vector<std::string>{"ticket.created", "ticket.urged", "ticket.created"}));
  // The merged repair shows no deadline of its own.
  EXPECT_EQ(repeat.ticket.deadlines_size(), 0);
  EXPECT_FALSE(repeat.ticket.deadlines_pending());
}

TEST_F(TicketDeskTest, ARepairInsideAnActiveOutageIsLinkedNotDispatched) {
  v1::OutageLink affected;
  affected.set_check(v1::OUTAGE_CHECK_AFFECTED);
  affected.set_notice_id("N-2026-001");
  *affected.mutable_restore_at() = ToProtoTime(kStart + absl::Hours(3));
  outage_.Set(affected);
  CreateResult linked = MustCreate(Repair("解放路8号"));
  EXPECT_EQ(linked.outcome, v1::CREATE_OUTCOME_LINKED_TO_OUTAGE);
  EXPECT_EQ(linked.ticket.status(), TicketStatus::TICKET_STATUS_LINKED_TO_OUTAGE);
  EXPECT_EQ(linked.ticket.outage().notice_id(), "N-2026-001");
  EXPECT_EQ(FromProtoTime(linked.ticket.outage().restore_at()), kStart + absl::Hours(3));
  EXPECT_EQ(linked.ticket.deadlines_size(), 0);
  EXPECT_FALSE(linked.ticket.deadlines_pending());
  EXPECT_TRUE(Outbox("dispatch").empty());
  EXPECT_TRUE(Outbox("sla").empty());
  // The history tells the restore time in the province's zone, whatever the
  // zone of the machine the service runs on.
  auto linked_history = desk_->History(linked.ticket.ticket_id(), "", 0);
  ASSERT_TRUE(linked_history.ok());
  std::string checked;
  for (const v1::HistoryEntry& entry : linked_history->entries) {
    if (entry.action() == v1::HISTORY_ACTION_OUTAGE_CHECKED) {
      checked = entry.detail();
    }
  }
  EXPECT_NE(checked.find("restore planned at 2026-11-23 13:00 (Asia/Shanghai)"), std::string::npos)
      << checked;

  // When outage cannot answer, the repair goes on and the skip is recorded.
  v1::OutageLink skipped;
  skipped.set_check(v1::OUTAGE_CHECK_SKIPPED);
  skipped.set_skipped_reason("outage service did not answer: UNIMPLEMENTED");
  outage_.Set(skipped);
  CreateResult routed = MustCreate(Repair("解放路8号"));
  EXPECT_EQ(routed.outcome, v1::CREATE_OUTCOME_ROUTED);  // an outage-linked ticket is no duplicate
  EXPECT_EQ(routed.ticket.outage().check(), v1::OUTAGE_CHECK_SKIPPED);
  auto history = desk_->History(routed.ticket.ticket_id(), "", 0);
  ASSERT_TRUE(history.ok());
  bool recorded = false;
  for (const v1::HistoryEntry& entry : history->entries) {
    recorded =
        recorded || (entry.action() == v1::HISTORY_ACTION_OUTAGE_CHECKED &&
                     entry.detail() == "skipped: outage service did not answer: UNIMPLEMENTED");
  }
  EXPECT_TRUE(recorded);
}

// A ticket's history is read in pages (50 by default, at most 500), oldest
// first, each entry once, however long the history grows.
TEST_F(TicketDeskTest, HistoryComesInPagesOfAtMostTheMaximum) {
  const std::string id = MustCreate(Complaint()).ticket.ticket_id();
  for (int i = 0; i < 560; ++i) {
    ASSERT_TRUE(desk_->AddNote(agent_, id, absl::StrCat("note ", i)).ok());
  }
  auto first = desk_->History(id, "", 0);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->entries.size(), static_cast<size_t>(kDefaultPageSize));
  EXPECT_FALSE(first->next_cursor.empty());

  auto capped = desk_->History(id, "", 100'000);
  ASSERT_TRUE(capped.ok()) << capped.status();
  EXPECT_EQ(capped->entries.size(), static_cast<size_t>(kMaxPageSize));

  std::vector<int64_t> seen;
  std::string cursor;
  int pages = 0;
  int notes = 0;
  do {
    auto page = desk_->History(id, cursor, 120);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_LE(page->entries.size(), 120u);
    for (const v1::HistoryEntry& entry : page->entries) {
      ASSERT_TRUE(seen.empty() || entry.entry_id() > seen.back()) << "not oldest first, or twice";
      seen.push_back(entry.entry_id());
      notes += entry.action() == v1::HISTORY_ACTION_NOTE_ADDED ? 1 : 0;
    }
    cursor = page->next_cursor;
    ASSERT_LT(++pages, 20) << "the pages never end";
  } while (!cursor.empty());
  EXPECT_EQ(notes, 560);
  EXPECT_EQ(pages, static_cast<int>((seen.size() + 119) / 120));

  EXPECT_EQ(desk_->History(id, "not-a-cursor", 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// The local day, then a counter that runs on across days and widens past
// six digits rather than repeating.
TEST_F(TicketDeskTest, NumbersCarryTheLocalDayAndACounterThatNeverRepeats) {
  EXPECT_EQ(MustCreate(Complaint()).ticket.ticket_number(), "GD-20261123-000001");
  EXPECT_EQ(MustCreate(Complaint()).ticket.ticket_number(), "GD-20261123-000002");
  clock_.Advance(absl::Hours(14));  // 00:00 on the 24th in Shanghai (16:00 UTC)
  EXPECT_EQ(MustCreate(Complaint()).ticket.ticket_number(), "GD-20261124-000003");
  absl::Status s = pg::WithTransaction(*pool_, [](pqxx::work& tx) -> absl::Status {
    tx.exec("SELECT setval('intake.ticket_numbers', 999999)");
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(MustCreate(Complaint()).ticket.ticket_number(), "GD-20261124-1000000");
  EXPECT_EQ(MustCreate(Complaint()).ticket.ticket_number(), "GD-20261124-1000001");
}

// In a storm every create must not wait for the others: numbering a ticket
// holds nothing until the create commits. The first create is held open,
// numbered and stored but not committed, while a second create (through a
// desk whose statements give up after 2 s waiting for a lock) completes.
TEST_F(TicketDeskTest, ACreateDoesNotWaitForAnotherThatIsStillOpen) {
  pg::PoolOptions impatient;
  impatient.uri = absl::StrCat(uri_, "?options=-c%20lock_timeout%3D2000");
  pg::Pool impatient_pool(impatient);
  TicketDesk impatient_desk(impatient_pool, settings_, outage_, sla_, clock_);

  const absl::CivilDay day = NumberingDay(clock_.Now(), settings_.NumberZone());
  std::string held_number;
  absl::StatusOr<CreateResult> second = absl::UnknownError("not run");
  absl::Status held = pg::WithTransaction(
      *pool_,
      [&](pqxx::work& tx) -> absl::Status {
        HOTLINE_ASSIGN_OR_RETURN(held_number,
                                 store::NextTicketNumber(tx, settings_.number_prefix, day));
        store::NewTicket first;
        v1::Ticket& t = first.ticket;
        t.set_ticket_id("7b0c7f0e-3a1d-4c55-9d2e-5f7c2a9b1e01");
        t.set_ticket_number(held_number);
        t.set_type(TicketType::TICKET_TYPE_COMPLAINT);
        t.set_status(TicketStatus::TICKET_STATUS_ROUTED);
        t.set_channel(common::v1::CHANNEL_PHONE);
        t.set_created_by("agent-0");
        *t.mutable_created_at() = ToProtoTime(clock_.Now());
        first.idempotency_key = "held-open";
        first.request_digest = "d";
        first.outcome = v1::CREATE_OUTCOME_ROUTED;
        HOTLINE_RETURN_IF_ERROR(store::InsertTicket(tx, first, {}));

        second = impatient_desk.Create(agent_, Complaint());
        return absl::OkStatus();
      },
      pg::TransactionOptions{.max_attempts = 1});
  ASSERT_TRUE(held.ok()) << held;
  ASSERT_TRUE(second.ok()) << "the second create waited for the first: " << second.status();
  EXPECT_NE(second->ticket.ticket_number(), held_number);
  // Both are stored, each under its number.
  for (const std::string& number : {held_number, second->ticket.ticket_number()}) {
    v1::GetTicketRequest get;
    get.set_ticket_number(number);
    EXPECT_TRUE(desk_->Get(agent_, get).ok()) << number;
  }
}

// Upgrading on a day that already has numbers from the per-day counters:
// the new counter starts above every one of them, so no ticket gets a number
// that was given out before.
TEST(TicketNumberUpgradeTest, NewNumbersStartAboveTheDailyCountersGivenOut) {
  pg::PoolOptions options;
  options.uri = testing::NewPostgresDatabase("ticket_upgrade");
  pg::Pool pool(options);
  std::vector<pg::Migration> before_sequence;
  for (const pg::Migration& m : intake_migrations()) {
    if (m.version < 3) {
      before_sequence.push_back(m);
    }
  }
  ASSERT_TRUE(pg::Migrate(pool, "intake", before_sequence).ok());
  absl::Status s = pg::WithTransaction(pool, [](pqxx::work& tx) -> absl::Status {
    tx.exec(
        "INSERT INTO intake.ticket_number_days (day, last_sequence) "
        "VALUES ('2026-11-22', 812), ('2026-11-23', 41)");
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_TRUE(pg::Migrate(pool, "intake", intake_migrations()).ok());

  absl::StatusOr<std::string> number =
      pg::WithTransactionResult<std::string>(pool, [](pqxx::work& tx) {
        return store::NextTicketNumber(tx, "GD", absl::CivilDay(2026, 11, 23));
      });
  ASSERT_TRUE(number.ok()) << number.status();
  EXPECT_EQ(*number, "GD-20261123-000813");
}

TEST_F(TicketDeskTest, TheOutboxCarriesNoReporterIdentity) {
  CreateResult report = MustCreate(Report());
  EXPECT_EQ(report.ticket.details().report().reporter().phone(), "138****5678");
  for (const char* destination : {"dispatch", "sla"}) {
    auto rows = Outbox(destination);
    ASSERT_EQ(rows.size(), 1u) << destination;
    EXPECT_EQ(rows[0].first, "ticket.created");
    v1::TicketCreated created;
    ASSERT_TRUE(rows[0].second.payload().UnpackTo(&created));
    EXPECT_EQ(created.ticket_id(), report.ticket.ticket_id());
    EXPECT_TRUE(created.reporter_identity_withheld());
    EXPECT_EQ(created.customer().phone(), "138****5678");
    EXPECT_EQ(rows[0].second.SerializeAsString().find("13812345678"), std::string::npos)
        << destination;
  }

  // The discipline role reads it unmasked; the read is in the history.
  Actor discipline;
  discipline.name = "inspector";
  discipline.role = auth::Role::kDiscipline;
  v1::GetTicketRequest get;
  get.set_ticket_id(report.ticket.ticket_id());
  auto read = desk_->Get(discipline, get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->details().report().reporter().phone(), "13812345678");
  auto history = desk_->History(report.ticket.ticket_id(), "", 0);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->entries.back().action(), v1::HISTORY_ACTION_REPORTER_IDENTITY_READ);
  EXPECT_EQ(history->entries.back().actor(), "inspector");
}

TEST_F(TicketDeskTest, AnOrderEventIsAppliedOnceAndOutOfOrderOnesAreIgnored) {
  CreateResult repair = MustCreate(Repair("建设路3号"));
  const std::string id = repair.ticket.ticket_id();
  events::EventSinkService& sink = *sink_;
  const absl::Time t = clock_.Now();
  ASSERT_TRUE(sink.Apply(OrderEvent("d1", "order.dispatched", id, t)).ok());
  ASSERT_TRUE(sink.Apply(OrderEvent("r1", "order.returned", id, t + absl::Minutes(1))).ok());
  // The redispatch arrives twice; the progress report that preceded the
  // return arrives last.
  ASSERT_TRUE(sink.Apply(OrderEvent("d2", "order.dispatched", id, t + absl::Minutes(2))).ok());
  ASSERT_TRUE(sink.Apply(OrderEvent("d2", "order.dispatched", id, t + absl::Minutes(2))).ok());
  ASSERT_TRUE(sink.Apply(OrderEvent("p0", "order.progress", id, t + absl::Seconds(30))).ok());

  v1::GetTicketRequest get;
  get.set_ticket_id(id);
  auto read = desk_->Get(agent_, get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status(), TicketStatus::TICKET_STATUS_DISPATCHED);
  EXPECT_EQ(read->branch_id(), "BR-9");
  auto history = desk_->History(id, "", 0);
  ASSERT_TRUE(history.ok());
  std::vector<TicketStatus> moves;
  int ignored = 0;
  for (const v1::HistoryEntry& entry : history->entries) {
    if (entry.action() == v1::HISTORY_ACTION_STATUS_CHANGED) {
      moves.push_back(entry.to_status());
    }
    ignored += entry.action() == v1::HISTORY_ACTION_ORDER_EVENT_IGNORED ? 1 : 0;
  }
  EXPECT_EQ(moves, (std::vector<TicketStatus>{
                       TicketStatus::TICKET_STATUS_ROUTED, TicketStatus::TICKET_STATUS_DISPATCHED,
                       TicketStatus::TICKET_STATUS_RETURNED, TicketStatus::TICKET_STATUS_REROUTED,
                       TicketStatus::TICKET_STATUS_DISPATCHED}));
  EXPECT_EQ(ignored, 1);
}

// A routed complaint shows the due time sla quoted (its working-day
// arithmetic, not intake's), asked with the ticket's type, area, channel,
// province and time; its ticket.created goes to dispatch and to sla.
TEST_F(TicketDeskTest, ACreatedComplaintShowsTheDueTimeSlaQuoted) {
  v1::CreateTicketRequest request = Complaint();
  request.mutable_address()->set_province("甘肃省");
  request.mutable_address()->set_area_class(common::v1::AREA_CLASS_URBAN);
  CreateResult complaint = MustCreate(request);
  EXPECT_EQ(complaint.outcome, v1::CREATE_OUTCOME_ROUTED);
  EXPECT_FALSE(complaint.ticket.deadlines_pending());
  ASSERT_EQ(complaint.ticket.deadlines_size(), 1);
  EXPECT_EQ(complaint.ticket.deadlines(0).kind(), v1::DEADLINE_KIND_RESULT);
  EXPECT_EQ(FromProtoTime(complaint.ticket.deadlines(0).due_at()), kStart + kComplaintResult);
  EXPECT_EQ(MustGet(complaint.ticket.ticket_id()).SerializeAsString(),
            complaint.ticket.SerializeAsString());

  std::vector<SetDeadlineSource::Asked> asked = sla_.asked();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].type, TicketType::TICKET_TYPE_COMPLAINT);
  EXPECT_EQ(asked[0].area_class, common::v1::AREA_CLASS_URBAN);
  EXPECT_EQ(asked[0].channel, common::v1::CHANNEL_PHONE);
  EXPECT_EQ(asked[0].region, "甘肃省");
  EXPECT_EQ(asked[0].at, kStart);

  EXPECT_EQ(OutboxTopics("dispatch"), std::vector<std::string>{"ticket.created"});
  EXPECT_EQ(OutboxTopics("sla"), std::vector<std::string>{"ticket.created"});

  // A repair's send-order due time goes to dispatch in ticket.created.
  CreateResult repair = MustCreate(Repair("和平路2号"));
  ASSERT_EQ(repair.ticket.deadlines_size(), 1);
  EXPECT_EQ(repair.ticket.deadlines(0).kind(), v1::DEADLINE_KIND_SEND_ORDER);
  auto rows = Outbox("dispatch");
  ASSERT_EQ(rows.size(), 2u);
  v1::TicketCreated created;
  ASSERT_TRUE(rows[1].second.payload().UnpackTo(&created));
  EXPECT_EQ(FromProtoTime(created.send_order_due_at()), kStart + absl::Minutes(5));
}

// A create answers with the ticket it stored without reading it back: what it
// answers is what a read of the ticket returns, for every way a create ends.
TEST_F(TicketDeskTest, ACreateAnswersWithTheTicketAsAReadReturnsIt) {
  v1::CreateTicketRequest answered;
  answered.set_idempotency_key("k-answered-read");
  answered.set_type(TicketType::TICKET_TYPE_CONSULTATION);
  answered.set_channel(common::v1::CHANNEL_APP);
  answered.mutable_customer()->set_name("钱七");
  answered.mutable_customer()->set_phone("13612345678");
  answered.mutable_details()->mutable_consultation()->set_topic("tariff");
  answered.mutable_details()->mutable_consultation()->set_resolution(
      v1::INQUIRY_RESOLUTION_ANSWERED_AT_ONCE);
  v1::CreateTicketRequest pending = Complaint();
  pending.set_idempotency_key("k-pending-read");
  auto expect_as_read = [&](const CreateResult& made, v1::CreateOutcome outcome) {
    EXPECT_EQ(made.outcome, outcome);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
        made.ticket, MustGet(made.ticket.ticket_id())))
        << EnumText(outcome) << ": created " << made.ticket.DebugString() << "read "
        << MustGet(made.ticket.ticket_id()).DebugString();
  };
  const CreateResult repair = MustCreate(Repair("和平路8号"));
  expect_as_read(repair, v1::CREATE_OUTCOME_ROUTED);
  expect_as_read(MustCreate(Complaint()), v1::CREATE_OUTCOME_ROUTED);
  expect_as_read(MustCreate(Report()), v1::CREATE_OUTCOME_ROUTED);
  expect_as_read(MustCreate(answered), v1::CREATE_OUTCOME_ANSWERED);
  const CreateResult merged = MustCreate(Repair("和平路8号"));
  expect_as_read(merged, v1::CREATE_OUTCOME_MERGED_AS_URGING);
  EXPECT_EQ(merged.ticket.linked_ticket_number(), repair.ticket.ticket_number());
  v1::CreateTicketRequest urging = Complaint();
  urging.set_type(TicketType::TICKET_TYPE_URGING);
  urging.mutable_details()->mutable_urging()->set_ticket_id(repair.ticket.ticket_id());
  expect_as_read(MustCreate(urging), v1::CREATE_OUTCOME_URGING_RECORDED);

  sla_.SetPending("sla service did not answer: UNAVAILABLE");
  CreateResult made = MustCreate(pending);
  EXPECT_TRUE(made.ticket.deadlines_pending());
  expect_as_read(made, v1::CREATE_OUTCOME_ROUTED);

  v1::OutageLink affected;
  affected.set_check(v1::OUTAGE_CHECK_AFFECTED);
  affected.set_notice_id("N-2026-002");
  *affected.mutable_restore_at() = ToProtoTime(kStart + absl::Hours(3) + absl::Nanoseconds(1));
  outage_.Set(affected);
  expect_as_read(MustCreate(Repair("解放路9号")), v1::CREATE_OUTCOME_LINKED_TO_OUTAGE);
}

TEST_F(TicketDeskTest, ARetriedCreateIsAnsweredAsTheFirstWithoutAskingSlaAgain) {
  v1::CreateTicketRequest request = Complaint();
  CreateResult first = MustCreate(request);
  ASSERT_EQ(sla_.asked().size(), 1u);
  CreateResult again = MustCreate(request);
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.ticket.ticket_id(), first.ticket.ticket_id());
  EXPECT_EQ(again.ticket.deadlines_size(), 1);
  EXPECT_EQ(sla_.asked().size(), 1u) << "the retry asked sla again";
  request.set_description("another complaint under the same key");
  EXPECT_EQ(desk_->Create(agent_, request).status().code(), absl::StatusCode::kInvalidArgument);
}

// Tickets that are not routed, and types without a deadline stage, never
// ask sla and are never pending.
TEST_F(TicketDeskTest, OnlyTicketsRoutedWithDeadlinesAskSla) {
  v1::CreateTicketRequest answered;
  answered.set_idempotency_key("k-answered");
  answered.set_type(TicketType::TICKET_TYPE_QUERY);
  answered.set_channel(common::v1::CHANNEL_PHONE);
  answered.mutable_customer()->set_name("钱七");
  answered.mutable_customer()->set_phone("13612345678");
  answered.mutable_details()->mutable_query()->set_topic("bill");
  answered.mutable_details()->mutable_query()->set_resolution(
      v1::INQUIRY_RESOLUTION_ANSWERED_AT_ONCE);
  v1::CreateTicketRequest praise;
  praise.set_idempotency_key("k-praise");
  praise.set_type(TicketType::TICKET_TYPE_PRAISE);
  praise.set_channel(common::v1::CHANNEL_WEB);
  praise.mutable_customer()->set_name("孙八");
  praise.mutable_customer()->set_phone("13512345678");
  praise.set_description("抢修很快");
  sla_.SetPending("sla service did not answer: UNAVAILABLE");
  for (const v1::CreateTicketRequest& request : {answered, praise}) {
    CreateResult made = MustCreate(request);
    EXPECT_FALSE(made.ticket.deadlines_pending()) << EnumText(request.type());
    EXPECT_EQ(made.ticket.deadlines_size(), 0);
  }
  EXPECT_TRUE(sla_.asked().empty());
}

// sla cannot answer: the complaint is routed all the same, without
// deadlines and marked pending (the reason in its history), and it is not
// overdue however long it waits.
TEST_F(TicketDeskTest, WhenSlaCannotAnswerTheTicketIsTakenWithItsDeadlinesPending) {
  sla_.SetPending("sla service did not answer: UNIMPLEMENTED");
  CreateResult complaint = MustCreate(Complaint());
  const std::string id = complaint.ticket.ticket_id();
  EXPECT_EQ(complaint.outcome, v1::CREATE_OUTCOME_ROUTED);
  EXPECT_EQ(complaint.ticket.status(), TicketStatus::TICKET_STATUS_ROUTED);
  EXPECT_TRUE(complaint.ticket.deadlines_pending());
  EXPECT_EQ(complaint.ticket.deadlines_size(), 0);
  EXPECT_TRUE(MustGet(id).deadlines_pending());
  EXPECT_EQ(OutboxTopics("sla"), std::vector<std::string>{"ticket.created"});

  std::string routed;
  for (const v1::HistoryEntry& entry : HistoryOf(id)) {
    if (entry.to_status() == TicketStatus::TICKET_STATUS_ROUTED) {
      routed = entry.detail();
    }
  }
  EXPECT_EQ(routed,
            "sent to dispatch; deadlines pending: sla service did not answer: UNIMPLEMENTED");

  clock_.Advance(absl::Hours(24 * 30));
  EXPECT_FALSE(MustGet(id).overdue());
  EXPECT_TRUE(Overdue().empty());
}

// sla's first clock event for a pending ticket fills its deadline in and
// ends the wait; clocks intake does not show change nothing, and an event
// about an unknown ticket is acknowledged.
TEST_F(TicketDeskTest, AClockEventFillsInPendingDeadlinesAndEndsTheWait) {
  sla_.SetPending("sla service did not answer: UNAVAILABLE");
  const std::string id = MustCreate(Complaint()).ticket.ticket_id();
  const absl::Time due = kStart + absl::Hours(50);

  ASSERT_TRUE(
      sink_->Apply(ClockEvent("c-unit", id, sla::v1::STAGE_COMPLAINT_RESULT, "BR-9", due, 5)).ok());
  ASSERT_TRUE(
      sink_->Apply(ClockEvent("c-reply", id, sla::v1::STAGE_CUSTOMER_REPLY, "", due, 6)).ok());
  v1::Ticket waiting = MustGet(id);
  EXPECT_TRUE(waiting.deadlines_pending());
  EXPECT_EQ(waiting.deadlines_size(), 0);

  ASSERT_TRUE(
      sink_->Apply(ClockEvent("c-own", id, sla::v1::STAGE_COMPLAINT_RESULT, "", due, 7)).ok());
  v1::Ticket filled = MustGet(id);
  EXPECT_FALSE(filled.deadlines_pending());
  ASSERT_EQ(filled.deadlines_size(), 1);
  EXPECT_EQ(filled.deadlines(0).kind(), v1::DEADLINE_KIND_RESULT);
  EXPECT_EQ(FromProtoTime(filled.deadlines(0).due_at()), due);
  EXPECT_FALSE(filled.deadlines(0).has_met_at());

  EXPECT_TRUE(sink_
                  ->Apply(ClockEvent("c-stranger", "0b7f5c1e-4a8e-4b5c-9d2e-3f4a5b6c7d8e",
                                     sla::v1::STAGE_COMPLAINT_RESULT, "", due, 8))
                  .ok());
}

// A repair whose branch acknowledged it before its pending send-order
// deadline arrives from sla has met it: it is shown met, not overdue.
TEST_F(TicketDeskTest, ADeadlineThatArrivesAfterItsStageIsShownMet) {
  sla_.SetPending("sla service did not answer: DEADLINE_EXCEEDED");
  const std::string id = MustCreate(Repair("胜利路5号")).ticket.ticket_id();
  clock_.Advance(absl::Minutes(2));
  ASSERT_TRUE(sink_->Apply(OrderEvent("d1", "order.dispatched", id, clock_.Now())).ok());
  clock_.Advance(absl::Seconds(30));
  ASSERT_TRUE(sink_->Apply(OrderEvent("d2", "order.accepted", id, clock_.Now())).ok());
  clock_.Advance(absl::Minutes(10));
  ASSERT_TRUE(
      sink_->Apply(ClockEvent("c1", id, sla::v1::STAGE_DISPATCH, "", kStart + absl::Minutes(5), 3))
          .ok());
  v1::Ticket read = MustGet(id);
  EXPECT_FALSE(read.deadlines_pending());
  ASSERT_EQ(read.deadlines_size(), 1);
  EXPECT_TRUE(read.deadlines(0).has_met_at());
  EXPECT_FALSE(read.overdue());
}

// sla stopped the ticket's dispatch clock (the branch acknowledged the
// order): the deadline is met at the clock's stop, whatever intake's status
// says, and the ticket is not overdue.
TEST_F(TicketDeskTest, AClockThatSlaStoppedMeetsItsDeadline) {
  const std::string id = MustCreate(Repair("胜利路6号")).ticket.ticket_id();
  common::v1::Event stopped =
      ClockEvent("c-stop", id, sla::v1::STAGE_DISPATCH, "", kStart + absl::Minutes(5), 9);
  sla::v1::ClockChanged changed;
  ASSERT_TRUE(stopped.payload().UnpackTo(&changed));
  changed.mutable_clock()->set_state(sla::v1::CLOCK_STATE_STOPPED);
  *changed.mutable_clock()->mutable_stopped_at() = ToProtoTime(kStart + absl::Minutes(3));
  stopped.mutable_payload()->PackFrom(changed);
  ASSERT_TRUE(sink_->Apply(stopped).ok());
  clock_.Advance(absl::Minutes(20));
  v1::Ticket read = MustGet(id);
  ASSERT_EQ(read.deadlines_size(), 1);
  EXPECT_EQ(FromProtoTime(read.deadlines(0).met_at()), kStart + absl::Minutes(3));
  EXPECT_FALSE(read.overdue());
}

// Clock events arrive late and out of order: one older than the last one
// applied (a smaller envelope sequence) changes nothing; a newer one moves
// the due time (e.g. later by a pause), and the overdue filter follows it.
TEST_F(TicketDeskTest, AnOlderClockEventAfterANewerOneChangesNothing) {
  const std::string id = MustCreate(Complaint()).ticket.ticket_id();
  const absl::Time paused_due = kStart + absl::Hours(30);
  const absl::Time started_due = kStart + absl::Hours(24);
  ASSERT_TRUE(
      sink_->Apply(ClockEvent("c-20", id, sla::v1::STAGE_COMPLAINT_RESULT, "", paused_due, 20))
          .ok());
  ASSERT_TRUE(
      sink_->Apply(ClockEvent("c-10", id, sla::v1::STAGE_COMPLAINT_RESULT, "", started_due, 10))
          .ok());
  v1::Ticket read = MustGet(id);
  ASSERT_EQ(read.deadlines_size(), 1);
  EXPECT_EQ(FromProtoTime(read.deadlines(0).due_at()), paused_due);

  // Overdue follows sla's due time, not the quote.
  clock_.Advance(absl::Hours(31));
  ASSERT_EQ(Overdue().size(), 1u);
  ASSERT_TRUE(sink_
                  ->Apply(ClockEvent("c-30", id, sla::v1::STAGE_COMPLAINT_RESULT, "",
                                     kStart + absl::Hours(40), 30))
                  .ok());
  read = MustGet(id);
  EXPECT_EQ(FromProtoTime(read.deadlines(0).due_at()), kStart + absl::Hours(40));
  EXPECT_FALSE(read.overdue());
  EXPECT_TRUE(Overdue().empty());
}

// sla's warnings, breaches, urgings and supervision cases are in the
// ticket's history, readable, with their time in the province's zone.
TEST_F(TicketDeskTest, AnSlaActionIsWrittenToTheTicketsHistory) {
  const std::string id = MustCreate(Complaint()).ticket.ticket_id();
  sla::v1::ActionFired fired;
  sla::v1::SlaAction& action = *fired.mutable_action();
  action.set_sequence(41);
  action.set_kind(sla::v1::ACTION_KIND_BREACH);
  action.mutable_clock()->set_ticket_id(id);
  action.mutable_clock()->set_stage(sla::v1::STAGE_COMPLAINT_RESULT);
  action.add_targets("dispatchers");
  action.set_detail("due 2026-11-27 10:00 passed");
  *action.mutable_at() = ToProtoTime(kStart + kComplaintResult);
  common::v1::Event event;
  event.set_event_id("a-41");
  event.set_topic("sla.action");
  event.set_source("sla");
  event.set_key(id);
  event.set_sequence(41);
  event.mutable_payload()->PackFrom(fired);
  ASSERT_TRUE(sink_->Apply(event).ok());
  ASSERT_TRUE(sink_->Apply(event).ok());  // delivered again: written once

  std::vector<v1::HistoryEntry> deadline_entries;
  for (const v1::HistoryEntry& entry : HistoryOf(id)) {
    if (entry.action() == v1::HISTORY_ACTION_DEADLINE) {
      deadline_entries.push_back(entry);
    }
  }
  ASSERT_EQ(deadline_entries.size(), 1u);
  EXPECT_EQ(deadline_entries[0].actor(), "sla");
  EXPECT_EQ(deadline_entries[0].actor_role(), "service");
  EXPECT_EQ(FromProtoTime(deadline_entries[0].at()), kStart + kComplaintResult);
  EXPECT_EQ(deadline_entries[0].detail(),
            "breach: stage complaint_result, the ticket's own clock, to dispatchers; due "
            "2026-11-27 10:00 passed; at 2026-11-27 10:00 (Asia/Shanghai)");
}

// A routed repair's ticket.created goes to outage too (it groups repair
// calls into suspected fault outages); other types', and a repair linked to
// an outage (not routed), do not. A desk without outage queues nothing for it.
TEST_F(TicketDeskTest, ARoutedRepairsTicketCreatedIsQueuedForOutage) {
  const std::string repair = MustCreate(Repair("建设路9号")).ticket.ticket_id();
  MustCreate(Complaint());
  LinkedRepair("N-2026-010", "建设路11号");
  auto rows = Outbox("outage");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].first, "ticket.created");
  v1::TicketCreated created;
  ASSERT_TRUE(rows[0].second.payload().UnpackTo(&created));
  EXPECT_EQ(created.ticket_id(), repair);
  EXPECT_EQ(created.type(), TicketType::TICKET_TYPE_REPAIR);
  EXPECT_EQ(rows[0].second.key(), repair);
  EXPECT_EQ(OutboxTopics("dispatch"),
            (std::vector<std::string>{"ticket.created", "ticket.created"}));

  // Cancelling it tells dispatch and sla, as for every routed ticket.
  Actor leader;
  leader.name = "leader-1";
  leader.role = auth::Role::kShiftLeader;
  ASSERT_TRUE(desk_->Cancel(leader, repair, "called by mistake").ok());
  EXPECT_EQ(OutboxTopics("outage"), std::vector<std::string>{"ticket.created"});

  TicketDesk without(*pool_, settings_, outage_, sla_, clock_, MakeTicketDestinations(false, true));
  v1::OutageLink clear;
  clear.set_check(v1::OUTAGE_CHECK_CLEAR);
  outage_.Set(clear);
  absl::StatusOr<CreateResult> other = without.Create(agent_, Repair("胜利路20号"));
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->outcome, v1::CREATE_OUTCOME_ROUTED);
  EXPECT_EQ(Outbox("outage").size(), 1u);
  EXPECT_EQ(OutboxTopics("dispatch").size(), 4u);  // two created, one cancelled, this one
}

// Power is back for the whole notice: its linked repairs are resolved at the
// restore's time, each with one history entry, however often the event is
// delivered; a repair linked to another notice stays linked.
TEST_F(TicketDeskTest, AWholeRestoreResolvesTheRepairsLinkedToTheNoticeOnce) {
  const std::string first = LinkedRepair("N-2026-001", "解放路8号");
  const std::string second = LinkedRepair("N-2026-001", "解放路10号", "七里河区");
  const std::string other = LinkedRepair("N-2026-002", "解放路12号");
  const std::string routed = [&] {
    v1::OutageLink clear;
    clear.set_check(v1::OUTAGE_CHECK_CLEAR);
    outage_.Set(clear);
    return MustCreate(Repair("解放路14号")).ticket.ticket_id();
  }();

  const absl::Time restored_at = kStart + absl::Hours(2);
  clock_.Advance(absl::Hours(2) + absl::Minutes(5));  // the event arrives after the restore
  outage::v1::NoticeRestored restored;
  restored.set_notice_id("N-2026-001");
  restored.set_whole(true);
  *restored.mutable_restored_at() = ToProtoTime(restored_at);
  ASSERT_TRUE(sink_->Apply(RestoreEvent("r-1", restored)).ok());
  ASSERT_TRUE(sink_->Apply(RestoreEvent("r-1", restored)).ok());   // delivered again
  ASSERT_TRUE(sink_->Apply(RestoreEvent("r-1b", restored)).ok());  // sent again as a new event

  for (const std::string& id : {first, second}) {
    v1::Ticket read = MustGet(id);
    EXPECT_EQ(read.status(), TicketStatus::TICKET_STATUS_RESOLVED) << id;
    EXPECT_EQ(FromProtoTime(read.updated_at()), clock_.Now());
    std::vector<v1::HistoryEntry> resolved = Resolutions(id);
    ASSERT_EQ(resolved.size(), 1u) << id;
    EXPECT_EQ(resolved[0].from_status(), TicketStatus::TICKET_STATUS_LINKED_TO_OUTAGE);
    EXPECT_EQ(resolved[0].actor(), "outage");
    EXPECT_EQ(resolved[0].actor_role(), "service");
    EXPECT_EQ(FromProtoTime(resolved[0].at()), restored_at);
    EXPECT_EQ(resolved[0].detail(),
              "power restored: notice N-2026-001, the whole notice; at 2026-11-23 12:00 "
              "(Asia/Shanghai)");
  }
  EXPECT_EQ(MustGet(other).status(), TicketStatus::TICKET_STATUS_LINKED_TO_OUTAGE);
  EXPECT_TRUE(Resolutions(other).empty());
  EXPECT_EQ(MustGet(routed).status(), TicketStatus::TICKET_STATUS_ROUTED);

  // Intake tells dispatch nothing of a resolve (dispatch never had these).
  EXPECT_EQ(OutboxTopics("dispatch"), std::vector<std::string>{"ticket.created"});
}

// Power is back place by place: a restore of another area leaves a repair
// linked; one of its transformer area (written another way) resolves it;
// the rest are resolved when the whole notice is.
TEST_F(TicketDeskTest, APartialRestoreResolvesOnlyTheRepairsInTheRestoredPlaces) {
  const std::string in_ta7 = LinkedRepair("N-2026-003", "人民路1号", "城关区", "TA-7");
  const std::string in_ta8 = LinkedRepair("N-2026-003", "人民路3号", "城关区", "TA-8");
  const std::string in_qilihe = LinkedRepair("N-2026-003", "人民路5号", "七里河区");

  outage::v1::NoticeRestored area;
  area.set_notice_id("N-2026-003");
  area.add_areas()->set_county("七里河区");
  *area.mutable_restored_at() = ToProtoTime(kStart + absl::Hours(1));
  ASSERT_TRUE(sink_->Apply(RestoreEvent("p-1", area)).ok());
  EXPECT_EQ(MustGet(in_qilihe).status(), TicketStatus::TICKET_STATUS_RESOLVED);
  EXPECT_EQ(MustGet(in_ta7).status(), TicketStatus::TICKET_STATUS_LINKED_TO_OUTAGE);
  EXPECT_EQ(MustGet(in_ta8).status(), TicketStatus::TICKET_STATUS_LINKED_TO_OUTAGE);
  ASSERT_EQ(Resolutions(in_qilihe).size(), 1u);
  EXPECT_EQ(
      Resolutions(in_qilihe)[0].detail(),
      "power restored: notice N-2026-003, area 七里河区; at 2026-11-23 11:00 (Asia/Shanghai)");

  outage::v1::NoticeRestored transformer_area;
  transformer_area.set_notice_id("N-2026-003");
  transformer_area.add_transformer_areas("ta 7");
  *transformer_area.mutable_restored_at() = ToProtoTime(kStart + absl::Hours(2));
  ASSERT_TRUE(sink_->Apply(RestoreEvent("p-2", transformer_area)).ok());
  EXPECT_EQ(MustGet(in_ta7).status(), TicketStatus::TICKET_STATUS_RESOLVED);
  EXPECT_EQ(MustGet(in_ta8).status(), TicketStatus::TICKET_STATUS_LINKED_TO_OUTAGE);
  ASSERT_EQ(Resolutions(in_ta7).size(), 1u);
  EXPECT_EQ(FromProtoTime(Resolutions(in_ta7)[0].at()), kStart + absl::Hours(2));

  outage::v1::NoticeRestored whole;
  whole.set_notice_id("N-2026-003");
  whole.set_whole(true);
  *whole.mutable_restored_at() = ToProtoTime(kStart + absl::Hours(3));
  ASSERT_TRUE(sink_->Apply(RestoreEvent("p-3", whole)).ok());
  for (const std::string& id : {in_ta7, in_ta8, in_qilihe}) {
    EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_RESOLVED) << id;
    EXPECT_EQ(Resolutions(id).size(), 1u) << id;
  }
  EXPECT_EQ(FromProtoTime(Resolutions(in_ta8)[0].at()), kStart + absl::Hours(3));
}

// A restore naming no notice, or with a payload of another type, is
// acknowledged and changes nothing; a cancelled linked repair stays cancelled.
TEST_F(TicketDeskTest, ARestoreChangesOnlyTicketsStillLinked) {
  const std::string cancelled = LinkedRepair("N-2026-004", "和平路7号");
  const std::string linked = LinkedRepair("N-2026-004", "和平路9号");
  Actor leader;
  leader.name = "leader-1";
  leader.role = auth::Role::kShiftLeader;
  ASSERT_TRUE(desk_->Cancel(leader, cancelled, "power came back before the call ended").ok());

  outage::v1::NoticeRestored nameless;
  nameless.set_whole(true);
  EXPECT_TRUE(sink_->Apply(RestoreEvent("n-1", nameless)).ok());
  common::v1::Event wrong = RestoreEvent("n-2", nameless);
  wrong.set_key("N-2026-004");
  wrong.mutable_payload()->PackFrom(v1::TicketCancelled());
  EXPECT_TRUE(sink_->Apply(wrong).ok());
  EXPECT_EQ(MustGet(linked).status(), TicketStatus::TICKET_STATUS_LINKED_TO_OUTAGE);

  // The notice id from the envelope's key when the payload leaves it out.
  common::v1::Event keyed = RestoreEvent("n-3", nameless);
  keyed.set_key("N-2026-004");
  ASSERT_TRUE(sink_->Apply(keyed).ok());
  EXPECT_EQ(MustGet(linked).status(), TicketStatus::TICKET_STATUS_RESOLVED);
  EXPECT_EQ(MustGet(cancelled).status(), TicketStatus::TICKET_STATUS_CANCELLED);
  EXPECT_TRUE(Resolutions(cancelled).empty());
}

// A cancelled routed ticket tells dispatch and sla (which stops its clocks).
TEST_F(TicketDeskTest, ACancelledRoutedTicketTellsDispatchAndSla) {
  const std::string id = MustCreate(Complaint()).ticket.ticket_id();
  Actor leader;
  leader.name = "leader-1";
  leader.role = auth::Role::kShiftLeader;
  ASSERT_TRUE(desk_->Cancel(leader, id, "the customer withdrew it").ok());
  for (const char* destination : {"dispatch", "sla"}) {
    EXPECT_EQ(OutboxTopics(destination),
              (std::vector<std::string>{"ticket.created", "ticket.cancelled"}))
        << destination;
  }
}

// A resolved repair is told to survey, which calls the customer back: once,
// with the contact unmasked, the order that resolved it and what was done.
// Nothing goes to survey when intake has no survey address.
TEST_F(TicketDeskTest, AResolvedRepairIsToldToSurveyWithTheCustomersContact) {
  const std::string id = MustCreate(Repair("建设路3号")).ticket.ticket_id();
  const absl::Time t = clock_.Now();
  ASSERT_TRUE(sink_->Apply(OrderEvent("d1", "order.dispatched", id, t)).ok());
  EXPECT_TRUE(ResolvedForSurvey().empty());
  const common::v1::Event resolve =
      ResolvedOrder("s1", id, t + absl::Hours(2), "replaced the service fuse");
  ASSERT_TRUE(sink_->Apply(resolve).ok());
  ASSERT_TRUE(sink_->Apply(resolve).ok());  // delivered again
  // A further order.resolved (sent again as a new event) changes nothing.
  ASSERT_TRUE(sink_->Apply(ResolvedOrder("s1b", id, t + absl::Hours(2), "again")).ok());

  EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_RESOLVED);
  std::vector<v1::TicketResolved> resolved = ResolvedForSurvey();
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].ticket_id(), id);
  EXPECT_EQ(resolved[0].ticket_number(), MustGet(id).ticket_number());
  EXPECT_EQ(resolved[0].type(), TicketType::TICKET_TYPE_REPAIR);
  EXPECT_EQ(resolved[0].customer().name(), "王五");
  EXPECT_EQ(resolved[0].customer().phone(), "13912345678");
  EXPECT_FALSE(resolved[0].anonymous());
  EXPECT_EQ(resolved[0].branch_id(), "BR-9");
  EXPECT_EQ(resolved[0].order_id(), "o-1");
  EXPECT_EQ(FromProtoTime(resolved[0].resolved_at()), t + absl::Hours(2));
  EXPECT_EQ(resolved[0].resolution(), "replaced the service fuse");
  // Dispatch and sla learn of it from dispatch, not from intake.
  EXPECT_EQ(OutboxTopics("dispatch"), std::vector<std::string>{"ticket.created"});
  EXPECT_EQ(OutboxTopics("sla"), std::vector<std::string>{"ticket.created"});

  TicketDesk without(*pool_, settings_, outage_, sla_, clock_, MakeTicketDestinations(true, false));
  absl::StatusOr<CreateResult> other = without.Create(agent_, Repair("胜利路20号"));
  ASSERT_TRUE(other.ok()) << other.status();
  const std::string other_id = other->ticket.ticket_id();
  ASSERT_TRUE(pg::WithTransaction(*pool_, [&](pqxx::work& tx) {
                return without.ApplyOrderEvent(tx, ResolvedOrder("w1", other_id, t, "done"));
              }).ok());
  EXPECT_EQ(MustGet(other_id).status(), TicketStatus::TICKET_STATUS_RESOLVED);
  EXPECT_EQ(ResolvedForSurvey().size(), 1u);
}

// A named reporter is called back, so the reporter goes to survey unmasked;
// an anonymous report goes marked anonymous with no contact (survey closes
// it uncalled); a consultation is not called back at all.
TEST_F(TicketDeskTest, SurveyHearsOfReportsWithTheReporterUnlessAnonymousAndNotOfConsultations) {
  const std::string named = MustCreate(Report()).ticket.ticket_id();
  v1::CreateTicketRequest anonymous_request = Report();
  anonymous_request.mutable_details()->mutable_report()->clear_reporter();
  anonymous_request.mutable_details()->mutable_report()->set_anonymous(true);
  const std::string anonymous = MustCreate(anonymous_request).ticket.ticket_id();
  v1::CreateTicketRequest consultation;
  consultation.set_idempotency_key("k-consultation");
  consultation.set_type(TicketType::TICKET_TYPE_CONSULTATION);
  consultation.set_channel(common::v1::CHANNEL_PHONE);
  consultation.mutable_customer()->set_name("李四");
  consultation.mutable_customer()->set_phone("13612345678");
  consultation.set_description("峰谷电价怎么算");
  consultation.mutable_details()->mutable_consultation()->set_topic("tariff");
  consultation.mutable_details()->mutable_consultation()->set_resolution(
      v1::INQUIRY_RESOLUTION_NEEDS_DEPARTMENT);
  CreateResult consulted = MustCreate(consultation);
  ASSERT_EQ(consulted.outcome, v1::CREATE_OUTCOME_ROUTED);

  const absl::Time t = clock_.Now();
  ASSERT_TRUE(sink_->Apply(ResolvedOrder("n1", named, t, "查实，已处理")).ok());
  ASSERT_TRUE(sink_->Apply(ResolvedOrder("a1", anonymous, t, "查实，已处理")).ok());
  ASSERT_TRUE(sink_->Apply(ResolvedOrder("c1", consulted.ticket.ticket_id(), t, "answered")).ok());
  EXPECT_EQ(MustGet(consulted.ticket.ticket_id()).status(), TicketStatus::TICKET_STATUS_RESOLVED);

  std::vector<v1::TicketResolved> resolved = ResolvedForSurvey();
  ASSERT_EQ(resolved.size(), 2u);
  EXPECT_EQ(resolved[0].ticket_id(), named);
  EXPECT_EQ(resolved[0].type(), TicketType::TICKET_TYPE_REPORT);
  EXPECT_FALSE(resolved[0].anonymous());
  EXPECT_EQ(resolved[0].customer().name(), "张三丰");
  EXPECT_EQ(resolved[0].customer().phone(), "13812345678");
  EXPECT_EQ(resolved[1].ticket_id(), anonymous);
  EXPECT_TRUE(resolved[1].anonymous());
  EXPECT_FALSE(resolved[1].has_customer());

  // The anonymous report is closed without a callback.
  common::v1::Event not_called =
      Callback("nc1", "callback.completed", anonymous, survey::v1::CALLBACK_OUTCOME_NOT_CALLED, 3);
  survey::v1::CallbackEvent uncalled;
  ASSERT_TRUE(not_called.payload().UnpackTo(&uncalled));
  uncalled.clear_task_id();
  uncalled.set_ticket_type(TicketType::TICKET_TYPE_REPORT);
  uncalled.set_attempts(0);
  not_called.mutable_payload()->PackFrom(uncalled);
  ASSERT_TRUE(sink_->Apply(not_called).ok());
  EXPECT_EQ(MustGet(anonymous).status(), TicketStatus::TICKET_STATUS_CLOSED);
  std::vector<v1::HistoryEntry> moves = Moves(anonymous);
  ASSERT_FALSE(moves.empty());
  EXPECT_EQ(moves.back().from_status(), TicketStatus::TICKET_STATUS_RESOLVED);
  EXPECT_EQ(moves.back().to_status(), TicketStatus::TICKET_STATUS_CLOSED);
  EXPECT_EQ(moves.back().detail(), "no callback: anonymous report");
}

// A repair restored with its outage is called back too: no branch nor order,
// the restore as what was done.
TEST_F(TicketDeskTest, ARepairResolvedByARestoreIsToldToSurvey) {
  const std::string linked = LinkedRepair("N-2026-020", "解放路8号");
  outage::v1::NoticeRestored restored;
  restored.set_notice_id("N-2026-020");
  restored.set_whole(true);
  *restored.mutable_restored_at() = ToProtoTime(kStart + absl::Hours(2));
  ASSERT_TRUE(sink_->Apply(RestoreEvent("r-20", restored)).ok());
  ASSERT_TRUE(sink_->Apply(RestoreEvent("r-20b", restored)).ok());  // sent again

  std::vector<v1::TicketResolved> resolved = ResolvedForSurvey();
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].ticket_id(), linked);
  EXPECT_EQ(resolved[0].customer().phone(), "13912345678");
  EXPECT_TRUE(resolved[0].branch_id().empty());
  EXPECT_TRUE(resolved[0].order_id().empty());
  EXPECT_EQ(FromProtoTime(resolved[0].resolved_at()), kStart + absl::Hours(2));
  EXPECT_EQ(resolved[0].resolution(),
            "power restored: notice N-2026-020, the whole notice; at 2026-11-23 12:00 "
            "(Asia/Shanghai)");
}

// The customer is dissatisfied: the ticket is reopened with the customer's
// words in its history; dispatch sends the order back, the branch resolves
// it again, survey hears of it again and the second callback closes it. The
// first callback's scheduling, delivered late, changes nothing.
// A repair an outage restore resolved has no order to send back: a
// dissatisfied callback reopens it and routes it anew.
TEST_F(TicketDeskTest, ADissatisfiedCallbackRoutesARepairWithoutAnOrderAnew) {
  const std::string id = LinkedRepair("N-2026-009", "解放路20号");
  outage::v1::NoticeRestored restored;
  restored.set_notice_id("N-2026-009");
  restored.set_whole(true);
  *restored.mutable_restored_at() = ToProtoTime(clock_.Now());
  ASSERT_TRUE(sink_->Apply(RestoreEvent("rr-1", restored)).ok());
  ASSERT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_RESOLVED);
  const size_t created_before = OutboxTopics("dispatch").size();

  ASSERT_TRUE(sink_
                  ->Apply(Callback("rr-c1", "callback.completed", id,
                                   survey::v1::CALLBACK_OUTCOME_DISSATISFIED, 21))
                  .ok());
  EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_ROUTED);
  const std::vector<std::string> to_dispatch = OutboxTopics("dispatch");
  ASSERT_EQ(to_dispatch.size(), created_before + 1);
  EXPECT_EQ(to_dispatch.back(), "ticket.created");
  std::vector<v1::HistoryEntry> moves = Moves(id);
  ASSERT_GE(moves.size(), 2u);
  EXPECT_EQ(moves[moves.size() - 2].to_status(), TicketStatus::TICKET_STATUS_REOPENED);
  EXPECT_EQ(moves.back().to_status(), TicketStatus::TICKET_STATUS_ROUTED);
}

TEST_F(TicketDeskTest, ADissatisfiedCallbackReopensTheTicketUntilItIsSolved) {
  const std::string id = MustCreate(Repair("建设路5号")).ticket.ticket_id();
  const absl::Time t = clock_.Now();
  ASSERT_TRUE(sink_->Apply(ResolvedOrder("s1", id, t + absl::Hours(1), "fuse replaced")).ok());
  ASSERT_TRUE(sink_
                  ->Apply(Callback("cb-s1", "callback.scheduled", id,
                                   survey::v1::CALLBACK_OUTCOME_UNSPECIFIED, 11))
                  .ok());
  EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_CALLBACK);

  common::v1::Event dissatisfied =
      Callback("cb-c1", "callback.completed", id, survey::v1::CALLBACK_OUTCOME_DISSATISFIED, 12);
  survey::v1::CallbackEvent answer;
  ASSERT_TRUE(dissatisfied.payload().UnpackTo(&answer));
  answer.set_satisfaction(survey::v1::SATISFACTION_DISSATISFIED);
  answer.set_solved(false);
  answer.set_comment("晚上还是停电");
  answer.set_attempts(2);
  *answer.mutable_occurred_at() = ToProtoTime(t + absl::Hours(20));
  dissatisfied.mutable_payload()->PackFrom(answer);
  ASSERT_TRUE(sink_->Apply(dissatisfied).ok());
  ASSERT_TRUE(sink_->Apply(dissatisfied).ok());  // delivered again

  EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_REOPENED);
  std::vector<v1::HistoryEntry> moves = Moves(id);
  ASSERT_GE(moves.size(), 2u);
  const v1::HistoryEntry& scheduled = moves[moves.size() - 2];
  EXPECT_EQ(scheduled.from_status(), TicketStatus::TICKET_STATUS_RESOLVED);
  EXPECT_EQ(scheduled.to_status(), TicketStatus::TICKET_STATUS_CALLBACK);
  const v1::HistoryEntry& reopened = moves.back();
  EXPECT_EQ(reopened.from_status(), TicketStatus::TICKET_STATUS_CALLBACK);
  EXPECT_EQ(reopened.to_status(), TicketStatus::TICKET_STATUS_REOPENED);
  EXPECT_EQ(reopened.actor(), "survey");
  EXPECT_EQ(reopened.actor_role(), "service");
  EXPECT_EQ(FromProtoTime(reopened.at()), t + absl::Hours(20));
  EXPECT_EQ(reopened.detail(),
            "callback: customer dissatisfied, problem not solved: 晚上还是停电 (2 attempts)");

  // Back to the branch that resolved it, and resolved again.
  ASSERT_TRUE(sink_->Apply(OrderEvent("d2", "order.dispatched", id, t + absl::Hours(21))).ok());
  EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_DISPATCHED);
  ASSERT_TRUE(sink_->Apply(OrderEvent("a2", "order.accepted", id, t + absl::Hours(22))).ok());
  ASSERT_TRUE(
      sink_->Apply(ResolvedOrder("s2", id, t + absl::Hours(23), "line clamp replaced")).ok());
  EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_RESOLVED);
  std::vector<v1::TicketResolved> resolved = ResolvedForSurvey();
  ASSERT_EQ(resolved.size(), 2u);
  EXPECT_EQ(resolved[1].resolution(), "line clamp replaced");
  EXPECT_EQ(FromProtoTime(resolved[1].resolved_at()), t + absl::Hours(23));

  // The first callback's scheduling, sent again late as a new event: it was
  // written before the dissatisfied answer, so it does not start the second.
  ASSERT_TRUE(sink_
                  ->Apply(Callback("cb-s1-late", "callback.scheduled", id,
                                   survey::v1::CALLBACK_OUTCOME_UNSPECIFIED, 11))
                  .ok());
  EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_RESOLVED);
  EXPECT_EQ(IgnoredCallbacks(id), 1);

  ASSERT_TRUE(sink_
                  ->Apply(Callback("cb-s2", "callback.scheduled", id,
                                   survey::v1::CALLBACK_OUTCOME_UNSPECIFIED, 21))
                  .ok());
  ASSERT_TRUE(sink_
                  ->Apply(Callback("cb-c2", "callback.completed", id,
                                   survey::v1::CALLBACK_OUTCOME_SATISFIED, 22))
                  .ok());
  EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_CLOSED);
}

// A satisfied answer closes the ticket, also when it arrives before the
// scheduling (through callback); the scheduling that comes after, and any
// callback event for a ticket that is not resolved, are written to the
// history as ignored. Unknown tickets and malformed payloads are acknowledged.
TEST_F(TicketDeskTest, ASatisfiedCallbackClosesTheTicketAndLateOnesAreIgnored) {
  const std::string id = MustCreate(Complaint()).ticket.ticket_id();
  ASSERT_TRUE(sink_->Apply(ResolvedOrder("s1", id, clock_.Now(), "已道歉并说明原因")).ok());
  ASSERT_TRUE(sink_
                  ->Apply(Callback("cb-c", "callback.completed", id,
                                   survey::v1::CALLBACK_OUTCOME_SATISFIED, 6))
                  .ok());
  EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_CLOSED);
  std::vector<v1::HistoryEntry> moves = Moves(id);
  ASSERT_GE(moves.size(), 2u);
  EXPECT_EQ(moves[moves.size() - 2].to_status(), TicketStatus::TICKET_STATUS_CALLBACK);
  EXPECT_EQ(moves.back().from_status(), TicketStatus::TICKET_STATUS_CALLBACK);
  EXPECT_EQ(moves.back().to_status(), TicketStatus::TICKET_STATUS_CLOSED);
  EXPECT_EQ(moves.back().detail(), "callback: customer satisfied, problem solved (1 attempt)");

  ASSERT_TRUE(sink_
                  ->Apply(Callback("cb-s", "callback.scheduled", id,
                                   survey::v1::CALLBACK_OUTCOME_UNSPECIFIED, 5))
                  .ok());
  EXPECT_EQ(MustGet(id).status(), TicketStatus::TICKET_STATUS_CLOSED);
  EXPECT_EQ(Moves(id).size(), moves.size());
  EXPECT_EQ(IgnoredCallbacks(id), 1);
  const v1::HistoryEntry ignored = HistoryOf(id).back();
  EXPECT_EQ(ignored.action(), v1::HISTORY_ACTION_CALLBACK_EVENT_IGNORED);
  EXPECT_EQ(ignored.from_status(), TicketStatus::TICKET_STATUS_CLOSED);
  EXPECT_NE(ignored.detail().find("ignored"), std::string::npos) << ignored.detail();

  // A ticket still with its branch is not closed by a callback.
  const std::string open = MustCreate(Complaint()).ticket.ticket_id();
  ASSERT_TRUE(sink_
                  ->Apply(Callback("cb-open", "callback.completed", open,
                                   survey::v1::CALLBACK_OUTCOME_SATISFIED, 7))
                  .ok());
  EXPECT_EQ(MustGet(open).status(), TicketStatus::TICKET_STATUS_ROUTED);
  EXPECT_EQ(IgnoredCallbacks(open), 1);

  EXPECT_TRUE(sink_
                  ->Apply(Callback("cb-stranger", "callback.completed",
                                   "0b7f5c1e-4a8e-4b5c-9d2e-3f4a5b6c7d8e",
                                   survey::v1::CALLBACK_OUTCOME_SATISFIED, 8))
                  .ok());
  common::v1::Event malformed =
      Callback("cb-bad", "callback.completed", open, survey::v1::CALLBACK_OUTCOME_SATISFIED, 9);
  malformed.mutable_payload()->PackFrom(v1::TicketCancelled());
  EXPECT_TRUE(sink_->Apply(malformed).ok());
  EXPECT_EQ(MustGet(open).status(), TicketStatus::TICKET_STATUS_ROUTED);
}

}  // namespace
}  // namespace hotline::intake
