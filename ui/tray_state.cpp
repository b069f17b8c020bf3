#include "ui/tray_state.h"

#include "storage/codes/agent_codes.h"
#include "storage/codes/storage_codes.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>
#include <QTimeZone>

namespace odis::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("odis::ui::Tray", text);
}

QJsonArray alertsOf(const QJsonObject& status)
{
    return status.value(QStringLiteral("alerts")).toArray();
}

// Alerts that mean the agent's work is failing, not that a person's step is missing.
bool isErrorAlert(const QString& code)
{
    static const QSet<QString> errors{codes::kConsecutiveFailures, codes::kNoRecentSuccess,
                                      codes::kKeychainUnavailable, codes::kReenrollmentNeeded,
                                      codes::kSyncFailureRate};
    return errors.contains(code);
}

} // namespace

QString trayStateName(TrayState state)
{
    switch (state) {
    case TrayState::Ok:
        return QStringLiteral("ok");
    case TrayState::Syncing:
        return QStringLiteral("syncing");
    case TrayState::NeedsAttention:
        return QStringLiteral("attention");
    case TrayState::Error:
        return QStringLiteral("error");
    case TrayState::Paused:
        return QStringLiteral("paused");
    }
    return QStringLiteral("ok");
}

TrayState trayStateFor(const QJsonObject& status)
{
    const QString state = status.value(QStringLiteral("state")).toString();
    // Sending the outbox (no Neo read) is activity too: the icon says something is under way.
    if (state == QLatin1String("running") || state == QLatin1String("delivering"))
        return TrayState::Syncing;
    if (status.contains(QStringLiteral("store_error")))
        return TrayState::Error;
    bool errorAlert = false;
    const QJsonArray alerts = alertsOf(status);
    for (const QJsonValue a : alerts)
        errorAlert = errorAlert || isErrorAlert(a.toObject().value(QStringLiteral("code")).toString());
    if (errorAlert)
        return TrayState::Error;
    if (state == QLatin1String("credential_stop") || state == QLatin1String("setup_incomplete"))
        return TrayState::NeedsAttention;
    if (state == QLatin1String("paused"))
        return TrayState::Paused;
    if (state == QLatin1String("backing_off"))
        return TrayState::Error;
    if (!alerts.isEmpty())
        return TrayState::NeedsAttention;
    return TrayState::Ok;
}

QString clinicTimeText(const QJsonObject& status, const QString& utcText)
{
    QDateTime t = QDateTime::fromString(utcText, Qt::ISODateWithMs);
    if (!t.isValid())
        return {};
    const QByteArray id = status.value(QStringLiteral("clinic_timezone")).toString().toUtf8();
    const QTimeZone zone = id.isEmpty() ? QTimeZone() : QTimeZone(id); // an empty id is not "no zone" to Qt
    t = zone.isValid() ? t.toTimeZone(zone) : t.toUTC();
    return t.toString(zone.isValid() ? QStringLiteral("ddd d MMM, HH:mm")
                                     : QStringLiteral("ddd d MMM, HH:mm 'UTC'"));
}

QString stepText(const QString& step, int done, int total)
{
    if (step == QLatin1String("consultations")) {
        if (total > 0)
            return tr("Reading consultations %1/%2").arg(done).arg(total);
        return tr("Reading consultations");
    }
    if (step == QLatin1String("neo_login"))
        return tr("Logging in to IDEXX Neo");
    if (step == QLatin1String("schedule"))
        return tr("Reading the schedule");
    if (step == QLatin1String("clinic_profile"))
        return tr("Reading the clinic profile");
    if (step == QLatin1String("validate") || step == QLatin1String("reconcile"))
        return tr("Checking what changed");
    if (step == QLatin1String("plan_calls"))
        return tr("Planning discharge calls");
    if (step == QLatin1String("store"))
        return tr("Saving");
    if (step == QLatin1String("upload"))
        return tr("Uploading to Odis");
    if (step == QLatin1String("close"))
        return tr("Finishing");
    return tr("Starting");
}

QString runProgressText(const QJsonObject& status)
{
    const QJsonValue run = status.value(QStringLiteral("run"));
    if (!run.isObject()) {
        if (status.value(QStringLiteral("state")).toString() == QLatin1String("delivering"))
            return tr("Sending what was read to Odis");
        return {};
    }
    const QJsonObject r = run.toObject();
    return stepText(r.value(QStringLiteral("step")).toString(), r.value(QStringLiteral("done")).toInt(),
                    r.value(QStringLiteral("total")).toInt());
}

QString trayStateText(const QJsonObject& status)
{
    const QString gate = status.value(QStringLiteral("gate")).toString();
    switch (trayStateFor(status)) {
    case TrayState::Ok:
        // Neo was read, but Odis has not taken everything yet (its backend was away): not "up to date".
        if (status.value(QStringLiteral("next_delivery_at")).isString())
            return tr("Waiting to send to Odis");
        return tr("Up to date");
    case TrayState::Syncing:
        return tr("Syncing");
    case TrayState::Paused:
        return tr("Paused until %1")
            .arg(clinicTimeText(status, status.value(QStringLiteral("paused_until")).toString()));
    case TrayState::Error:
        return tr("Syncs are failing");
    case TrayState::NeedsAttention:
        if (gate == QLatin1String("not_enrolled") || gate == QLatin1String("credentials_missing"))
            return tr("Setup is not finished");
        if (gate == QLatin1String("credentials_unvalidated"))
            return tr("Waiting for the first sync");
        if (gate == codes::kCredentialsRejected)
            return tr("IDEXX Neo refused the login");
        if (gate == codes::kSecondFactorNeeded)
            return tr("IDEXX Neo asks for a second factor");
        return tr("Needs attention");
    }
    return {};
}

QStringList trayTooltipLines(const QJsonObject& status)
{
    QStringList lines{tr("Odis Clinic Agent: %1").arg(trayStateText(status))};
    if (const QString progress = runProgressText(status); !progress.isEmpty())
        lines << progress;
    const QString last = status.value(QStringLiteral("last_success_at")).toString();
    lines << (last.isEmpty() ? tr("Last good sync: none yet")
                             : tr("Last good sync: %1").arg(clinicTimeText(status, last)));
    const QString next = status.value(QStringLiteral("next_run_at")).toString();
    if (!next.isEmpty() && trayStateFor(status) != TrayState::Syncing)
        lines << tr("Next sync: %1").arg(clinicTimeText(status, next));
    const QString nextDelivery = status.value(QStringLiteral("next_delivery_at")).toString();
    if (!nextDelivery.isEmpty() && trayStateFor(status) != TrayState::Syncing)
        lines << tr("Next try to send to Odis: %1").arg(clinicTimeText(status, nextDelivery));
    const QJsonArray alerts = alertsOf(status);
    if (!alerts.isEmpty())
        lines << alerts.first().toObject().value(QStringLiteral("message")).toString();
    return lines;
}

} // namespace odis::ui
