#include "sync/backend/spki_pins.h"

#include "storage/codes/backend_codes.h"

#include <QCryptographicHash>
#include <QSslKey>

namespace odis::sync {

Result<SpkiPins> SpkiPins::fromBase64(const QStringList& pins)
{
    SpkiPins out;
    for (const QString& pin : pins) {
        const auto decoded =
            QByteArray::fromBase64Encoding(pin.trimmed().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || decoded.decoded.size() != 32)
            return fail(codes::kBackendConfigInvalid,
                        QStringLiteral("an SPKI pin is not the base64 of a SHA-256 hash"));
        out.m_pins.insert(decoded.decoded);
    }
    return out;
}

QByteArray SpkiPins::spkiSha256(const QSslCertificate& certificate)
{
    // For a public key Qt's DER form is the SubjectPublicKeyInfo (what PEM "PUBLIC KEY" holds), for
    // RSA and EC keys alike.
    const QSslKey key = certificate.publicKey();
    if (key.isNull())
        return {};
    const QByteArray der = key.toDer();
    if (der.isEmpty())
        return {};
    return QCryptographicHash::hash(der, QCryptographicHash::Sha256);
}

bool SpkiPins::accepts(const QList<QSslCertificate>& chain) const
{
    if (m_pins.isEmpty())
        return true;
    for (const QSslCertificate& certificate : chain) {
        const QByteArray hash = spkiSha256(certificate);
        if (!hash.isEmpty() && m_pins.contains(hash))
            return true;
    }
    return false;
}

} // namespace odis::sync
