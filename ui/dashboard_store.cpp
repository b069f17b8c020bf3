#include "ui/dashboard_store.h"

#include "storage/database.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace odis::ui {

namespace {

QDateTime instantFrom(const QVariant& v)
{
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : t;
}

QJsonObject jsonFrom(const QVariant& v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

// The visit's end: its clinic-local date and end time in its zone.
QDateTime visitEnd(const QJsonObject& a, const QTimeZone& fallback)
{
    const QDate date = QDate::fromString(a.value(QStringLiteral("date")).toString(), Qt::ISODate);
    const QTime time =
        QTime::fromString(a.value(QStringLiteral("end_time")).toString(), QStringLiteral("HH:mm"));
    if (!date.isValid() || !time.isValid())
        return {};
    QTimeZone zone(a.value(QStringLiteral("timezone")).toString().toUtf8());
    if (!zone.isValid())
        zone = fallback;
    return QDateTime(date, time, zone).toUTC();
}

QString tr(const char* text)
{
    return QCoreApplication::translate("odis::ui::Dashboard", text);
}

// The stored trace: a JSON array of "<rule>:<pass|hit>" (or, from an older store, plain text).
QString traceText(const QVariant& v)
{
    const QJsonDocument doc = QJsonDocument::fromJson(v.toString().toUtf8());
    if (!doc.isArray())
        return v.toString();
    QStringList rules;
    for (const QJsonValue r : doc.array())
        rules << r.toString();
    return rules.join(QStringLiteral(", "));
}

} // namespace

Result<DashboardFacts> readDashboardFacts(storage::Database& db, const QTimeZone& zone,
                                          const QDateTime& nowUtc, int days)
{
    DashboardFacts facts;
    const QTimeZone z = zone.isValid() ? zone : QTimeZone::utc();
    facts.today = nowUtc.toTimeZone(z).date();
    const QDate first = facts.today.addDays(-(days - 1));
    const QDateTime firstUtc = QDateTime(first, QTime(0, 0), z).toUTC();

    auto runs = db.query(QStringLiteral("SELECT started_at, status, counts FROM runs WHERE started_at >= ? "
                                        "ORDER BY started_at"),
                         {firstUtc.toString(Qt::ISODateWithMs)});
    if (!runs)
        return propagate(runs);
    for (const QVariantList& row : *runs) {
        const QJsonObject counts = jsonFrom(row.at(2));
        facts.runs.append(RunFacts{instantFrom(row.at(0)).toTimeZone(z).date(), row.at(1).toString(),
                                   counts.value(QStringLiteral("notes_found")).toInteger(),
                                   counts.value(QStringLiteral("calls_planned")).toInteger()});
    }

    auto consultations =
        // Acknowledged: the backend stored this version (acked), or the outbox holds nothing of it any more
        // (it deletes only what the backend acknowledged; a dead item stays until retried).
        db.query(QStringLiteral("SELECT o.key, o.payload, o.acked OR NOT EXISTS (SELECT 1 FROM outbox x "
                                "WHERE x.key = o.key), o.first_seen_at FROM observations o "
                                "WHERE o.kind = 'consultation'"));
    if (!consultations)
        return propagate(consultations);
    struct Consultation
    {
        bool hasNotes = false;
        bool acked = false;
        QDateTime firstSeen;
        QString notesText;
    };
    QHash<QString, Consultation> byId;
    for (const QVariantList& row : *consultations) {
        const QJsonObject c = jsonFrom(row.at(1));
        byId.insert(c.value(QStringLiteral("neo_consultation_id")).toVariant().toString(),
                    Consultation{c.value(QStringLiteral("has_notes")).toBool(), row.at(2).toInt() != 0,
                                 instantFrom(row.at(3)), c.value(QStringLiteral("notes_text")).toString()});
    }

    auto decisions = db.query(QStringLiteral(
        "SELECT appointment_id, decision, reason, scheduled_for, rule_trace FROM discharge_decisions"));
    if (!decisions)
        return propagate(decisions);
    QHash<QString, QVariantList> decisionOf;
    for (const QVariantList& row : *decisions)
        decisionOf.insert(row.at(0).toString(), row);

    auto appointments =
        db.query(QStringLiteral("SELECT payload, removed, local_date FROM observations "
                                "WHERE kind = 'appointment' AND local_date >= ? AND local_date <= ?"),
                 {first.toString(Qt::ISODate), facts.today.toString(Qt::ISODate)});
    if (!appointments)
        return propagate(appointments);
    for (const QVariantList& row : *appointments) {
        const QJsonObject a = jsonFrom(row.at(0));
        VisitFacts v;
        v.appointmentId = a.value(QStringLiteral("neo_appointment_id")).toVariant().toString();
        v.localDate = QDate::fromString(row.at(2).toString(), Qt::ISODate);
        v.endUtc = visitEnd(a, z);
        v.status = a.value(QStringLiteral("status")).toString();
        v.removed = row.at(1).toInt() != 0 || a.value(QStringLiteral("removed")).toBool();
        const QJsonValue consultationId = a.value(QStringLiteral("neo_consultation_id"));
        Consultation c;
        if (!consultationId.isNull() && byId.contains(consultationId.toVariant().toString())) {
            c = byId.value(consultationId.toVariant().toString());
            v.hasConsultation = true;
            v.hasNotes = c.hasNotes;
            v.notesUploaded = c.acked;
            v.notesReadUtc = c.firstSeen;
        }
        if (const auto d = decisionOf.constFind(v.appointmentId); d != decisionOf.constEnd()) {
            v.decision = d->at(1).toString();
            v.reason = d->at(2).toString();
            const QJsonObject patient = a.value(QStringLiteral("patient")).toObject();
            const QJsonObject client = a.value(QStringLiteral("client")).toObject();
            facts.decisions.append(
                DecisionRow{v.appointmentId, v.localDate, a.value(QStringLiteral("start_time")).toString(),
                            patient.value(QStringLiteral("name")).toString(),
                            QString(client.value(QStringLiteral("first_name")).toString() + u' ' +
                                    client.value(QStringLiteral("last_name")).toString())
                                .trimmed(),
                            v.decision, v.reason, instantFrom(d->at(3)), traceText(d->at(4)), c.notesText});
        }
        facts.visits.append(v);
    }
    std::sort(facts.decisions.begin(), facts.decisions.end(), [](const DecisionRow& a, const DecisionRow& b) {
        return a.localDate != b.localDate ? a.localDate > b.localDate : a.visitTime > b.visitTime;
    });
    return facts;
}

QString decisionReasonText(const QString& decision, const QString& reason)
{
    const QString code = reason.section(u':', 1);
    if (decision == QLatin1String("planned"))
        return tr("Call planned");
    if (decision == QLatin1String("waiting_for_notes"))
        return tr("Waiting for the vet's notes");
    const bool cancelled = decision == QLatin1String("cancelled");
    QString why;
    if (code == QLatin1String("end_of_life"))
        why = tr("end of life mentioned");
    else if (code == QLatin1String("cancelled"))
        why = tr("visit cancelled");
    else if (code == QLatin1String("no_show"))
        why = tr("no-show");
    else if (code == QLatin1String("not_finished"))
        why = tr("visit not finished yet");
    else if (code == QLatin1String("type"))
        why = tr("appointment type is not called");
    else if (code == QLatin1String("no_phone"))
        why = tr("no usable phone number");
    else if (code == QLatin1String("too_old"))
        why = tr("visit too long ago");
    else if (code == QLatin1String("disabled"))
        why = tr("discharge calls are turned off for the clinic");
    else if (code == QLatin1String("block"))
        why = tr("a block or roster entry, not a visit");
    else if (code == QLatin1String("removed"))
        why = tr("removed from IDEXX Neo");
    else
        why = reason;
    return cancelled ? tr("Call cancelled: %1").arg(why) : tr("Not called: %1").arg(why);
}

QList<DecisionRow> searchDecisions(const QList<DecisionRow>& decisions, const QString& text)
{
    const QString needle = text.trimmed();
    if (needle.isEmpty())
        return decisions;
    QList<DecisionRow> out;
    for (const DecisionRow& d : decisions) {
        if (d.patientName.contains(needle, Qt::CaseInsensitive) ||
            d.clientName.contains(needle, Qt::CaseInsensitive))
            out.append(d);
    }
    return out;
}

} // namespace odis::ui
