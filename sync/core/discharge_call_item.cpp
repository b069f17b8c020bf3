#include "sync/core/discharge_call_item.h"

#include "sync/core/local_time.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QRegularExpression>

namespace odis::sync {

namespace {

QJsonValue stringOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

std::unexpected<Error> invalidItem(const QString& message)
{
    return fail(QString(kDischargeItemInvalid), message);
}

// A nullable string member: empty for null, an error for a missing member or another type.
[[nodiscard]] Result<QString> nullableString(const QJsonObject& payload, QLatin1StringView key)
{
    const QJsonValue value = payload.value(key);
    if (value.isNull())
        return QString();
    if (!value.isString() || value.toString().isEmpty())
        return invalidItem(QString(key) + QStringLiteral(" is missing, empty or not a string"));
    return value.toString();
}

bool isE164(const QString& phone)
{
    static const QRegularExpression pattern(QStringLiteral("^\\+[0-9]{8,15}$"));
    return pattern.match(phone).hasMatch();
}

} // namespace

QString dischargeCallKey(const QString& appointmentId)
{
    return QStringLiteral("discharge_call:") + appointmentId;
}

QJsonObject dischargeCallPayload(const DischargeDecision& decision, const QTimeZone& clinicZone)
{
    const bool hasTime = decision.isCall() && decision.scheduledFor.isValid();
    QJsonObject payload;
    payload.insert(QLatin1StringView("neo_appointment_id"), decision.appointmentId);
    payload.insert(QLatin1StringView("neo_consultation_id"), stringOrNull(decision.consultationId));
    payload.insert(QLatin1StringView("decision"), decisionKindCode(decision.kind));
    payload.insert(QLatin1StringView("reason"), decision.wireReason());
    payload.insert(QLatin1StringView("scheduled_for"),
                   stringOrNull(hasTime ? formatUtcInstant(decision.scheduledFor) : QString()));
    payload.insert(QLatin1StringView("scheduled_for_local"),
                   stringOrNull(hasTime ? formatClinicLocal(decision.scheduledFor, clinicZone) : QString()));
    payload.insert(QLatin1StringView("customer_phone"), stringOrNull(decision.customerPhone));
    payload.insert(QLatin1StringView("rule_trace"), QJsonArray::fromStringList(decision.ruleTrace));
    // Optional members, absent when they do not apply (one call per owner per day).
    if (decision.kind == DecisionKind::Planned && !decision.group.isEmpty())
        payload.insert(QLatin1StringView("group"), QJsonArray::fromStringList(decision.group));
    if (decision.kind == DecisionKind::Grouped)
        payload.insert(QLatin1StringView("grouped_into"), decision.groupedInto);
    return payload;
}

Result<DischargeDecision> dischargeDecisionFromPayload(const QJsonObject& payload)
{
    DischargeDecision decision;
    const QJsonValue appointmentId = payload.value(QLatin1StringView("neo_appointment_id"));
    if (!appointmentId.isString() || appointmentId.toString().isEmpty())
        return invalidItem(QStringLiteral("neo_appointment_id is missing or not a string"));
    decision.appointmentId = appointmentId.toString();

    const auto consultationId = nullableString(payload, QLatin1StringView("neo_consultation_id"));
    if (!consultationId)
        return propagate(consultationId);
    decision.consultationId = *consultationId;

    const auto kind = decisionKindFromCode(payload.value(QLatin1StringView("decision")).toString());
    if (!kind)
        return invalidItem(QStringLiteral("decision is missing or unknown"));
    decision.kind = *kind;
    const auto reason = reasonFromWire(*kind, payload.value(QLatin1StringView("reason")).toString());
    if (!reason)
        return invalidItem(QStringLiteral("reason is missing or does not belong to the decision"));
    decision.reason = *reason;

    const auto scheduledFor = nullableString(payload, QLatin1StringView("scheduled_for"));
    if (!scheduledFor)
        return propagate(scheduledFor);
    if (!scheduledFor->isEmpty()) {
        decision.scheduledFor = parseUtcInstant(*scheduledFor);
        if (!decision.scheduledFor.isValid() || decision.scheduledFor.time().second() != 0)
            return invalidItem(QStringLiteral("scheduled_for is not a whole-minute UTC instant"));
    }
    if (decision.isCall() != decision.scheduledFor.isValid())
        return invalidItem(
            QStringLiteral("scheduled_for must be set for a planned or grouped call and only then"));

    const auto phone = nullableString(payload, QLatin1StringView("customer_phone"));
    if (!phone)
        return propagate(phone);
    if (!phone->isEmpty() && !isE164(*phone))
        return invalidItem(QStringLiteral("customer_phone is not an E.164 number"));
    decision.customerPhone = *phone;

    const QJsonValue trace = payload.value(QLatin1StringView("rule_trace"));
    if (!trace.isArray())
        return invalidItem(QStringLiteral("rule_trace is missing or not an array"));
    for (const QJsonValue entry : trace.toArray()) {
        if (!entry.isString())
            return invalidItem(QStringLiteral("rule_trace holds a value that is not a string"));
        decision.ruleTrace.append(entry.toString());
    }

    const QJsonValue group = payload.value(QLatin1StringView("group"));
    if (!group.isUndefined()) {
        if (decision.kind != DecisionKind::Planned || !group.isArray() || group.toArray().size() < 2)
            return invalidItem(QStringLiteral("group is only a list of two or more ids on a planned call"));
        for (const QJsonValue id : group.toArray()) {
            if (!id.isString() || id.toString().isEmpty() || decision.group.contains(id.toString()))
                return invalidItem(
                    QStringLiteral("group holds an id that is empty, repeated or not a string"));
            decision.group.append(id.toString());
        }
        if (!decision.group.contains(decision.appointmentId))
            return invalidItem(QStringLiteral("group does not hold the call's own appointment id"));
    }
    const QJsonValue groupedInto = payload.value(QLatin1StringView("grouped_into"));
    if ((decision.kind == DecisionKind::Grouped) != !groupedInto.isUndefined())
        return invalidItem(QStringLiteral("grouped_into must be set for a grouped call and only then"));
    if (decision.kind == DecisionKind::Grouped) {
        if (!groupedInto.isString() || groupedInto.toString().isEmpty() ||
            groupedInto.toString() == decision.appointmentId)
            return invalidItem(QStringLiteral("grouped_into is not another appointment id"));
        decision.groupedInto = groupedInto.toString();
    }
    if (decision.isCall() && decision.customerPhone.isEmpty())
        return invalidItem(QStringLiteral("customer_phone is missing on a planned or grouped call"));
    return decision;
}

} // namespace odis::sync
