#pragma once

// Optional public-key pinning of the backend (docs/backend-api.md, "Transport"): SHA-256 of the DER
// SubjectPublicKeyInfo of a certificate, base64, as `openssl x509 -pubkey | openssl pkey -pubin
// -outform der | openssl dgst -sha256 -binary | base64` prints it. Pinning narrows the trust of an
// already verified chain; it never replaces verification.

#include "storage/result.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QSslCertificate>
#include <QStringList>

namespace odis::sync {

class SpkiPins
{
public:
    // Each entry base64 of exactly 32 bytes. Error code: backend_config_invalid.
    [[nodiscard]] static Result<SpkiPins> fromBase64(const QStringList& pins);

    [[nodiscard]] bool isEmpty() const { return m_pins.isEmpty(); }
    // True when no pins are configured, or when at least one certificate of `chain` has a pinned key
    // (the leaf, or an intermediate or root CA: pinning a CA survives leaf renewals). An empty chain
    // or a key Qt cannot read never matches.
    [[nodiscard]] bool accepts(const QList<QSslCertificate>& chain) const;

    // SHA-256 of the certificate's DER SubjectPublicKeyInfo; empty when the key cannot be read.
    [[nodiscard]] static QByteArray spkiSha256(const QSslCertificate& certificate);

private:
    QSet<QByteArray> m_pins; // raw 32-byte hashes
};

} // namespace odis::sync
