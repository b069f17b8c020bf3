#include "storage/cipher_settings.h"

#include "storage/codes/storage_codes.h"

namespace odis::storage {

int cipherMajorVersion(QStringView cipherVersion)
{
    const QStringView trimmed = cipherVersion.trimmed();
    qsizetype digits = 0;
    while (digits < trimmed.size() && trimmed[digits].isDigit() && digits < 4)
        ++digits;
    if (digits == 0 || (digits < trimmed.size() && trimmed[digits].isDigit()))
        return 0;
    return trimmed.first(digits).toInt();
}

Result<QStringList> cipherPragmasFor(QStringView cipherVersion)
{
    const int major = cipherMajorVersion(cipherVersion);
    if (major < 3)
        return fail(codes::kDbCipherUnsupported,
                    QStringLiteral("SQLCipher \"%1\" cannot read this agent's stores (version 3 or later is "
                                   "needed)")
                        .arg(cipherVersion.left(40).toString()));
    const QString pageSize = QStringLiteral("PRAGMA cipher_page_size = %1;").arg(kCipherPageSize);
    const QString kdfIterations = QStringLiteral("PRAGMA kdf_iter = %1;").arg(kCipherKdfIterations);
    if (major == 3) {
        // 3.x's own defaults but the page size, written down so that nothing depends on build options.
        // 3.x has no cipher_hmac_algorithm/cipher_kdf_algorithm: SHA-1 is fixed there.
        return QStringList{pageSize, kdfIterations, QStringLiteral("PRAGMA cipher_use_hmac = ON;")};
    }
    // compatibility first: it resets every setting (the page size to 1024) before the overrides.
    return QStringList{QStringLiteral("PRAGMA cipher_compatibility = 3;"), pageSize, kdfIterations,
                       QStringLiteral("PRAGMA cipher_hmac_algorithm = HMAC_SHA1;"),
                       QStringLiteral("PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA1;")};
}

} // namespace odis::storage
