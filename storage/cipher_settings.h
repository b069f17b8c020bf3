#pragma once

// The SQLCipher settings every store is written with, as pragmas for the library version in use. The
// files made here (SQLCipher 3.4 on Debian 12) must open unchanged on a Windows or macOS build that ships
// SQLCipher 4: version 4 changed the defaults (page size 4096, KDF iterations 256000, HMAC-SHA512 and a
// SHA-512 KDF), so on 4 and later the version 3 settings are asked for explicitly (cipher_compatibility
// = 3), then the page size this store has always used. With a raw key no KDF runs on the key itself, but
// the HMAC key is still derived with the KDF's digest, so the digests matter even though the iterations
// do not.

#include "storage/result.h"

#include <QStringList>
#include <QStringView>

namespace odis::storage {

// The pinned format: what PRAGMA cipher_settings reports on a store made here.
inline constexpr int kCipherPageSize = 4096;
inline constexpr int kCipherKdfIterations = 64000;

// The major version in PRAGMA cipher_version's answer ("3.4.1", "4.5.6 community"); 0 when it does not
// start with one.
[[nodiscard]] int cipherMajorVersion(QStringView cipherVersion);

// The pragmas to run after the key and before the first read, one statement per entry, for the version
// the library reports. Refused (db_cipher_unsupported) when the version is empty or older than 3: such a
// library cannot read the stores this agent writes.
[[nodiscard]] Result<QStringList> cipherPragmasFor(QStringView cipherVersion);

} // namespace odis::storage
