#include "storage/schema.h"

#include <array>

namespace odis::storage {

namespace {

// v1: the foundation. Times are ISO 8601 UTC text ("2026-03-10T16:00:00.000Z").
const Migration kV1{1, QStringLiteral("foundation: key-value state, audit log, IDEXX credential state"),
                    QStringLiteral(R"sql(
CREATE TABLE kv (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Append-only HMAC hash chain (storage/audit_log.h); the triggers make the application unable to
-- rewrite history by accident: no update, no delete, and seq only ever grows by one.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    outcome   TEXT NOT NULL,
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash      TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_in_order BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)
BEGIN SELECT RAISE(ABORT, 'audit_log seq must follow the last entry'); END;

-- The IDEXX credential triple lives in the keychain; only its lifecycle state is kept here.
CREATE TABLE credential_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    state      TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    reason     TEXT
);
)sql")};

// v2: what one sync run reads, decides and uploads. Every table a run writes is keyed so that a run
// killed at any point and resumed neither loses nor duplicates anything (see sync/README in docs).
const Migration kV2{
    2,
    QStringLiteral(
        "sync: observations, Neo read state, discharge decisions, outbox, runs, profile, telemetry"),
    QStringLiteral(R"sql(
-- The latest observation of every item read from Neo or decided here, by its backend key
-- ("appointment:<id>", "consultation:<id>", "discharge_call:<id>"). payload is canonical JSON and
-- version its SHA-256: reconciliation compares versions, never re-parses old payloads to decide.
CREATE TABLE observations (
    key           TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    version       TEXT NOT NULL,
    payload       TEXT NOT NULL,
    observed_at   TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    local_date    TEXT,               -- appointments: clinic-local visit date (window and retention)
    removed       INTEGER NOT NULL DEFAULT 0,
    acked         INTEGER NOT NULL DEFAULT 0  -- the backend stored this version (retention may purge)
);
CREATE INDEX observations_kind_date ON observations(kind, local_date);

-- Per consultation: when page-data was last read and against which schedule row version, so an
-- unchanged clinic costs one schedule call; failures are retried on the next run.
CREATE TABLE neo_reads (
    consultation_id TEXT PRIMARY KEY,
    appointment_id  TEXT NOT NULL,
    row_version     TEXT,
    fetched_at      TEXT,
    failures        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT
);

-- The decision per appointment, with its reason, kept for staff ("why was this owner not called?").
CREATE TABLE discharge_decisions (
    appointment_id      TEXT PRIMARY KEY,
    consultation_id     TEXT,
    decision            TEXT NOT NULL,
    reason              TEXT NOT NULL,
    scheduled_for       TEXT,
    scheduled_for_local TEXT,
    customer_phone      TEXT,
    rule_trace          TEXT NOT NULL,
    decided_at          TEXT NOT NULL,
    run_id              TEXT NOT NULL
);

-- Items waiting for the backend (sync/backend/outbox.h). Deleted only when the backend answered stored
-- or unchanged. payload is the canonical JSON exactly as uploaded. One key may have several rows: a
-- version frozen in a batch stays as it is while a newer one waits behind it (older pending rows of the
-- key are superseded, i.e. deleted, when a newer version is queued).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL,
    kind            TEXT NOT NULL,
    version         TEXT NOT NULL,
    observed_at     TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error      TEXT,
    dead            INTEGER NOT NULL DEFAULT 0,   -- rejected: waits for a person to retry it
    failed_at       TEXT,                         -- when it became dead
    batch_id        TEXT                          -- frozen in this outbox_batches row; NULL: pending
);
CREATE INDEX outbox_pending ON outbox(dead, batch_id, id);
CREATE INDEX outbox_key ON outbox(key);
CREATE INDEX outbox_batch ON outbox(batch_id);

-- A batch is formed (its items, clinic, run and sent_at frozen) before its first send, so a retry after
-- a crash resends the identical body under the same Idempotency-Key (= batch_id).
CREATE TABLE outbox_batches (
    batch_id   TEXT PRIMARY KEY,
    run_id     TEXT NOT NULL,
    clinic_id  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT NOT NULL
);

-- One row per sync run (agent/run/run_log.h), written when the run starts and before each step, so a
-- run killed anywhere is still 'running' at the next start and says where it stopped.
CREATE TABLE runs (
    run_id         TEXT PRIMARY KEY,
    trigger        TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    status         TEXT NOT NULL,
    step           TEXT,
    counts         TEXT NOT NULL DEFAULT '{}',  -- the run report's counts, as a JSON object
    error_code     TEXT,
    error_message  TEXT,
    duration_ms    INTEGER,
    peak_rss_mb    REAL,
    drift_warnings INTEGER NOT NULL DEFAULT 0,  -- Neo layout drift seen by the run (an alert input)
    updated_at     TEXT NOT NULL,               -- last write: bounds the duration of an interrupted run
    reported       TEXT NOT NULL DEFAULT ''     -- run reports the backend acknowledged: "start", "end"
);
CREATE INDEX runs_started ON runs(started_at);
CREATE INDEX runs_status ON runs(status);

CREATE TABLE clinic_profile (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    etag       TEXT,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);

-- Analytics only (never clinic data): the five PostHog events (agent/telemetry/), checked against an
-- allow-list before they are queued; capped, the oldest dropped first when full; a row is deleted once
-- PostHog answered 2xx for it.
CREATE TABLE telemetry_queue (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    event      TEXT NOT NULL,
    timestamp  TEXT NOT NULL,
    properties TEXT NOT NULL
);

-- Encrypted diagnostics (AES-256-GCM sealed screenshots and DOM outlines), purged after expires_at.
CREATE TABLE diagnostics (
    id         INTEGER PRIMARY KEY,
    run_id     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    sealed     BLOB NOT NULL
);

-- Appointments seen per clinic-local day, for the volume-collapse check against the recent baseline.
CREATE TABLE schedule_volume (
    local_date  TEXT PRIMARY KEY,
    count       INTEGER NOT NULL,
    observed_at TEXT NOT NULL
);
)sql")};

// v3: upload tallies. A run killed in the middle of its upload and resumed must still report every
// item it delivered; the count is kept in the same transaction that deletes the acknowledged items.
const Migration kV3{3, QStringLiteral("sync: per-run upload tallies"), QStringLiteral(R"sql(
-- What each run's uploads did to the outbox (sync/backend/outbox_batches.h), counted in the transaction
-- that applied the backend's answer. Kept while the run is in the runs table.
CREATE TABLE upload_tallies (
    run_id       TEXT PRIMARY KEY,
    acknowledged INTEGER NOT NULL DEFAULT 0,   -- stored or unchanged, and deleted from the outbox
    rejected     INTEGER NOT NULL DEFAULT 0    -- moved to the failed queue
);
)sql")};

// v4: the resident agent's remote commands (agent/heartbeat/command_journal.h). A command id is carried
// out once: delivered again (its acknowledgement was lost, or the agent restarted) it is only
// acknowledged again, with the result kept here.
const Migration kV4{4, QStringLiteral("agent: remote commands received, their results and acknowledgements"),
                    QStringLiteral(R"sql(
CREATE TABLE remote_commands (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    finished_at TEXT,
    result      TEXT,            -- the acknowledgement's result (JSON, no clinic data); NULL while running
    ack_key     TEXT NOT NULL,   -- Idempotency-Key of the acknowledgement, the same for every retry
    acked_at    TEXT             -- the backend took the acknowledgement
);
)sql")};

// v5: what a run could not trust in Neo's answers (docs/idexx-neo.md, "Absent is not empty",
// "Destructive changes need proof"): the presence baseline of Neo's optional fields, the destructive
// changes held back until a second read, and the run's warnings for its report and the heartbeat.
const Migration kV5{5, QStringLiteral("sync: Neo field presence, held-back changes, run warnings"),
                    QStringLiteral(R"sql(
-- Per Optional field of Neo's contract (sync/core/neo_contract.h), keyed "<endpoint> <shape> <field>":
-- on how many rows of earlier reads it could have been and how many had it. A field that every row of a
-- run leaves out, against a high rate here, is drift: the stored values are kept.
CREATE TABLE neo_field_presence (
    field_key    TEXT PRIMARY KEY,
    rows_seen    INTEGER NOT NULL,
    rows_present INTEGER NOT NULL,
    updated_at   TEXT NOT NULL
);

-- Destructive changes (notes emptied, a phone removed, a finished visit no longer finished) seen once
-- and not applied: the next read of the item applies them if it shows them again, else drops them
-- (sync/core/change_guard.h). One row per item key and kind.
CREATE TABLE held_changes (
    key    TEXT NOT NULL,
    kind   TEXT NOT NULL,
    since  TEXT NOT NULL,
    run_id TEXT NOT NULL,
    PRIMARY KEY (key, kind)
);

-- What the run has to say (sync/core/run_warnings.h), as the JSON array its report carries.
ALTER TABLE runs ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
)sql")};

// v6: end-of-life findings per patient (docs/discharge-rules.md, "The patient, not only the visit"). A
// finding never reverts by itself, so it is kept apart from the observations it was made on (notes get
// edited, appointments removed). The kv marker asks the next run to look through everything stored
// before this version once (the run deletes it in the transaction that stores what it found).
const Migration kV6{6, QStringLiteral("discharge: end-of-life findings per patient"), QStringLiteral(R"sql(
-- The first end-of-life finding of each Neo patient: the appointment it was made on, the rule
-- ('end_of_life' or 'end_of_life_possible') and the matched words as the decision trace shows them
-- (never the notes themselves). Rows are only ever added (deprovisioning empties the table).
CREATE TABLE patient_findings (
    patient_id     TEXT PRIMARY KEY,
    appointment_id TEXT NOT NULL,
    rule           TEXT NOT NULL CHECK (rule IN ('end_of_life', 'end_of_life_possible')),
    words          TEXT NOT NULL,
    found_at       TEXT NOT NULL,
    run_id         TEXT NOT NULL
);
CREATE TRIGGER patient_findings_no_update BEFORE UPDATE ON patient_findings
BEGIN SELECT RAISE(ABORT, 'patient_findings never change'); END;

INSERT INTO kv(key, value, updated_at)
VALUES ('discharge.findings_backfill', 'pending', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
)sql")};

const std::array kMigrations{kV1, kV2, kV3, kV4, kV5, kV6};

} // namespace

std::span<const Migration> agentMigrations()
{
    return kMigrations;
}

} // namespace odis::storage
