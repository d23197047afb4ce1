#pragma once

// After a storm: what the five services hold, read straight from their
// schemas, set against what the callers and branch systems were told. Every
// count of something lost or doubled must be 0.

#include <cstdlib>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/fault/storm_branches.h"
#include "tests/fault/storm_callers.h"

namespace hotline::testing::storm {

// The rows of the storm's tickets and of everything made from them.
struct StoredStorm {
  // repair number -> ticket ids stored under its key
  std::map<int, std::vector<std::string>> tickets_by_repair;
  std::map<std::string, std::string> ticket_status;  // ticket id -> status
  struct Order {
    std::string order_id;
    std::string branch_id;
    std::string status;
  };
  std::map<std::string, std::vector<Order>> orders_by_ticket;
  std::map<std::string, int> clocks_by_ticket;
  std::map<std::string, int> callbacks_by_ticket;
};

inline StoredStorm ReadStoredStorm(const Backend& backend) {
  StoredStorm s;
  pqxx::connection conn(backend.pg_uri());
  pqxx::read_transaction tx(conn);
  // Keys are stored as "<principal> <key>".
  for (const pqxx::row& row :
       tx.exec("SELECT split_part(idempotency_key, ' ', 2), ticket_id::text, status "
               "FROM intake.tickets WHERE split_part(idempotency_key, ' ', 2) LIKE 'storm-%'")) {
    int n = -1;
    if (absl::SimpleAtoi(row[0].as<std::string>().substr(6), &n)) {
      s.tickets_by_repair[n].push_back(row[1].as<std::string>());
    }
    s.ticket_status[row[1].as<std::string>()] = row[2].as<std::string>();
  }
  for (const pqxx::row& row : tx.exec(
           "SELECT ticket_id, order_id, coalesce(branch_id, ''), status FROM dispatch.orders")) {
    s.orders_by_ticket[row[0].as<std::string>()].push_back(
        {row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<std::string>()});
  }
  for (const pqxx::row& row :
       tx.exec("SELECT ticket_id::text, count(*) FROM sla.clocks GROUP BY ticket_id")) {
    s.clocks_by_ticket[row[0].as<std::string>()] = row[1].as<int>();
  }
  for (const pqxx::row& row :
       tx.exec("SELECT ticket_id::text, count(*) FROM survey.callbacks GROUP BY ticket_id")) {
    s.callbacks_by_ticket[row[0].as<std::string>()] = row[1].as<int>();
  }
  return s;
}

inline bool Acknowledged(const std::string& order_status) {
  return order_status == "accepted" || order_status == "in_progress" || order_status == "resolved";
}

// The counts printed after a storm. The names say what a user would notice.
struct StormCounts {
  int accepted = 0;             // repairs whose caller got OK
  int given_up = 0;             // repairs whose caller never got OK (allowed, printed)
  int stored = 0;               // storm repairs stored in intake
  int lost_tickets = 0;         // accepted, not stored, or stored under another id
  int duplicate_tickets = 0;    // extra tickets under one key
  int orders = 0;               // orders of the stored repairs
  int missing_orders = 0;       // stored repair without an order
  int duplicate_orders = 0;     // extra orders of one ticket
  int wrong_branch = 0;         // order at a branch not owning the county
  int undelivered = 0;          // order never delivered on its branch's stream
  int misdelivered = 0;         // order delivered on another branch's stream
  int unacknowledged = 0;       // order not accepted (or later) at the end
  int acks_seen = 0;            // AckOrder answered OK
  int lost_acks = 0;            // ... but the order is not accepted (or later)
  int completions_seen = 0;     // COMPLETED answered OK
  int lost_completions = 0;     // ... but the order is not resolved
  int without_clock = 0;        // stored repair sla has no clock of
  int resolved = 0;             // resolved orders
  int callbacks = 0;            // callbacks of resolved orders' tickets
  int missing_callbacks = 0;    // resolved order's ticket without a callback
  int duplicate_callbacks = 0;  // extra callbacks of one ticket

  int Inconsistencies() const {
    return lost_tickets + duplicate_tickets + missing_orders + duplicate_orders + wrong_branch +
           undelivered + misdelivered + unacknowledged + lost_acks + lost_completions +
           without_clock + missing_callbacks + duplicate_callbacks;
  }
  std::string Line() const {
    return absl::StrCat(
        "accepted tickets ", accepted, " (given up ", given_up, "), stored ", stored, ", lost ",
        lost_tickets, ", duplicates ", duplicate_tickets, "; orders ", orders, ", missing ",
        missing_orders, ", duplicates ", duplicate_orders, ", wrong branch ", wrong_branch,
        ", undelivered ", undelivered, ", delivered to another branch ", misdelivered,
        ", unacknowledged ", unacknowledged, "; acks seen ", acks_seen, ", lost ", lost_acks,
        "; completions seen ", completions_seen, ", lost ", lost_completions,
        "; tickets without a clock ", without_clock, "; resolved orders ", resolved, ", callbacks ",
        callbacks, ", missing ", missing_callbacks, ", duplicates ", duplicate_callbacks);
  }
};

inline StormCounts CountStorm(const StoredStorm& s, const std::vector<CallerOutcome>& callers,
                              std::vector<BranchSystem*> systems) {
  StormCounts c;
  std::map<std::string, std::map<std::string, std::string>> delivered;  // branch -> orders
  std::set<std::string> acked;
  std::set<std::string> completed;
  for (BranchSystem* system : systems) {
    delivered[system->branch().branch_id] = system->Delivered();
    for (const std::string& id : system->Acknowledged()) {
      acked.insert(id);
    }
    for (const std::string& id : system->Completed()) {
      completed.insert(id);
    }
  }
  for (const CallerOutcome& o : callers) {
    if (!o.accepted) {
      ++c.given_up;
      continue;
    }
    ++c.accepted;
    auto stored = s.tickets_by_repair.find(o.n);
    if (stored == s.tickets_by_repair.end() || stored->second.front() != o.ticket_id) {
      ++c.lost_tickets;
    }
  }
  std::map<std::string, const StoredStorm::Order*> order_by_id;
  for (const auto& [n, ids] : s.tickets_by_repair) {
    c.stored += static_cast<int>(ids.size());
    c.duplicate_tickets += static_cast<int>(ids.size()) - 1;
    const std::string& owner = BranchOfRepair(n).branch_id;
    for (const std::string& ticket_id : ids) {
      if (s.clocks_by_ticket.count(ticket_id) == 0) {
        ++c.without_clock;
      }
      auto orders = s.orders_by_ticket.find(ticket_id);
      if (orders == s.orders_by_ticket.end()) {
        ++c.missing_orders;
        continue;
      }
      c.orders += static_cast<int>(orders->second.size());
      c.duplicate_orders += static_cast<int>(orders->second.size()) - 1;
      for (const StoredStorm::Order& order : orders->second) {
        order_by_id[order.order_id] = &order;
        if (order.branch_id != owner) {
          ++c.wrong_branch;
        }
        if (delivered[owner].count(order.order_id) == 0) {
          ++c.undelivered;
        }
        for (const auto& [branch_id, orders_seen] : delivered) {
          if (branch_id != owner && orders_seen.count(order.order_id) > 0) {
            ++c.misdelivered;
          }
        }
        if (!Acknowledged(order.status)) {
          ++c.unacknowledged;
        }
        if (order.status == "resolved") {
          ++c.resolved;
          auto callbacks = s.callbacks_by_ticket.find(ticket_id);
          const int n_callbacks = callbacks == s.callbacks_by_ticket.end() ? 0 : callbacks->second;
          c.callbacks += n_callbacks;
          c.missing_callbacks += n_callbacks == 0 ? 1 : 0;
          c.duplicate_callbacks += n_callbacks > 1 ? n_callbacks - 1 : 0;
        }
      }
    }
  }
  for (const std::string& id : acked) {
    ++c.acks_seen;
    auto order = order_by_id.find(id);
    if (order == order_by_id.end() || !Acknowledged(order->second->status)) {
      ++c.lost_acks;
    }
  }
  for (const std::string& id : completed) {
    ++c.completions_seen;
    auto order = order_by_id.find(id);
    if (order == order_by_id.end() || order->second->status != "resolved") {
      ++c.lost_completions;
    }
  }
  return c;
}

// sla's breaches and what intake recorded of them.
struct BreachCounts {
  int clocks = 0;                 // clocks of the storm's tickets
  int due = 0;                    // running clocks whose due time has passed on sla's clock
  int breached = 0;               // clocks with a breach
  int unbreached_due = 0;         // due but never breached
  int duplicate_breaches = 0;     // breach actions beyond one per clock
  int sla_breach_actions = 0;     // breach actions in sla
  int intake_breach_entries = 0;  // breach entries in intake's ticket histories

  int Inconsistencies() const {
    return unbreached_due + duplicate_breaches +
           std::abs(sla_breach_actions - intake_breach_entries);
  }
  std::string Line() const {
    return absl::StrCat("clocks ", clocks, ", due ", due, ", breached ", breached,
                        ", due but not breached ", unbreached_due, ", breaches fired twice ",
                        duplicate_breaches, "; breach actions in sla ", sla_breach_actions,
                        ", in intake's histories ", intake_breach_entries);
  }
};

// `sla_now`: the time on sla's clock.
inline BreachCounts CountBreaches(const Backend& backend, absl::Time sla_now) {
  BreachCounts b;
  pqxx::connection conn(backend.pg_uri());
  pqxx::read_transaction tx(conn);
  const std::string now = absl::StrCat(absl::ToUnixMicros(sla_now));
  const pqxx::row r = tx.exec_params1(
      "SELECT count(*), "
      "  count(*) FILTER (WHERE c.state = 'running' AND c.due_at <= to_timestamp($1::bigint / "
      "1e6)), "
      "  count(*) FILTER (WHERE c.breached), "
      "  count(*) FILTER (WHERE c.state = 'running' AND c.due_at <= to_timestamp($1::bigint / "
      "1e6) AND NOT c.breached AND NOT EXISTS (SELECT 1 FROM sla.actions a "
      "                 WHERE a.clock_id = c.clock_id AND a.kind = 'breach')) "
      "FROM sla.clocks c",
      now);
  b.clocks = r[0].as<int>();
  b.due = r[1].as<int>();
  b.breached = r[2].as<int>();
  b.unbreached_due = r[3].as<int>();
  b.duplicate_breaches = tx.exec1(
                               "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM "
                               "sla.actions WHERE kind = 'breach' GROUP BY clock_id) x")[0]
                             .as<int>();
  b.sla_breach_actions =
      tx.exec1("SELECT count(*) FROM sla.actions WHERE kind = 'breach'")[0].as<int>();
  b.intake_breach_entries = tx.exec1(
                                  "SELECT count(*) FROM intake.ticket_history "
                                  "WHERE action = 'deadline' AND detail LIKE 'breach:%'")[0]
                                .as<int>();
  return b;
}

// The call events intake answered OK for, against what it stored.
struct CallCounts {
  int calls = 0;                // calls sent
  int events_recorded = 0;      // events intake answered OK for
  int events_stored = 0;        // storm events in intake.call_events
  int lost_events = 0;          // answered OK, not stored
  int calls_not_abandoned = 0;  // all three events answered OK, the call not shown abandoned

  int Inconsistencies() const { return lost_events + calls_not_abandoned; }
  std::string Line() const {
    return absl::StrCat("calls ", calls, ", events recorded ", events_recorded, ", stored ",
                        events_stored, ", lost ", lost_events, ", calls not shown abandoned ",
                        calls_not_abandoned);
  }
};

inline CallCounts CountCalls(const Backend& backend, const std::set<std::string>& recorded,
                             int calls) {
  CallCounts c;
  c.calls = calls;
  c.events_recorded = static_cast<int>(recorded.size());
  pqxx::connection conn(backend.pg_uri());
  pqxx::read_transaction tx(conn);
  std::set<std::string> stored;
  for (const pqxx::row& row :
       tx.exec("SELECT event_id FROM intake.call_events WHERE event_id LIKE 'storm-call-%'")) {
    stored.insert(row[0].as<std::string>());
  }
  std::set<std::string> abandoned;
  for (const pqxx::row& row :
       tx.exec("SELECT call_id FROM intake.calls WHERE call_id LIKE 'storm-call-%' "
               "AND abandoned_at IS NOT NULL AND offered_at IS NOT NULL")) {
    abandoned.insert(row[0].as<std::string>());
  }
  c.events_stored = static_cast<int>(stored.size());
  for (const std::string& id : recorded) {
    c.lost_events += stored.count(id) == 0 ? 1 : 0;
  }
  for (int n = 0; n < calls; ++n) {
    const std::string call_id = absl::StrCat("storm-call-", n);
    const bool all_recorded = recorded.count(call_id + ".offered") > 0 &&
                              recorded.count(call_id + ".queued") > 0 &&
                              recorded.count(call_id + ".abandoned") > 0;
    if (all_recorded && abandoned.count(call_id) == 0) {
      ++c.calls_not_abandoned;
    }
  }
  return c;
}

}  // namespace hotline::testing::storm
