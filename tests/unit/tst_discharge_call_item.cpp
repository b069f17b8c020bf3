// The `discharge_call` item payload, exactly as docs/backend-api.md fixes it, and reading it back for
// the next run.

#include "sync/core/discharge_call_item.h"
#include "tests/unit/discharge_fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace odis::sync;

namespace {

const QTimeZone kLa = odis::test::zone("America/Los_Angeles");

QJsonObject object(const char* json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

DischargeDecision plannedCall()
{
    return DischargeDecision{QStringLiteral("482913"),
                             QStringLiteral("7482913"),
                             DecisionKind::Planned,
                             DecisionReason::Planned,
                             odis::test::utc("2026-03-12T23:00:00Z"),
                             QStringLiteral("+14152013344"),
                             {QStringLiteral("block:pass"), QStringLiteral("planned:hit")}};
}

DischargeDecision carrierCall()
{
    return odis::test::with(plannedCall(), [](DischargeDecision& d) {
        d.group = {QStringLiteral("482913"), QStringLiteral("482920")};
    });
}

DischargeDecision groupedCall()
{
    return DischargeDecision{QStringLiteral("482920"),
                             QStringLiteral("7482920"),
                             DecisionKind::Grouped,
                             DecisionReason::Grouped,
                             odis::test::utc("2026-03-12T23:00:00Z"),
                             QStringLiteral("+14152013344"),
                             {QStringLiteral("block:pass"), QStringLiteral("grouped:hit into 482913")},
                             {},
                             QStringLiteral("482913")};
}

} // namespace

class TstDischargeCallItem : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void payloads_data();
    void payloads();
    void refusesBadPayloads_data();
    void refusesBadPayloads();
};

void TstDischargeCallItem::payloads_data()
{
    QTest::addColumn<DischargeDecision>("decision");
    QTest::addColumn<QJsonObject>("payload");

    QTest::newRow("planned") << plannedCall() << object(R"({
        "neo_appointment_id": "482913", "neo_consultation_id": "7482913", "decision": "planned",
        "reason": "planned", "scheduled_for": "2026-03-12T23:00:00Z",
        "scheduled_for_local": "2026-03-12T16:00:00-07:00", "customer_phone": "+14152013344",
        "rule_trace": ["block:pass", "planned:hit"]})");
    QTest::newRow("planned in winter time") << odis::test::with(plannedCall(), [](DischargeDecision& d) {
        d.scheduledFor = odis::test::utc("2026-11-03T00:00:00Z");
    }) << object(R"({
        "neo_appointment_id": "482913", "neo_consultation_id": "7482913", "decision": "planned",
        "reason": "planned", "scheduled_for": "2026-11-03T00:00:00Z",
        "scheduled_for_local": "2026-11-02T16:00:00-08:00", "customer_phone": "+14152013344",
        "rule_trace": ["block:pass", "planned:hit"]})");
    QTest::newRow("planned for two appointments") << carrierCall() << object(R"({
        "neo_appointment_id": "482913", "neo_consultation_id": "7482913", "decision": "planned",
        "reason": "planned", "scheduled_for": "2026-03-12T23:00:00Z",
        "scheduled_for_local": "2026-03-12T16:00:00-07:00", "customer_phone": "+14152013344",
        "rule_trace": ["block:pass", "planned:hit"], "group": ["482913", "482920"]})");
    QTest::newRow("grouped into another call") << groupedCall() << object(R"({
        "neo_appointment_id": "482920", "neo_consultation_id": "7482920", "decision": "grouped",
        "reason": "grouped", "scheduled_for": "2026-03-12T23:00:00Z",
        "scheduled_for_local": "2026-03-12T16:00:00-07:00", "customer_phone": "+14152013344",
        "rule_trace": ["block:pass", "grouped:hit into 482913"], "grouped_into": "482913"})");
    QTest::newRow("excluded for the patient, with the trace's words")
        << DischargeDecision{QStringLiteral("482917"),
                             QStringLiteral("7482917"),
                             DecisionKind::Excluded,
                             DecisionReason::EndOfLifePatient,
                             QDateTime(),
                             QStringLiteral("+14152013344"),
                             {QStringLiteral("end_of_life:pass"),
                              QStringLiteral(
                                  "end_of_life_patient:hit appointment 482000 end_of_life notes: pts")}}
        << object(R"({
        "neo_appointment_id": "482917", "neo_consultation_id": "7482917", "decision": "excluded",
        "reason": "excluded:end_of_life_patient", "scheduled_for": null, "scheduled_for_local": null,
        "customer_phone": "+14152013344",
        "rule_trace": ["end_of_life:pass", "end_of_life_patient:hit appointment 482000 end_of_life notes: pts"]})");
    QTest::newRow("excluded without consultation or phone")
        << DischargeDecision{QStringLiteral("482914"),     QString(),   DecisionKind::Excluded,
                             DecisionReason::Block,        QDateTime(), QString(),
                             {QStringLiteral("block:hit")}}
        << object(R"({
        "neo_appointment_id": "482914", "neo_consultation_id": null, "decision": "excluded",
        "reason": "excluded:block", "scheduled_for": null, "scheduled_for_local": null,
        "customer_phone": null, "rule_trace": ["block:hit"]})");
    QTest::newRow("waiting for notes") << DischargeDecision{QStringLiteral("482915"),
                                                            QStringLiteral("7482915"),
                                                            DecisionKind::WaitingForNotes,
                                                            DecisionReason::WaitingForNotes,
                                                            QDateTime(),
                                                            QStringLiteral("+442079460958"),
                                                            {QStringLiteral("waiting_for_notes:hit")}}
                                       << object(R"({
        "neo_appointment_id": "482915", "neo_consultation_id": "7482915", "decision": "waiting_for_notes",
        "reason": "waiting_for_notes", "scheduled_for": null, "scheduled_for_local": null,
        "customer_phone": "+442079460958", "rule_trace": ["waiting_for_notes:hit"]})");
    QTest::newRow("cancelled") << DischargeDecision{QStringLiteral("482916"),
                                                    QStringLiteral("7482916"),
                                                    DecisionKind::Cancelled,
                                                    DecisionReason::EndOfLife,
                                                    QDateTime(),
                                                    QString(),
                                                    {QStringLiteral("removed:pass"),
                                                     QStringLiteral("cancelled:pass"),
                                                     QStringLiteral("no_show:pass"),
                                                     QStringLiteral("end_of_life:hit")}}
                               << object(R"({
        "neo_appointment_id": "482916", "neo_consultation_id": "7482916", "decision": "cancelled",
        "reason": "cancelled:end_of_life", "scheduled_for": null, "scheduled_for_local": null,
        "customer_phone": null,
        "rule_trace": ["removed:pass", "cancelled:pass", "no_show:pass", "end_of_life:hit"]})");
}

void TstDischargeCallItem::payloads()
{
    QFETCH(DischargeDecision, decision);
    QFETCH(QJsonObject, payload);
    QVERIFY(!payload.isEmpty());
    const QJsonObject actual = dischargeCallPayload(decision, kLa);
    QCOMPARE(QJsonDocument(actual).toJson(QJsonDocument::Compact),
             QJsonDocument(payload).toJson(QJsonDocument::Compact));
    const auto back = dischargeDecisionFromPayload(actual);
    QVERIFY2(back.has_value(), qPrintable(back ? QString() : back.error().toString()));
    QVERIFY(*back == decision);
    QCOMPARE(dischargeCallKey(decision.appointmentId),
             QStringLiteral("discharge_call:") + decision.appointmentId);
}

void TstDischargeCallItem::refusesBadPayloads_data()
{
    QTest::addColumn<DischargeDecision>("base");
    QTest::addColumn<QString>("member");
    QTest::addColumn<QJsonValue>("value"); // undefined: removed

    const auto row = [](const char* name, const char* member, const QJsonValue& value,
                        const DischargeDecision& base = plannedCall()) {
        QTest::newRow(name) << base << QString::fromLatin1(member) << value;
    };
    const QJsonValue removed(QJsonValue::Undefined);
    const QJsonValue null(QJsonValue::Null);
    row("no appointment id", "neo_appointment_id", removed);
    row("numeric appointment id", "neo_appointment_id", 482913);
    row("consultation id missing", "neo_consultation_id", removed);
    row("unknown decision", "decision", QStringLiteral("maybe"));
    row("reason of another decision", "reason", QStringLiteral("excluded:block"));
    row("reason not on the list", "reason", QStringLiteral("planned:soon"));
    row("planned without time", "scheduled_for", null);
    row("time with offset", "scheduled_for", QStringLiteral("2026-03-12T16:00:00-07:00"));
    row("time not on a minute", "scheduled_for", QStringLiteral("2026-03-12T23:00:30Z"));
    row("phone not E.164", "customer_phone", QStringLiteral("415-201-3344"));
    row("trace not a list", "rule_trace", QStringLiteral("planned:hit"));
    row("trace with a number", "rule_trace", QJsonArray{QStringLiteral("block:pass"), 1});
    row("planned without a phone", "customer_phone", null);
    row("group of one", "group", QJsonArray{QStringLiteral("482913")});
    row("group without its own id", "group", QJsonArray{QStringLiteral("1"), QStringLiteral("2")});
    row("group with a repeated id", "group",
        QJsonArray{QStringLiteral("482913"), QStringLiteral("2"), QStringLiteral("2")});
    row("group not a list", "group", QStringLiteral("482913"));
    row("grouped_into on a planned call", "grouped_into", QStringLiteral("1"));
    row("grouped without its carrier", "grouped_into", removed, groupedCall());
    row("grouped into itself", "grouped_into", QStringLiteral("482920"), groupedCall());
    row("grouped without a time", "scheduled_for", null, groupedCall());
    row("grouped with a group", "group", QJsonArray{QStringLiteral("482920"), QStringLiteral("2")},
        groupedCall());
}

void TstDischargeCallItem::refusesBadPayloads()
{
    QFETCH(DischargeDecision, base);
    QFETCH(QString, member);
    QFETCH(QJsonValue, value);
    QJsonObject payload = dischargeCallPayload(base, kLa);
    QVERIFY(dischargeDecisionFromPayload(payload).has_value());
    if (value.isUndefined())
        payload.remove(member);
    else
        payload.insert(member, value);
    const auto decision = dischargeDecisionFromPayload(payload);
    QVERIFY(!decision.has_value());
    QCOMPARE(decision.error().code, QString(kDischargeItemInvalid));
}

QTEST_GUILESS_MAIN(TstDischargeCallItem)
#include "tst_discharge_call_item.moc"
