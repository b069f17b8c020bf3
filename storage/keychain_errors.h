#pragma once

#include "storage/result.h"

#include <QString>
#include <qt6keychain/keychain.h>

namespace odis::storage {

// Maps a failed QtKeychain job to the credential store's typed errors:
//   keychain_unavailable  no backend: NoBackendAvailable, NotImplemented, or (Linux) OtherError because
//                         there is no D-Bus session bus or no Secret Service on it; the keyring may
//                         simply not be up yet, so callers may retry later
//   keychain_denied       AccessDenied, AccessDeniedByUser (also a locked keyring the user did not unlock)
//   keychain_error        anything else
// `detail` is QtKeychain's errorString(); it describes the backend, never the secret.
// `sessionBusMissing` is sessionBusLooksMissing() at the time of the failure (a parameter for tests).
Error mapKeychainError(QKeychain::Error error, const QString& detail, bool sessionBusMissing);

// True when no D-Bus session bus can be reached: DBUS_SESSION_BUS_ADDRESS is unset and there is no
// $XDG_RUNTIME_DIR/bus, or every address it lists is a unix socket path that does not exist. QtKeychain
// reports that case as OtherError with a translated GLib message, so it is recognised here instead.
// Always false outside Linux and the BSDs.
bool sessionBusLooksMissing();

} // namespace odis::storage
