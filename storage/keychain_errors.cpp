#include "storage/keychain_errors.h"

#include "storage/codes/storage_codes.h"

#include <QFileInfo>
#include <QStringList>

namespace odis::storage {

namespace {

Error unavailable(const QString& why)
{
    return Error{codes::kKeychainUnavailable, why};
}

// Markers of "nobody serves the Secret Service API here" in libsecret/GDBus messages. The well-known
// bus name and the D-Bus error names are never translated, unlike the surrounding GLib text.
bool mentionsMissingSecretService(const QString& detail)
{
    static const QStringList markers{
        QStringLiteral("org.freedesktop.secrets"),
        QStringLiteral("org.freedesktop.DBus.Error.ServiceUnknown"),
        QStringLiteral("org.freedesktop.DBus.Error.NoServer"),
        QStringLiteral("org.freedesktop.DBus.Error.Spawn"),
    };
    for (const QString& marker : markers) {
        if (detail.contains(marker, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// GDBus's own (English) texts for "no session bus", for when sessionBusLooksMissing() cannot tell,
// e.g. an abstract socket that is gone.
bool mentionsMissingBus(const QString& detail)
{
    return detail.contains(QStringLiteral("Cannot autolaunch D-Bus"), Qt::CaseInsensitive) ||
           detail.startsWith(QStringLiteral("Could not connect:"), Qt::CaseInsensitive);
}

bool unixPathMissing(const QString& address)
{
    // "unix:path=/run/user/1000/bus,guid=..."; other transports cannot be checked from here.
    if (!address.startsWith(QStringLiteral("unix:")))
        return false;
    for (const QString& part : address.mid(5).split(u',')) {
        if (part.startsWith(QStringLiteral("path=")))
            return !QFileInfo::exists(part.mid(5));
    }
    return false;
}

} // namespace

Error mapKeychainError(QKeychain::Error error, const QString& detail, bool sessionBusMissing)
{
    switch (error) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return unavailable(QStringLiteral("no keychain backend on this system: %1").arg(detail));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return Error{codes::kKeychainDenied,
                     QStringLiteral("the OS keychain refused access (is it locked?): %1").arg(detail)};
    case QKeychain::OtherError:
        if (sessionBusMissing || mentionsMissingBus(detail))
            return unavailable(QStringLiteral("no D-Bus session bus to reach the keyring: %1").arg(detail));
        if (mentionsMissingSecretService(detail))
            return unavailable(
                QStringLiteral("no Secret Service keyring (gnome-keyring, KWallet) is running: %1")
                    .arg(detail));
        break;
    case QKeychain::NoError:
    case QKeychain::EntryNotFound:
    case QKeychain::CouldNotDeleteEntry:
        break;
    }
    return Error{codes::kKeychainError,
                 QStringLiteral("OS keychain error %1: %2").arg(static_cast<int>(error)).arg(detail)};
}

bool sessionBusLooksMissing()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN) && !defined(Q_OS_ANDROID)
    const QString addresses = qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS");
    if (addresses.isEmpty()) {
        // GDBus falls back to the systemd per-user bus socket.
        const QString runtimeDir = qEnvironmentVariable("XDG_RUNTIME_DIR");
        return runtimeDir.isEmpty() || !QFileInfo::exists(runtimeDir + QStringLiteral("/bus"));
    }
    for (const QString& address : addresses.split(u';', Qt::SkipEmptyParts)) {
        if (!unixPathMissing(address))
            return false;
    }
    return true;
#else
    return false;
#endif
}

} // namespace odis::storage
