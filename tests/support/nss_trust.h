#pragma once

#include "storage/result.h"

#include <QString>

namespace odis::test {

// Makes Chromium (QtWebEngine) trust a test CA the way a workstation trusts a corporate CA: by
// importing it into the user's NSS database ($HOME/.pki/nssdb), created when absent. TLS errors are
// never ignored in tests; the simulators' CA is trusted instead. Call it before the first QtWebEngine
// profile exists. Refuses to run outside scripts/in-private-session.sh (ODIS_IN_PRIVATE_SESSION=1),
// so a test can never add a CA to a developer's own trust store. Needs certutil (libnss3-tools).
// The certificate is stored under `nicknamePrefix` plus its fingerprint, so several CAs can be trusted.
[[nodiscard]] Status trustCaInNss(const QString& caPemPath,
                                  const QString& nicknamePrefix = QStringLiteral("odis-test-ca"));

} // namespace odis::test
