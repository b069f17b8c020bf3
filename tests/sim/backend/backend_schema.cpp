#include "tests/sim/backend/backend_schema.h"

namespace odis::sim::backend {

const QStringList& backendSchema()
{
    static const QStringList statements{
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS enrollment_codes(code TEXT PRIMARY KEY, clinic_id TEXT NOT NULL, "
            "created_at TEXT NOT NULL, used_at TEXT, agent_id TEXT)"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS agents(agent_id TEXT PRIMARY KEY, clinic_id TEXT NOT NULL, "
            "hostname TEXT NOT NULL, os TEXT NOT NULL, agent_version TEXT NOT NULL, "
            "enrolled_at TEXT NOT NULL, deprovisioned_at TEXT)"),
        // Only a hash of each token is kept: the double never needs the token itself back.
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS tokens(token_sha256 TEXT PRIMARY KEY, agent_id TEXT NOT NULL, "
            "issued_at TEXT NOT NULL, revoked_at TEXT)"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS clinic_profiles(clinic_id TEXT PRIMARY KEY, profile_json TEXT NOT "
            "NULL, etag TEXT NOT NULL, updated_at TEXT NOT NULL)"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS idempotency(scope TEXT NOT NULL, key TEXT NOT NULL, route TEXT NOT "
            "NULL, fingerprint TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL, "
            "body BLOB NOT NULL, created_at TEXT NOT NULL, replays INTEGER NOT NULL DEFAULT 0, "
            "PRIMARY KEY(scope, key))"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS batches(batch_id TEXT NOT NULL, agent_id TEXT NOT NULL, "
            "clinic_id TEXT NOT NULL, run_id TEXT NOT NULL, sent_at TEXT NOT NULL, received_at TEXT NOT "
            "NULL, item_count INTEGER NOT NULL, wire_bytes INTEGER NOT NULL, gzip INTEGER NOT NULL, "
            "stored INTEGER NOT NULL, unchanged INTEGER NOT NULL, rejected INTEGER NOT NULL, "
            "PRIMARY KEY(agent_id, batch_id))"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS observations(id INTEGER PRIMARY KEY AUTOINCREMENT, clinic_id TEXT "
            "NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL, version TEXT NOT NULL, observed_at TEXT NOT "
            "NULL, observed_at_ms INTEGER NOT NULL, batch_id TEXT NOT NULL, received_at TEXT NOT NULL, "
            "outcome TEXT NOT NULL, payload_json TEXT NOT NULL)"),
        QStringLiteral(
            "CREATE INDEX IF NOT EXISTS observations_by_key ON observations(clinic_id, key, version)"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS items(clinic_id TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT "
            "NULL, version TEXT NOT NULL, observed_at TEXT NOT NULL, observed_at_ms INTEGER NOT NULL, "
            "batch_id TEXT NOT NULL, updated_at TEXT NOT NULL, payload_json TEXT NOT NULL, "
            "PRIMARY KEY(clinic_id, key))"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS rejected_items(id INTEGER PRIMARY KEY AUTOINCREMENT, batch_id TEXT "
            "NOT NULL, key TEXT NOT NULL, version TEXT NOT NULL, error TEXT NOT NULL, details_json TEXT "
            "NOT NULL, received_at TEXT NOT NULL)"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS runs(agent_id TEXT NOT NULL, run_id TEXT NOT NULL, status TEXT NOT "
            "NULL, first_received_at TEXT NOT NULL, last_received_at TEXT NOT NULL, reports INTEGER NOT "
            "NULL, report_json TEXT NOT NULL, PRIMARY KEY(agent_id, run_id))"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS run_reports(id INTEGER PRIMARY KEY AUTOINCREMENT, agent_id TEXT NOT "
            "NULL, run_id TEXT NOT NULL, received_at TEXT NOT NULL, report_json TEXT NOT NULL)"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS heartbeats(id INTEGER PRIMARY KEY AUTOINCREMENT, agent_id TEXT NOT "
            "NULL, received_at TEXT NOT NULL, heartbeat_json TEXT NOT NULL)"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS commands(id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, type TEXT NOT "
            "NULL, args_json TEXT NOT NULL, created_at TEXT NOT NULL, deliveries INTEGER NOT NULL DEFAULT 0, "
            "first_delivered_at TEXT, acked_at TEXT, result_json TEXT)"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS audit_entries(agent_id TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT "
            "NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT "
            "NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, received_at TEXT NOT NULL, "
            "PRIMARY KEY(agent_id, seq))"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS posthog_events(id INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT "
            "NULL, distinct_id TEXT NOT NULL, timestamp TEXT NOT NULL, uuid TEXT NOT NULL, received_at "
            "TEXT NOT NULL, pii_suspect INTEGER NOT NULL, properties_json TEXT NOT NULL)"),
    };
    return statements;
}

const QStringList& backendTables()
{
    static const QStringList tables{
        QStringLiteral("enrollment_codes"), QStringLiteral("tokens"),
        QStringLiteral("agents"),           QStringLiteral("clinic_profiles"),
        QStringLiteral("idempotency"),      QStringLiteral("batches"),
        QStringLiteral("observations"),     QStringLiteral("items"),
        QStringLiteral("rejected_items"),   QStringLiteral("runs"),
        QStringLiteral("run_reports"),      QStringLiteral("heartbeats"),
        QStringLiteral("commands"),         QStringLiteral("audit_entries"),
        QStringLiteral("posthog_events"),
    };
    return tables;
}

} // namespace odis::sim::backend
