#include "storage/schema.h"

#include <array>

namespace odis::storage {

namespace {

// v1: the foundation. Times are ISO 8601 UTC text ("2026-03-10T16:00:00.000Z").
const Migration kV1{
    1,
    QStringLiteral("foundation: key-value state, audit log, IDEXX credential state"),
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

const std::array kMigrations{kV1};

} // namespace

std::span<const Migration> agentMigrations()
{
    return kMigrations;
}

} // namespace odis::storage
