#include "sync/core/neo_read_plan.h"

#include "sync/core/canonical_json.h"
#include "sync/core/phone_e164.h"

#include <QJsonArray>
#include <QSet>

namespace odis::sync {

namespace {

bool isFinishedVisit(const NeoScheduleEvent& event)
{
    return !event.isBlock && !event.isRoster && event.status == NeoStatus::Completed;
}

// When the visit ended; a row without a valid end ends at its start, as the planner takes it.
QDateTime visitEndUtc(const NeoScheduleEvent& event, const QTimeZone& zone)
{
    const LocalDateTime& end = event.end.isValid() ? event.end : event.start;
    return end.toZoned(zone).toUTC();
}

std::optional<ReadReason> dueReason(const NeoScheduleEvent& event, const QString& rowVersion,
                                    const NeoReadState* previous, const ReadPlanSettings& settings,
                                    const QDateTime& nowUtc)
{
    if (!previous || !previous->fetchedAt.isValid() || previous->rowVersion.isEmpty()) {
        return previous && previous->failures > 0 ? ReadReason::FailedLastRun : ReadReason::NeverRead;
    }
    if (previous->failures > 0) {
        return ReadReason::FailedLastRun;
    }
    if (previous->rowVersion != rowVersion) {
        return ReadReason::RowChanged;
    }
    const QDateTime end = visitEndUtc(event, settings.clinicZone);
    const qint64 lookbackSecs = qint64(settings.lookbackHours) * 3600;
    const qint64 rereadSecs = std::chrono::duration_cast<std::chrono::seconds>(settings.rereadAfter).count();
    // A visit whose end is unknown cannot be "recent": its notes are read again only when its row changes.
    if (end.isValid() && end.secsTo(nowUtc) < lookbackSecs &&
        previous->fetchedAt.secsTo(nowUtc) > rereadSecs) {
        return ReadReason::RecentVisit;
    }
    return std::nullopt;
}

} // namespace

QString readReasonName(ReadReason reason)
{
    switch (reason) {
    case ReadReason::NeverRead:
        return QStringLiteral("never_read");
    case ReadReason::FailedLastRun:
        return QStringLiteral("failed_last_run");
    case ReadReason::RowChanged:
        return QStringLiteral("row_changed");
    case ReadReason::RecentVisit:
        return QStringLiteral("recent_visit");
    case ReadReason::ConfirmHeld:
        return QStringLiteral("confirm_held");
    }
    return QStringLiteral("unknown");
}

QString neoReadKey(const NeoScheduleEvent& event)
{
    if (event.consultationId && !event.consultationId->isEmpty()) {
        return *event.consultationId;
    }
    return QStringLiteral("appointment:") + event.appointmentId;
}

QString scheduleRowVersion(const NeoScheduleEvent& event)
{
    // Every field the row shows, in a fixed order; the array's canonical JSON keeps "a|b" and "a", "|b"
    // apart. The leading tag versions the recipe: changing it makes every visit be read once more.
    const QJsonArray fields{
        QStringLiteral("row-v1"),
        event.appointmentId,
        event.calendarEventId,
        event.consultationId.value_or(QString()),
        event.start.toString(),
        event.end.toString(),
        event.patientId,
        event.patientName,
        event.clientId,
        event.clientFirstName,
        event.clientLastName,
        event.clientNameRaw,
        event.email,
        event.phoneRaw,
        event.providerName,
        event.resourceId,
        event.title,
        event.appointmentType,
        event.reason,
        event.statusRaw,
        event.isBlock,
        event.isRoster,
    };
    return sha256Hex(canonicalJson(fields));
}

ReadPlan planNeoReads(const QList<NeoScheduleEvent>& events, const QHash<QString, NeoReadState>& previous,
                      const ReadPlanSettings& settings, const QDateTime& nowUtc, const ConfirmReads& confirm)
{
    ReadPlan plan;
    QSet<QString> planned;
    for (const NeoScheduleEvent& event : events) {
        if (!isFinishedVisit(event)) {
            continue;
        }
        const QString key = neoReadKey(event);
        if (planned.contains(key)) {
            continue;
        }
        planned.insert(key);
        ++plan.finishedVisits;
        const QString rowVersion = scheduleRowVersion(event);
        const auto found = previous.constFind(key);
        const NeoReadState* last = found == previous.constEnd() ? nullptr : &found.value();
        std::optional<ReadReason> reason = dueReason(event, rowVersion, last, settings, nowUtc);
        const bool rowPhone = isFirstChoicePhone(event.phoneRaw, settings.phoneCountry);
        const bool confirmNotes =
            event.consultationId && confirm.consultations.contains(*event.consultationId);
        const bool confirmPhone = !rowPhone && confirm.appointments.contains(event.appointmentId);
        if (!reason && (confirmNotes || confirmPhone))
            reason = ReadReason::ConfirmHeld;
        if (!reason) {
            ++plan.upToDate;
            continue;
        }
        PlannedRead read;
        read.key = key;
        read.appointmentId = event.appointmentId;
        read.rowVersion = rowVersion;
        read.reason = *reason;
        if (event.consultationId && !event.consultationId->isEmpty() &&
            (*reason != ReadReason::ConfirmHeld || confirmNotes)) {
            read.consultationId = event.consultationId;
        }
        read.appointmentDetail =
            !rowPhone &&
            (confirmPhone || (*reason != ReadReason::RecentVisit && *reason != ReadReason::ConfirmHeld));
        if (!read.consultationId && !read.appointmentDetail) {
            ++plan.upToDate; // nothing to read for a visit without a consultation whose row has a phone
            continue;
        }
        plan.reads.append(read);
    }
    return plan;
}

NeoReadState readStateAfter(const PlannedRead& planned, const NeoReadState* previous,
                            const std::optional<QString>& errorCode, const QDateTime& nowUtc)
{
    NeoReadState state = previous ? *previous : NeoReadState{};
    state.key = planned.key;
    state.appointmentId = planned.appointmentId;
    if (errorCode) {
        ++state.failures;
        state.lastError = *errorCode;
        return state;
    }
    state.rowVersion = planned.rowVersion;
    state.fetchedAt = nowUtc.toUTC();
    state.failures = 0;
    state.lastError.clear();
    return state;
}

} // namespace odis::sync
