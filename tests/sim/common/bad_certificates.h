#pragma once

// Server certificates a client must refuse, for the security checks (issue 16): made on demand next to a
// TestPki, whose CA (trusted by the tests) signs the ones that are wrong for another reason than trust.

#include "storage/result.h"
#include "tests/sim/common/test_pki.h"

#include <QSslConfiguration>

namespace odis::sim {

enum class BadCertificate
{
    WrongHost,  // issued by the test CA for another name than localhost / 127.0.0.1 / ::1
    Expired,    // issued by the test CA for the right names, expired yesterday
    SelfSigned, // for 127.0.0.1, signed by its own key
};

// `pki`'s server configuration with a new certificate of that kind. Use it after useTls(pki), which makes
// the server speak HTTPS: `server.sslSetup(*bad)` then replaces the certificate.
Result<QSslConfiguration> badServerConfiguration(const TestPki& pki, BadCertificate kind);

} // namespace odis::sim
