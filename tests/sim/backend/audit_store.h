#pragma once

#include "storage/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace odis::sim::backend {

class BackendDatabase;

// Each agent's shipped audit chain. Entries are appended at head + 1 only, and each must name the hash of
// the entry before it; a resent entry with the same hash is accepted again, one with another hash is a
// rewritten log. The head (acked_through_seq) is the anchor a truncated or rewritten local log is checked
// against. An entry past a gap is not stored: the agent resends from head + 1.
class AuditStore
{
public:
    explicit AuditStore(BackendDatabase& db);

    // All or nothing: "audit_chain_conflict" (a stored seq with another hash) or "audit_chain_broken" (a
    // prev_hash that is not the previous entry's hash) leave the chain as it was. Returns the head.
    Result<qint64> append(const QString& agentId, const QJsonArray& entries);
    Result<qint64> head(const QString& agentId);
    Result<QJsonArray> entries(const QString& agentId);
    Result<QJsonArray> heads();

private:
    BackendDatabase& m_db;
};

} // namespace odis::sim::backend
