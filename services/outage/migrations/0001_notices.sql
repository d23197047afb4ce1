-- Outage notices. `notice` is the serialized hotline.outage.v1.OutageNotice
-- as it stands; the columns beside it are what queries select by.
CREATE TABLE notices (
  notice_id       uuid PRIMARY KEY,
  kind            text NOT NULL,
  state           text NOT NULL,             -- proposed, scheduled, active, restored, cancelled
  planned_start   timestamptz NOT NULL,
  planned_restore timestamptz,               -- unknown for a proposal
  restored_at     timestamptz,
  version         bigint NOT NULL,
  late            boolean NOT NULL DEFAULT false,
  place_key       text NOT NULL DEFAULT '',  -- a proposal's place: "transformer_area:<id>", "feeder:<id>"
  notice          bytea NOT NULL,
  idempotency_key text,                      -- "<principal> <key>" of PublishNotice
  request_digest  text NOT NULL DEFAULT '',
  published_at    timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX notices_by_key ON notices (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX notices_open ON notices (planned_start) WHERE state IN ('scheduled', 'active');
CREATE INDEX notices_restored ON notices (restored_at) WHERE state = 'restored';
CREATE UNIQUE INDEX notices_proposed_place ON notices (place_key) WHERE state = 'proposed';

-- Every change of a notice, in order: WatchNotices' feed, and how the other
-- replicas learn of a change to keep their index. Inserted under one
-- transaction-level advisory lock, so sequences commit in their order.
CREATE TABLE notice_events (
  sequence  bigserial PRIMARY KEY,
  notice_id uuid NOT NULL REFERENCES notices (notice_id),
  kind      text NOT NULL,    -- published, amended, started, restored, cancelled, proposed, confirmed
  at        timestamptz NOT NULL,
  event     bytea NOT NULL    -- the serialized hotline.outage.v1.NoticeEvent (its sequence unset)
);

-- Reference data: transformer areas (台区) with their feeder, area and
-- customers, from --transformer-area-file. `transformer_area` is the
-- normalised id.
CREATE TABLE transformer_areas (
  transformer_area     text PRIMARY KEY,
  written_as           text NOT NULL,
  feeder               text NOT NULL DEFAULT '',
  province             text NOT NULL DEFAULT '',
  city                 text NOT NULL DEFAULT '',
  county               text NOT NULL DEFAULT '',
  township             text NOT NULL DEFAULT '',
  village_or_community text NOT NULL DEFAULT '',
  customers            bigint NOT NULL CHECK (customers >= 0)
);

-- Power accounts (户号) and their transformer area (normalised), from
-- --account-file: CheckAddress by account number.
CREATE TABLE accounts (
  account_number   text PRIMARY KEY,
  transformer_area text NOT NULL
);

-- Customers without power, per outage and transformer area, written as its
-- places are restored: the outage customer-hours and the reliability ratio.
CREATE TABLE interruptions (
  notice_id        uuid NOT NULL REFERENCES notices (notice_id),
  transformer_area text NOT NULL,
  customers        bigint NOT NULL,
  started_at       timestamptz NOT NULL,
  restored_at      timestamptz NOT NULL,
  PRIMARY KEY (notice_id, transformer_area)
);
CREATE INDEX interruptions_by_time ON interruptions (restored_at, started_at);

-- Repair calls by place (a transformer area or feeder, normalised in
-- `place_key`, as written in `place`), for grouping into suspected fault
-- outages: a new repair ticket (call_id = its ticket id) and each repeat call
-- intake merged into it as an urging (call_id "<ticket id>/urging/<n>").
-- `notice_id` is the proposal a call went into.
CREATE TABLE repair_calls (
  call_id    text NOT NULL,
  place_key  text NOT NULL,
  place      text NOT NULL,
  ticket_id  uuid NOT NULL,
  called_at  timestamptz NOT NULL,
  notice_id  uuid,
  noted_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (call_id, place_key)
);
CREATE INDEX repair_calls_by_place ON repair_calls (place_key, called_at);
CREATE INDEX repair_calls_by_ticket ON repair_calls (ticket_id);
CREATE INDEX repair_calls_by_noted_at ON repair_calls (noted_at);
