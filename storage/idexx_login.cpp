#include "storage/idexx_login.h"

#include "storage/codes/storage_codes.h"
#include "storage/secret_memory.h"

#include <QDebug>
#include <QtEndian>

#include <array>

namespace odis::storage {

namespace {

constexpr QByteArrayView kHeader = "odis-idexx-login-v1\n";

QString describeSet(const QString& value)
{
    return value.isEmpty() ? QStringLiteral("empty") : QStringLiteral("set");
}

void appendField(QByteArray& out, const QString& field)
{
    QByteArray utf8 = field.toUtf8();
    const quint32 length = qToBigEndian(quint32(utf8.size()));
    out.append(reinterpret_cast<const char*>(&length), sizeof(length));
    out.append(utf8);
    wipe(utf8);
}

Error damaged(const QString& why)
{
    return Error{
        codes::kSecretDamaged,
        QStringLiteral("the saved IDEXX login is unreadable (%1): save the credentials again").arg(why)};
}

} // namespace

QString IdexxLogin::toString() const
{
    // The company id is a short clinic number, not personal data; the rest stays hidden.
    return QStringLiteral("IdexxLogin(company id \"%1\", user name %2, password %3)")
        .arg(companyId, describeSet(username), describeSet(password));
}

void IdexxLogin::wipe()
{
    storage::wipe(password);
    storage::wipe(username);
    companyId.clear();
}

QDebug operator<<(QDebug debug, const IdexxLogin& login)
{
    const QDebugStateSaver saver(debug);
    debug.noquote() << login.toString();
    return debug;
}

QByteArray encodeIdexxLogin(const IdexxLogin& login)
{
    QByteArray out;
    // Sized once, so that no reallocation leaves a partial copy of the password behind.
    out.reserve(kHeader.size() + 12 +
                (login.companyId.size() + login.username.size() + login.password.size()) * 4);
    out.append(kHeader);
    appendField(out, login.companyId);
    appendField(out, login.username);
    appendField(out, login.password);
    return out;
}

Result<IdexxLogin> decodeIdexxLogin(const QByteArray& value)
{
    if (!value.startsWith(kHeader))
        return std::unexpected(damaged(QStringLiteral("unknown format")));
    qsizetype at = kHeader.size();
    std::array<QString, 3> fields;
    for (QString& field : fields) {
        if (value.size() - at < 4)
            return std::unexpected(damaged(QStringLiteral("cut short")));
        const quint32 length = qFromBigEndian<quint32>(value.constData() + at);
        at += 4;
        if (length > quint32(value.size() - at))
            return std::unexpected(damaged(QStringLiteral("cut short")));
        field = QString::fromUtf8(value.constData() + at, qsizetype(length));
        at += qsizetype(length);
    }
    if (at != value.size())
        return std::unexpected(damaged(QStringLiteral("trailing bytes")));
    return IdexxLogin{std::move(fields[0]), std::move(fields[1]), std::move(fields[2])};
}

} // namespace odis::storage
