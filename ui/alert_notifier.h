#pragma once

// Tray notifications for the alerts a person should hear about (credentials rejected, second factor
// needed, Neo's layout changed, 3 failures in a row, no success in 24 h, keychain unavailable): at most
// once per alert per clinic day, remembered in the store (kv `ui.notified.<code>`, the clinic-local date)
// so that a restart does not repeat them. The text is the alert's title and a pointer to the dashboard:
// never clinic data. Clicking the notification opens the dashboard at the alert (TrayController's
// messageClicked carries the alert's code).

#include <QDate>
#include <QJsonObject>
#include <QObject>
#include <QStringList>

namespace odis::storage {
class Database;
}

namespace odis::ui {

class TrayController;

// The alerts that are notified at all.
[[nodiscard]] bool isNotifiedAlert(const QString& code);
// Whether an alert last notified on `lastNotified` (clinic-local; invalid: never) is notified `today`.
[[nodiscard]] bool notifyToday(const QDate& lastNotified, const QDate& today);

class AlertNotifier : public QObject
{
    Q_OBJECT

public:
    AlertNotifier(TrayController& tray, storage::Database& db, QObject* parent = nullptr);

    // Looks at the status's alerts and notifies those due (called after each refresh of the tray).
    void check(const QJsonObject& status);

Q_SIGNALS:
    void notified(const QString& alertCode);

private:
    [[nodiscard]] QDate lastNotified(const QString& code) const;
    void remember(const QString& code, const QDate& day, const QString& stamp);

    TrayController& m_tray;
    storage::Database& m_db;
};

} // namespace odis::ui
