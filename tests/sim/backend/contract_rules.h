#pragma once

#include "tests/sim/backend/json_rules.h"

#include <QList>
#include <QStringList>

namespace odis::sim::backend::contract {

// The request bodies of docs/backend-api.md as field rules. Cross-field rules (an item's key naming its
// payload's id, a planned call having a time, ...) live in item_validator.cpp.

const QStringList& itemKinds();           // appointment, consultation, discharge_call
const QStringList& appointmentStatuses(); // scheduled, checked_in, ...
const QStringList& runTriggers();
const QStringList& runStatuses();
const QStringList& runWarningCodes();
const QStringList& heldBackKinds();
const QStringList& credentialStates();
const QStringList& commandTypes();
const QStringList& dischargeDecisions();
const QStringList& posthogEvents();

const QList<Field>& enrollRequest();
const QList<Field>& batchEnvelope(); // without the items' contents
const QList<Field>& itemEnvelope();
const QList<Field>& appointmentPayload();
const QList<Field>& consultationPayload();
const QList<Field>& dischargeCallPayload();
const QList<Field>& runReport();
const QList<Field>& heartbeat();
const QList<Field>& commandAck();
const QList<Field>& auditBatch();
const QList<Field>& posthogBatch();

} // namespace odis::sim::backend::contract
