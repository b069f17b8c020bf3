#include "tests/sim/backend/item_validator.h"

#include "tests/sim/backend/canonical_json.h"
#include "tests/sim/backend/contract_rules.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QStringList>

namespace odis::sim::backend {

namespace {

Rejection fromViolation(const QString& code, const Violation& v)
{
    return Rejection{code, v.toJson()};
}

Rejection crossField(const QString& field, const QString& problem)
{
    return Rejection{QStringLiteral("invalid_payload"),
                     QJsonObject{{QStringLiteral("field"), field}, {QStringLiteral("problem"), problem}}};
}

const QList<Field>& payloadRules(const QString& kind)
{
    if (kind == QStringLiteral("appointment"))
        return contract::appointmentPayload();
    if (kind == QStringLiteral("consultation"))
        return contract::consultationPayload();
    return contract::dischargeCallPayload();
}

QString identityField(const QString& kind)
{
    return kind == QStringLiteral("consultation") ? QStringLiteral("neo_consultation_id")
                                                  : QStringLiteral("neo_appointment_id");
}

std::optional<Rejection> appointmentRules(const QJsonObject& p)
{
    const bool removed = p.value(QStringLiteral("removed")).toBool();
    const bool hasReason = p.contains(QStringLiteral("removed_reason"));
    if (removed && !hasReason)
        return crossField(QStringLiteral("payload.removed_reason"),
                          QStringLiteral("is required when removed is true"));
    if (!removed && hasReason)
        return crossField(QStringLiteral("payload.removed_reason"),
                          QStringLiteral("is only sent when removed is true"));
    return std::nullopt;
}

// notes_html holds only the allow-list of docs/backend-api.md ("Payload fields, exactly"): each tag one
// of the kept elements, with no attribute but colspan/rowspan on td/th, start on ol, value on li (digits),
// and no '<' or '>' outside tags. This double's own reading of the rule, not the agent's sanitiser.
bool notesHtmlAllowed(const QString& html)
{
    static const QRegularExpression tag(QStringLiteral("<[^<>]*>"));
    static const QRegularExpression allowed(QStringLiteral(
        R"(^<(?:/?(?:p|div|span|pre|code|blockquote|b|strong|i|em|u|s|small|sub|sup|mark|h[1-6]|ul|dl|dt|)"
        R"(dd|table|caption|thead|tbody|tfoot|tr|ol|li|th|td)|br|hr|ol start="\d{1,4}"|li value="\d{1,4}"|)"
        R"(t[hd](?: colspan="\d{1,4}")?(?: rowspan="\d{1,4}")?)>$)"));
    qsizetype textFrom = 0;
    for (auto it = tag.globalMatch(html); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        const QStringView between = QStringView(html).sliced(textFrom, match.capturedStart() - textFrom);
        if (between.contains(u'<') || between.contains(u'>') || !allowed.match(match.captured()).hasMatch())
            return false;
        textFrom = match.capturedEnd();
    }
    const QStringView rest = QStringView(html).sliced(textFrom);
    return !rest.contains(u'<') && !rest.contains(u'>');
}

std::optional<Rejection> consultationRules(const QJsonObject& p)
{
    if (!notesHtmlAllowed(p.value(QStringLiteral("notes_html")).toString()))
        return crossField(QStringLiteral("payload.notes_html"),
                          QStringLiteral("holds markup outside the allow-list (scripts, handlers, styles, "
                                         "URLs or other elements)"));
    const bool expected = !p.value(QStringLiteral("notes_text")).toString().isEmpty() ||
                          !p.value(QStringLiteral("discharge_summary")).toString().isEmpty();
    if (p.value(QStringLiteral("has_notes")).toBool() != expected)
        return crossField(
            QStringLiteral("payload.has_notes"),
            QStringLiteral("must be true exactly when notes_text or discharge_summary is non-empty"));
    return std::nullopt;
}

// One call per owner per day: a planned carrier lists every appointment it covers (two or more distinct
// ids, its own among them); a grouped call names another appointment as its carrier.
std::optional<Rejection> groupRules(const QJsonObject& p, const QString& decision)
{
    const QString id = p.value(QStringLiteral("neo_appointment_id")).toString();
    if (p.contains(QStringLiteral("group"))) {
        if (decision != QStringLiteral("planned"))
            return crossField(QStringLiteral("payload.group"),
                              QStringLiteral("is only sent on a planned call"));
        const QJsonArray group = p.value(QStringLiteral("group")).toArray();
        QStringList ids;
        for (const QJsonValue member : group) {
            if (ids.contains(member.toString()))
                return crossField(QStringLiteral("payload.group"),
                                  QStringLiteral("repeats an appointment id"));
            ids.append(member.toString());
        }
        if (ids.size() < 2 || !ids.contains(id))
            return crossField(QStringLiteral("payload.group"),
                              QStringLiteral("must hold two or more ids, the call's own among them"));
    }
    const bool grouped = decision == QStringLiteral("grouped");
    if (p.contains(QStringLiteral("grouped_into")) != grouped)
        return crossField(QStringLiteral("payload.grouped_into"),
                          grouped ? QStringLiteral("is required for a grouped call")
                                  : QStringLiteral("is only sent on a grouped call"));
    if (grouped && p.value(QStringLiteral("grouped_into")).toString() == id)
        return crossField(QStringLiteral("payload.grouped_into"),
                          QStringLiteral("must name another appointment"));
    return std::nullopt;
}

std::optional<Rejection> dischargeCallRules(const QJsonObject& p)
{
    static const QRegularExpression reasons(QStringLiteral(
        "^(planned|grouped|waiting_for_notes|excluded:(block|cancelled|no_show|not_finished|end_of_life|"
        "end_of_life_possible|end_of_life_patient|type|no_phone|too_old|disabled)|cancelled:(cancelled|"
        "no_show|end_of_life|end_of_life_possible|end_of_life_patient|no_phone|too_old|removed))$"));
    // "<rule>:<pass|hit>", a hit optionally followed by one space and a one-line detail.
    static const QRegularExpression traceStep(QStringLiteral("^[a-z_]+:(pass|hit( [^\\n\\r]+)?)$"));
    const QString decision = p.value(QStringLiteral("decision")).toString();
    const QString reason = p.value(QStringLiteral("reason")).toString();
    const QString reasonDecision = reason.section(u':', 0, 0);
    if (!reasons.match(reason).hasMatch() || reasonDecision != decision)
        return crossField(QStringLiteral("payload.reason"),
                          QStringLiteral("is not a reason code of decision ") + decision);
    const bool call = decision == QStringLiteral("planned") || decision == QStringLiteral("grouped");
    for (const QString& field : {QStringLiteral("scheduled_for"), QStringLiteral("scheduled_for_local")}) {
        if (p.value(field).isNull() == call)
            return crossField(QStringLiteral("payload.") + field,
                              call ? QStringLiteral("is required for a planned or grouped call")
                                   : QStringLiteral("must be null unless planned or grouped"));
    }
    if (call && p.value(QStringLiteral("customer_phone")).isNull())
        return crossField(QStringLiteral("payload.customer_phone"),
                          QStringLiteral("is required for a planned or grouped call"));
    if (auto bad = groupRules(p, decision))
        return bad;
    const QJsonArray trace = p.value(QStringLiteral("rule_trace")).toArray();
    for (qsizetype i = 0; i < trace.size(); ++i) {
        if (!traceStep.match(trace.at(i).toString()).hasMatch())
            return crossField(QStringLiteral("payload.rule_trace[%1]").arg(i),
                              QStringLiteral("must be <rule>:<pass|hit>, a hit with an optional detail"));
    }
    return std::nullopt;
}

std::optional<Rejection> checkPayload(const CheckedItem& item)
{
    if (auto bad = checkObject(item.payload, payloadRules(item.kind), QStringLiteral("payload")))
        return fromViolation(QStringLiteral("invalid_payload"), *bad);
    const QString expectedKey = item.kind + u':' + item.payload.value(identityField(item.kind)).toString();
    if (item.key != expectedKey)
        return Rejection{QStringLiteral("invalid_key"),
                         QJsonObject{{QStringLiteral("expected"), expectedKey}}};
    if (item.kind == QStringLiteral("appointment"))
        return appointmentRules(item.payload);
    if (item.kind == QStringLiteral("consultation"))
        return consultationRules(item.payload);
    return dischargeCallRules(item.payload);
}

} // namespace

CheckedItem checkItem(const QJsonValue& value)
{
    CheckedItem item;
    const QJsonObject object = value.toObject();
    item.key = object.value(QStringLiteral("key")).toString();
    item.version = object.value(QStringLiteral("version")).toString();
    if (!value.isObject()) {
        item.rejection =
            Rejection{QStringLiteral("invalid_item"),
                      QJsonObject{{QStringLiteral("field"), QString()},
                                  {QStringLiteral("problem"), QStringLiteral("must be an object")}}};
        return item;
    }
    if (auto bad = checkObject(object, contract::itemEnvelope())) {
        item.rejection = fromViolation(QStringLiteral("invalid_item"), *bad);
        return item;
    }
    item.kind = object.value(QStringLiteral("kind")).toString();
    item.observedAt = object.value(QStringLiteral("observed_at")).toString();
    item.observedAtMs = QDateTime::fromString(item.observedAt, Qt::ISODateWithMs).toMSecsSinceEpoch();
    item.payload = object.value(QStringLiteral("payload")).toObject();
    item.rejection = checkPayload(item);
    if (!item.rejection) {
        const QString computed = payloadVersion(item.payload);
        if (computed != item.version)
            item.rejection = Rejection{QStringLiteral("version_mismatch"),
                                       QJsonObject{{QStringLiteral("expected"), computed}}};
    }
    return item;
}

} // namespace odis::sim::backend
