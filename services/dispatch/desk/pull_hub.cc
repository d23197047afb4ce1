#include "services/dispatch/desk/pull_hub.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/events/publisher.h"
#include "libs/log/log.h"
#include "libs/pg/transaction.h"

namespace hotline::dispatch {
namespace {

constexpr absl::string_view kComponent = "dispatch.pull";

bool IsPullerId(absl::string_view id) {
  return id.size() == 36 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
         });
}

}  // namespace

std::string PullCursor::ToString() const { return absl::StrCat(puller_id, ".", position); }

absl::StatusOr<PullCursor> PullCursor::Parse(absl::string_view text) {
  size_t dot = text.find('.');
  PullCursor cursor;
  if (dot == absl::string_view::npos || !IsPullerId(text.substr(0, dot)) ||
      !absl::SimpleAtoi(text.substr(dot + 1), &cursor.position) || cursor.position < 0) {
    return absl::InvalidArgumentError(
        "cursor: not one this service gave out (pass the cursor of the last message, or none)");
  }
  cursor.puller_id = std::string(text.substr(0, dot));
  return cursor;
}

PullCursor PullCursor::Fresh() {
  PullCursor cursor;
  cursor.puller_id = events::NewUuid();
  return cursor;
}

PullHub::PullHub(pg::Pool& pool, OrderQueue& queue, PullOptions options, const clock::Clock& clock)
    : pool_(pool),
      queue_(queue),
      options_(options),
      clock_(clock),
      worker_({"dispatch.pull_hub", options.poll_interval},
              [this]() -> absl::StatusOr<absl::Duration> { return Round(); }) {}

PullHub::~PullHub() { Stop(); }

void PullHub::Start() { worker_.Start(); }

void PullHub::Stop() { worker_.Stop(); }

void PullHub::Drain() {
  {
    absl::MutexLock lock(&mu_);
    draining_ = true;
  }
  worker_.Wake();
}

void PullHub::Add(std::shared_ptr<PullSession> session) {
  {
    absl::MutexLock lock(&mu_);
    entries_.push_back({std::move(session), absl::InfinitePast()});
  }
  worker_.Wake();
}

void PullHub::Wake(const std::string& branch_id) { WakeFor(branch_id, false); }

void PullHub::WakeFromDatabase(const std::string& branch_id) { WakeFor(branch_id, true); }

void PullHub::WakeFor(const std::string& branch_id, bool from_database) {
  {
    absl::MutexLock lock(&mu_);
    std::set<std::string>& woken = from_database ? woken_by_database_ : woken_;
    if (branch_id.empty()) {
      for (const Entry& entry : entries_) {
        woken.insert(entry.session->branch_id());
      }
    } else {
      woken.insert(branch_id);
    }
  }
  worker_.Wake();
}

absl::Duration PullHub::Round() {
  const absl::Time now = clock_.Now();
  std::vector<std::pair<std::shared_ptr<PullSession>, bool>> due;  // session, from PostgreSQL
  absl::Time next = now + options_.poll_interval;
  {
    absl::MutexLock lock(&mu_);
    if (draining_) {
      for (Entry& entry : entries_) {
        entry.session->End(entry.session->cursor_.ToString());
      }
      entries_.clear();
      return options_.poll_interval;
    }
    std::vector<Entry> open;
    for (Entry& entry : entries_) {
      if (entry.session->Closed()) {
        continue;
      }
      std::optional<absl::Time> deadline = entry.session->deadline();
      const bool from_database = woken_by_database_.count(entry.session->branch_id()) > 0;
      if (entry.due <= now || woken_.count(entry.session->branch_id()) > 0 || from_database ||
          (deadline.has_value() && *deadline <= now)) {
        due.emplace_back(entry.session, from_database);
        entry.due = now + options_.poll_interval;
      }
      next = std::min(next, entry.due);
      if (deadline.has_value()) {
        next = std::min(next, std::max(*deadline, now));
      }
      open.push_back(std::move(entry));
    }
    entries_ = std::move(open);
    woken_.clear();
    woken_by_database_.clear();
  }
  if (!due.empty()) {
    for (const auto& [session, from_database] : due) {
      Serve(*session, from_database);
    }
    return absl::ZeroDuration();  // look again at once: serving took time
  }
  return next - now;
}

void PullHub::Serve(PullSession& session, bool from_database) {
  if (session.Closed() || session.Busy()) {
    return;
  }
  const std::string& branch = session.branch_id();
  std::optional<std::vector<std::string>> candidates;  // none: lease from PostgreSQL
  if (!from_database) {
    absl::StatusOr<std::vector<std::string>> front = queue_.Front(branch, options_.queue_front);
    if (front.ok()) {
      candidates = std::move(*front);
    } else {
      log::Warn(kComponent, "queue of ", branch,
                " unreadable, leasing from PostgreSQL: ", front.status().ToString());
    }
  }
  const bool resume = session.resume_;
  absl::StatusOr<std::vector<Delivery>> deliveries;
  if (!resume && candidates.has_value() && candidates->empty()) {
    deliveries = std::vector<Delivery>();
  } else {
    deliveries = pg::WithTransactionResult<std::vector<Delivery>>(
        pool_, [&](pqxx::work& tx) -> absl::StatusOr<std::vector<Delivery>> {
          std::vector<Delivery> out;
          if (resume) {
            absl::StatusOr<std::vector<Delivery>> held =
                HeldLeases(tx, branch, session.cursor_.puller_id, session.cursor_.position);
            if (!held.ok()) {
              return held.status();
            }
            out = std::move(*held);
          }
          if (!candidates.has_value() || !candidates->empty()) {
            absl::StatusOr<std::vector<Delivery>> claimed =
                ClaimOrders(tx, branch, session.cursor_.puller_id, session.max_outstanding(),
                            options_.lease, candidates);
            if (!claimed.ok()) {
              return claimed.status();
            }
            for (Delivery& d : *claimed) {
              out.push_back(std::move(d));
            }
            // A full front may be all leased to other pullers: the orders
            // behind it are looked for in PostgreSQL, so they do not starve.
            if (candidates.has_value() &&
                static_cast<int>(candidates->size()) >= options_.queue_front &&
                static_cast<int>(claimed->size()) < session.max_outstanding()) {
              absl::StatusOr<std::vector<Delivery>> behind =
                  ClaimOrders(tx, branch, session.cursor_.puller_id, session.max_outstanding(),
                              options_.lease, std::nullopt);
              if (!behind.ok()) {
                return behind.status();
              }
              for (Delivery& d : *behind) {
                out.push_back(std::move(d));
              }
            }
          }
          return out;
        });
  }
  const bool expired = session.deadline().has_value() && *session.deadline() <= clock_.Now();
  if (!deliveries.ok()) {
    log::Warn(kComponent, "leasing orders of ", branch, ": ", deliveries.status().ToString());
    if (expired) {
      session.Expire(session.cursor_.ToString());
    }
    return;
  }
  session.resume_ = false;
  if (!deliveries->empty()) {
    for (const Delivery& d : *deliveries) {
      session.cursor_.position = std::max(session.cursor_.position, d.position);
    }
    session.Deliver(std::move(*deliveries), session.cursor_.ToString());
    return;
  }
  if (expired) {
    session.Expire(session.cursor_.ToString());
  }
}

}  // namespace hotline::dispatch
