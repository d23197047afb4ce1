#include "libs/pg/library_migrations.h"

namespace hotline::pg {

const std::vector<Migration>& LibraryMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "outbox", R"sql(
CREATE TABLE outbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        text NOT NULL UNIQUE,
  destination     text NOT NULL,
  topic           text NOT NULL,
  key             text NOT NULL,
  payload         bytea NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  delivered_at    timestamptz
);
-- The relay walks undelivered rows in id order; delivered rows leave the index.
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE delivered_at IS NULL;
-- For purging delivered rows by age.
CREATE INDEX outbox_delivered_at_idx ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;
)sql"},
      {2, "inbox", R"sql(
CREATE TABLE inbox (
  event_id    text PRIMARY KEY,
  topic       text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbox_received_at_idx ON inbox (received_at);
)sql"},
      {3, "outbox leases", R"sql(
-- A relay claims a batch by leasing it (short transaction), sends it, then
-- marks it; a relay that dies leaves rows that become due again when the
-- lease ends. Each destination's relay walks its own pending rows.
ALTER TABLE outbox ADD COLUMN leased_until timestamptz;
CREATE INDEX outbox_destination_pending_idx ON outbox (destination, id)
  WHERE delivered_at IS NULL;
)sql"},
      {4, "outbox room for leases", R"sql(
-- A row is written, leased (leased_until, which no index covers) and marked
-- delivered. The lease stays on the row's page as a heap-only tuple, with no
-- new entry in any of the five indexes, only when that page has room: new
-- pages keep 40% of their space for it.
ALTER TABLE outbox SET (fillfactor = 60);
)sql"},
  };
  return kMigrations;
}

}  // namespace hotline::pg
