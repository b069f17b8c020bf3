#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace odis::sim::backend {

// The canonical JSON of docs/backend-api.md, written independently of the agent's: object keys sorted by
// UTF-16 code units, no white space, strings escaped only as JSON requires (non-ASCII kept as UTF-8),
// integers without a fraction, other numbers in their shortest round-trip form.
QByteArray canonicalJson(const QJsonValue& value);

QString sha256Hex(QByteArrayView data);
// An item's `version`: the lower-case hex SHA-256 of its payload's canonical JSON.
QString payloadVersion(const QJsonObject& payload);

} // namespace odis::sim::backend
