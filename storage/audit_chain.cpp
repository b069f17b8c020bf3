#include "storage/audit_chain.h"

#include "storage/codes/storage_codes.h"

#include <QtEndian>

#include <algorithm>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace odis::storage {

QJsonObject AuditEntry::toJson() const
{
    return QJsonObject{
        {QStringLiteral("seq"), seq},
        {QStringLiteral("at"), at},
        {QStringLiteral("actor"), actor},
        {QStringLiteral("action"), action},
        {QStringLiteral("target"), target},
        {QStringLiteral("outcome"), outcome},
        {QStringLiteral("prev_hash"), prevHash},
        {QStringLiteral("hash"), hash},
    };
}

namespace audit_chain {

namespace {

void appendField(QByteArray& out, const QByteArray& field)
{
    char length[4];
    qToBigEndian<quint32>(static_cast<quint32>(field.size()), length);
    out.append(length, 4);
    out.append(field);
}

QByteArray mac(const QByteArray& key, const AuditEntry& entry)
{
    const QByteArray message = canonicalEncoding(entry);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    if (!HMAC(EVP_sha256(), key.constData(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(message.constData()),
              static_cast<size_t>(message.size()), digest, &digestLength))
        return {}; // never equal to a stored 64-digit hash, so a failing HMAC cannot verify anything
    return QByteArray(reinterpret_cast<const char*>(digest), static_cast<qsizetype>(digestLength));
}

bool isFieldChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_' ||
           u == u'.' || u == u':' || u == u'/' || u == u'-';
}

} // namespace

QByteArray canonicalEncoding(const AuditEntry& entry)
{
    QByteArray out;
    out.reserve(256);
    appendField(out, kDomain);
    appendField(out, QByteArray::number(entry.seq));
    appendField(out, entry.at.toUtf8());
    appendField(out, entry.actor.toUtf8());
    appendField(out, entry.action.toUtf8());
    appendField(out, entry.target.toUtf8());
    appendField(out, entry.outcome.toUtf8());
    appendField(out, entry.prevHash.toUtf8());
    return out;
}

QString entryHash(const QByteArray& key, const AuditEntry& entry)
{
    return QString::fromLatin1(mac(key, entry).toHex());
}

bool hashMatches(const QByteArray& key, const AuditEntry& entry)
{
    const QByteArray expected = mac(key, entry).toHex();
    const QByteArray stored = entry.hash.toLatin1();
    return expected.size() == 64 && stored.size() == expected.size() &&
           CRYPTO_memcmp(expected.constData(), stored.constData(), static_cast<size_t>(expected.size())) == 0;
}

Status checkField(const char* name, const QString& value)
{
    if (value.isEmpty() || value.size() > kMaxFieldLength)
        return fail(codes::kAuditFieldInvalid, QStringLiteral("audit %1 must have 1 to %2 characters")
                                                   .arg(QLatin1String(name))
                                                   .arg(kMaxFieldLength));
    for (const QChar c : value) {
        if (!isFieldChar(c))
            return fail(codes::kAuditFieldInvalid,
                        QStringLiteral("audit %1 must be an id made of letters, digits and _ . : / - "
                                       "(no names, free text or personal data)")
                            .arg(QLatin1String(name)));
    }
    return ok();
}

bool isHashText(const QString& text)
{
    if (text.size() != 64)
        return false;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f')))
            return false;
    }
    return true;
}

QString anchorToText(const AuditAnchor& anchor)
{
    return QString::number(anchor.seq) + QLatin1Char(':') + anchor.hash;
}

std::optional<AuditAnchor> anchorFromText(const QString& text)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return std::nullopt;
    const QString digits = text.left(colon);
    const bool plainDecimal =
        std::all_of(digits.cbegin(), digits.cend(), [](QChar c) { return c.isDigit(); });
    bool isNumber = false;
    const qint64 seq = digits.toLongLong(&isNumber);
    const QString hash = text.mid(colon + 1).toLower();
    if (!plainDecimal || !isNumber || seq < 1 || !isHashText(hash))
        return std::nullopt;
    return AuditAnchor{seq, hash};
}

} // namespace audit_chain

} // namespace odis::storage
