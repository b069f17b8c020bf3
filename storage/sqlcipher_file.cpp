#include "storage/sqlcipher_file.h"

#include "storage/cipher_settings.h"
#include "storage/codes/storage_codes.h"

#include <QDateTime>
#include <QFile>
#include <QRegularExpression>

#include <openssl/crypto.h>
#include <utility>

namespace odis::storage::sqlcipher_file {

namespace {

constexpr int kBusyTimeoutMs = 5000;

// Owns a raw handle until open() hands it to a Database.
struct HandleGuard
{
    sqlite3* db = nullptr;
    ~HandleGuard()
    {
        if (db != nullptr)
            sqlite3_close_v2(db);
    }
    sqlite3* release() { return std::exchange(db, nullptr); }
};

[[nodiscard]] Result<PragmaAnswer> pragmaText(sqlite3* db, const char* sql)
{
    auto answer = pragmaRows(db, sql, 1);
    if (!answer)
        return fail(codes::kDbKeyRejected, answer.error().message);
    return *answer;
}

// "x'<64 hex digits>'" is SQLCipher's raw-key syntax: the bytes are the key, no KDF is run. Built in one
// buffer that is wiped after use: no temporary copy of the key (hex or raw) is left on the heap.
QByteArray rawKeySpec(const QByteArray& rawKey)
{
    static constexpr char kHex[] = "0123456789abcdef";
    QByteArray spec(2 + rawKey.size() * 2 + 1, Qt::Uninitialized);
    char* out = spec.data();
    *out++ = 'x';
    *out++ = '\'';
    for (const char byte : rawKey) {
        *out++ = kHex[(uchar(byte) >> 4) & 0xf];
        *out++ = kHex[uchar(byte) & 0xf];
    }
    *out = '\'';
    return spec;
}

// SQLite result codes that say the check could not look, not that the file is bad.
bool isHiccup(int code)
{
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_INTERRUPT:
    case SQLITE_PROTOCOL:
        return true;
    default:
        return false;
    }
}

// The result code a quick_check row reports for a page it could not load ("Page 7: unable to get the page.
// error code=10", "btreeInitPage() returns error code 11"); 0 when the row names none.
int rowErrorCode(const QString& row)
{
    static const QRegularExpression code(QStringLiteral(R"(error code\s*=?\s*(\d+))"));
    const QRegularExpressionMatch m = code.match(row);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

} // namespace

QString sqliteMessage(sqlite3* db)
{
    return db != nullptr ? QString::fromUtf8(sqlite3_errmsg(db)) : QStringLiteral("out of memory");
}

Result<QString> moveAside(const QString& path, const QString& why)
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    const QString target = path + QStringLiteral(".") + why + QStringLiteral("-") + stamp;
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (!QFile::exists(path + suffix))
            continue;
        if (!QFile::rename(path + suffix, target + suffix))
            return fail(codes::kDbMoveAsideFailed,
                        QStringLiteral("cannot move the damaged database %1 aside").arg(path + suffix));
    }
    return target;
}

Status execRaw(sqlite3* db, const char* sql, const QString& code)
{
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const QString text = message != nullptr ? QString::fromUtf8(message) : sqliteMessage(db);
        sqlite3_free(message);
        return fail(code, text);
    }
    return ok();
}

std::expected<PragmaAnswer, PragmaFailure> pragmaRows(sqlite3* db, const char* sql, int maxRows)
{
    sqlite3_stmt* stmt = nullptr;
    if (const int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr); rc != SQLITE_OK)
        return std::unexpected(PragmaFailure{rc & 0xff, sqliteMessage(db)});
    PragmaAnswer answer;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (answer.rows.size() < maxRows)
            answer.rows << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    PragmaFailure failure{rc & 0xff, rc == SQLITE_DONE ? QString() : sqliteMessage(db)};
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return std::unexpected(failure);
    answer.text = answer.rows.value(0);
    return answer;
}

Result<sqlite3*> openKeyed(const QString& path, const QByteArray& rawKey, QString* cipherVersion)
{
    HandleGuard guard;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &guard.db, flags, nullptr) != SQLITE_OK)
        return fail(codes::kDbOpenFailed,
                    QStringLiteral("cannot open %1: %2").arg(path, sqliteMessage(guard.db)));

    QByteArray keySpec = rawKeySpec(rawKey);
    const int rc = sqlite3_key(guard.db, keySpec.constData(), static_cast<int>(keySpec.size()));
    OPENSSL_cleanse(keySpec.data(), static_cast<size_t>(keySpec.size()));
    if (rc != SQLITE_OK)
        return fail(codes::kDbOpenFailed, QStringLiteral("cannot apply the database key"));

    // cipher_version reads no page: the settings can still be chosen after it.
    auto version = pragmaText(guard.db, "PRAGMA cipher_version;");
    *cipherVersion = version ? version->text : QString();
    if (cipherVersion->isEmpty())
        return guard.release(); // the caller refuses a library that is not SQLCipher
    auto pragmas = cipherPragmasFor(*cipherVersion);
    if (!pragmas)
        return propagate(pragmas);
    for (const QString& pragma : std::as_const(*pragmas)) {
        if (auto pinned = execRaw(guard.db, pragma.toUtf8().constData(), codes::kDbOpenFailed); !pinned)
            return propagate(pinned);
    }
    sqlite3_busy_timeout(guard.db, kBusyTimeoutMs);
    return guard.release();
}

Result<IntegrityVerdict> checkIntegrity(sqlite3* db, const QString& path)
{
    const auto inconclusive = [&path](const QString& why, int code) {
        return fail(codes::kDbCheckFailed,
                    QStringLiteral("the integrity check of %1 could not read the file (%2, SQLite code %3); "
                                   "the database was left untouched")
                        .arg(path, why)
                        .arg(code));
    };
    auto check = pragmaRows(db, "PRAGMA quick_check;");
    if (!check) {
        const int code = check.error().code;
        if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
            return IntegrityVerdict{true, check.error().message};
        return inconclusive(check.error().message, code);
    }
    if (check->rows == QStringList{QStringLiteral("ok")})
        return IntegrityVerdict{};
    for (const QString& row : std::as_const(check->rows)) {
        if (const int code = rowErrorCode(row); isHiccup(code))
            return inconclusive(row.left(200), code);
    }
    return IntegrityVerdict{true, check->rows.mid(0, 3).join(QStringLiteral("; "))};
}

} // namespace odis::storage::sqlcipher_file
