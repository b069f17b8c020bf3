#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace odis::sim::backend {

// Why one item of a batch is rejected: a snake_case code and details ({field, problem}, or {expected}).
struct Rejection
{
    QString code;
    QJsonObject details;
};

// One item of a batch, checked against the contract: the envelope, its kind's payload, the key naming the
// payload's id, the version being the SHA-256 of the payload's canonical JSON, and the cross-field rules.
struct CheckedItem
{
    QString kind;
    QString key;     // as sent ("" when it was not a string)
    QString version; // as sent ("" when it was not a string)
    QString observedAt;
    qint64 observedAtMs = 0;
    QJsonObject payload;
    std::optional<Rejection> rejection;
};

CheckedItem checkItem(const QJsonValue& item);

} // namespace odis::sim::backend
