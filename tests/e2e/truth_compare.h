#pragma once

// Comparing what the backend double holds with the Neo simulator's ground truth.

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace odis::test {

// The latest item per key, as an object keyed by the item's key ("appointment:640025").
QHash<QString, QJsonObject> payloadsByKey(const QJsonArray& items);

// How what the backend double holds differs from the ground truth: per kind, each ground-truth record
// compared with the uploaded payload projected onto the record's fields, keys missing and keys extra.
// Empty when they agree.
QStringList truthDifferences(const QJsonObject& truth, const QJsonArray& items);

} // namespace odis::test
