#include "ui/alert_advice.h"

#include "storage/codes/agent_codes.h"
#include "storage/codes/storage_codes.h"

#include <QCoreApplication>

namespace odis::ui {

namespace {
QString tr(const char* text)
{
    return QCoreApplication::translate("odis::ui::Alerts", text);
}
} // namespace

QString alertTitle(const QString& code)
{
    if (code == codes::kCredentialsRejected)
        return tr("IDEXX Neo refused the login");
    if (code == codes::kSecondFactorNeeded)
        return tr("IDEXX Neo asks for a second factor");
    if (code == codes::kNeoLayoutDrift)
        return tr("IDEXX Neo's pages changed");
    if (code == codes::kConsecutiveFailures)
        return tr("The last 3 syncs failed");
    if (code == codes::kNoRecentSuccess)
        return tr("No successful sync for 24 hours");
    if (code == codes::kKeychainUnavailable)
        return tr("The keychain is not available");
    if (code == codes::kSyncFailureRate)
        return tr("Many syncs fail");
    if (code == codes::kRunTooLong)
        return tr("The last sync took very long");
    if (code == codes::kOutboxStale)
        return tr("Data waits to be uploaded");
    if (code == codes::kReenrollmentNeeded)
        return tr("Odis no longer accepts this computer");
    return tr("Alert");
}

QString alertAdvice(const QString& code)
{
    if (code == codes::kCredentialsRejected)
        return tr("Open Settings and replace the IDEXX Neo login (someone may have changed the password). "
                  "The agent does not try again by itself, so that the clinic's account is not locked.");
    if (code == codes::kSecondFactorNeeded)
        return tr("Open Settings, choose \"Replace the IDEXX Neo login\" and log in once, typing the code "
                  "IDEXX sends.");
    if (code == codes::kNeoLayoutDrift)
        return tr("Nothing to do at the clinic: Odis has been told and will update the agent. Syncs go on "
                  "where they safely can.");
    if (code == codes::kConsecutiveFailures || code == codes::kSyncFailureRate)
        return tr("Check that this computer is online, then choose Sync now. If it keeps failing, create a "
                  "diagnostics bundle in Settings and send it to Odis support.");
    if (code == codes::kNoRecentSuccess)
        return tr("Check that this computer is on and online during opening hours, and that the agent is not "
                  "paused. Choose Sync now to try at once.");
    if (code == codes::kKeychainUnavailable)
        return tr("Log out and in again so that the system keychain is unlocked; ask IT if it stays.");
    if (code == codes::kRunTooLong)
        return tr(
            "Usually nothing: a slow network or a busy day. Tell Odis support if it happens every time.");
    if (code == codes::kOutboxStale)
        return tr("Check that this computer can reach the internet (a proxy may block it); the data waits "
                  "safely and is sent when it can.");
    if (code == codes::kReenrollmentNeeded)
        return tr("Ask Odis support for a new enrollment code and enter it in Settings.");
    return tr("Tell Odis support.");
}

} // namespace odis::ui
