#include "ui/alert_notifier.h"

#include "storage/codes/agent_codes.h"
#include "storage/codes/storage_codes.h"
#include "storage/database.h"
#include "ui/alert_advice.h"
#include "ui/tray_controller.h"

#include <QJsonArray>
#include <QSet>
#include <QTimeZone>

#include <spdlog/spdlog.h>

namespace odis::ui {

namespace {

QString kvKey(const QString& code)
{
    return QStringLiteral("ui.notified.") + code;
}

} // namespace

bool isNotifiedAlert(const QString& code)
{
    static const QSet<QString> notified{codes::kCredentialsRejected, codes::kSecondFactorNeeded,
                                        codes::kNeoLayoutDrift,      codes::kConsecutiveFailures,
                                        codes::kNoRecentSuccess,     codes::kKeychainUnavailable};
    return notified.contains(code);
}

bool notifyToday(const QDate& lastNotified, const QDate& today)
{
    return !lastNotified.isValid() || lastNotified != today;
}

AlertNotifier::AlertNotifier(TrayController& tray, storage::Database& db, QObject* parent)
    : QObject(parent)
    , m_tray(tray)
    , m_db(db)
{}

void AlertNotifier::check(const QJsonObject& status)
{
    const QDateTime now =
        QDateTime::fromString(status.value(QStringLiteral("now")).toString(), Qt::ISODateWithMs);
    if (!now.isValid())
        return;
    const QTimeZone zone(status.value(QStringLiteral("clinic_timezone")).toString().toUtf8());
    const QDate today = now.toTimeZone(zone.isValid() ? zone : QTimeZone::utc()).date();
    for (const QJsonValue v : status.value(QStringLiteral("alerts")).toArray()) {
        const QString code = v.toObject().value(QStringLiteral("code")).toString();
        if (!isNotifiedAlert(code) || !notifyToday(lastNotified(code), today))
            continue;
        remember(code, today, now.toString(Qt::ISODateWithMs));
        spdlog::info("notifying alert {}", code.toStdString());
        m_tray.notify(alertTitle(code), tr("Open the dashboard to see what to do."), code);
        Q_EMIT notified(code);
    }
}

QDate AlertNotifier::lastNotified(const QString& code) const
{
    auto value = m_db.scalar(QStringLiteral("SELECT value FROM kv WHERE key = ?"), {kvKey(code)});
    if (!value || value->isNull())
        return {};
    return QDate::fromString(value->toString(), Qt::ISODate);
}

void AlertNotifier::remember(const QString& code, const QDate& day, const QString& stamp)
{
    // SQLite 3.15 (SQLCipher 3.4) has no upsert.
    if (auto written =
            m_db.execute(QStringLiteral("INSERT OR REPLACE INTO kv(key, value, updated_at) VALUES(?, ?, ?)"),
                         {kvKey(code), day.toString(Qt::ISODate), stamp});
        !written)
        spdlog::warn("notification of {} not remembered ({})", code.toStdString(),
                     written.error().code.toStdString());
}

} // namespace odis::ui
