#pragma once

#include <QStringList>

namespace odis::sim::backend {

// The backend double's tables. Timestamps are UTC ISO 8601 text; *_json columns hold JSON text.
// items keeps the latest observation per (clinic, key); observations keeps every one of them, which is
// what duplicate counting reads.
const QStringList& backendSchema();
// Every table, in an order that deletes cleanly.
const QStringList& backendTables();

} // namespace odis::sim::backend
