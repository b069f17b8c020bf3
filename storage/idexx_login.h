#pragma once

// The clinic's IDEXX Neo login and its form in the keychain: one entry holding all three fields, written
// and read in one keychain operation, so that no crash can leave the company id of one login next to the
// password of another (the clinic's account is shared: a mixed triple fails logins and risks a lockout).

#include "storage/result.h"

#include <QByteArray>
#include <QString>

class QDebug;

namespace odis::storage {

// Its text and debug forms never show the password or the user name (often a person's e-mail address):
// only whether they are set.
struct IdexxLogin
{
    QString companyId; // empty when the clinic's Neo instance does not ask for one
    QString username;
    QString password;

    [[nodiscard]] QString toString() const;
    // Overwrites this copy's user name and password (secret_memory.h) and empties all three fields.
    void wipe();
};

QDebug operator<<(QDebug debug, const IdexxLogin& login);

// The keychain value: a header line, then each field as a 4-byte big-endian length and its UTF-8 bytes,
// in the order company id, user name, password. Lengths, not a text format, so that no field's content
// can be mistaken for another field, and the bytes can be wiped after use.
[[nodiscard]] QByteArray encodeIdexxLogin(const IdexxLogin& login);
// Error secret_damaged when the value is not exactly such a record.
[[nodiscard]] Result<IdexxLogin> decodeIdexxLogin(const QByteArray& value);

} // namespace odis::storage
