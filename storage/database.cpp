#include "storage/database.h"

#include "storage/cipher_settings.h"
#include "storage/codes/storage_codes.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringList>

// sqlite3_key() is declared only when the codec is announced.
#define SQLITE_HAS_CODEC 1
#include <openssl/crypto.h>
#include <sqlcipher/sqlite3.h>

namespace odis::storage {

namespace {

// After the key is proven: durability over speed (the outbox must survive power loss), WAL so the tray
// can read while a run writes, temporary tables in memory so nothing plaintext is spilled to disk.
const char* const kSessionPragmas = "PRAGMA journal_mode = WAL;"
                                    "PRAGMA synchronous = FULL;"
                                    "PRAGMA foreign_keys = ON;"
                                    "PRAGMA temp_store = MEMORY;"
                                    "PRAGMA secure_delete = ON;";

constexpr int kBusyTimeoutMs = 5000;

QString sqliteMessage(sqlite3* db)
{
    return db != nullptr ? QString::fromUtf8(sqlite3_errmsg(db)) : QStringLiteral("out of memory");
}

// Moves the database and its companions aside with a UTC time stamp; they are kept for a person to
// inspect (the outbox and audit log cannot be rebuilt from Neo, so nothing is ever deleted here).
[[nodiscard]] Result<QString> moveAside(const QString& path, const QString& why)
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

[[nodiscard]] Status execRaw(sqlite3* db, const char* sql, const QString& code)
{
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const QString text = message != nullptr ? QString::fromUtf8(message) : sqliteMessage(db);
        sqlite3_free(message);
        return fail(code, text);
    }
    return ok();
}

// The first column of the first row of a statement, with SQLite's result code when it failed.
struct PragmaAnswer
{
    QString text;
    QStringList rows; // every row's first column (quick_check lists one problem per row)
};

struct PragmaFailure
{
    int code = SQLITE_ERROR; // primary result code: SQLITE_BUSY, SQLITE_IOERR, SQLITE_CORRUPT, ...
    QString message;
};

std::expected<PragmaAnswer, PragmaFailure> pragmaRows(sqlite3* db, const char* sql, int maxRows = 100)
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

// Opens the file and applies the key and the pinned settings for the library's version; does not yet read
// anything. Also returns the version (empty: not SQLCipher).
[[nodiscard]] Result<sqlite3*> openKeyed(const QString& path, const QByteArray& rawKey,
                                         QString* cipherVersion)
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

// What PRAGMA quick_check says about the file. Damage only when the check ran and reported it: rows other
// than "ok", or the check's own reads finding pages SQLite (or SQLCipher's HMAC) cannot accept. Busy,
// locked, I/O, out-of-memory or full-disk failures say nothing about the file, whether they stop the check
// or show up in its rows as pages it could not load: they are returned as they are, and the file is left
// where it is (moving it aside would lose enrollment and the outbox).
struct IntegrityVerdict
{
    bool damaged = false;
    QString detail;
};

[[nodiscard]] Result<IntegrityVerdict> checkIntegrity(sqlite3* db, const QString& path)
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

} // namespace

Database::Database(sqlite3* handle, QString path)
    : m_db(handle)
    , m_path(std::move(path))
{}

Database::~Database()
{
    for (sqlite3_stmt* stmt : std::as_const(m_statements))
        sqlite3_finalize(stmt);
    sqlite3_close_v2(m_db);
}

Result<std::unique_ptr<Database>> Database::open(const QString& path, const QByteArray& rawKey,
                                                 std::span<const Migration> migrations, OpenReport* report)
{
    OpenReport local;
    OpenReport& rep = report != nullptr ? *report : local;
    rep = OpenReport{};

    if (rawKey.size() != kKeySize)
        return fail(
            codes::kDbOpenFailed,
            QStringLiteral("the database key must be %1 bytes, got %2").arg(kKeySize).arg(rawKey.size()));

    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return fail(codes::kDbOpenFailed,
                    QStringLiteral("cannot create the folder %1").arg(info.absolutePath()));
    QFile::setPermissions(info.absolutePath(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    rep.created = !info.exists() || info.size() == 0;

    QString cipherVersion;
    auto handle = openKeyed(path, rawKey, &cipherVersion);
    if (!handle)
        return propagate(handle);
    std::unique_ptr<Database> db(new Database(*handle, path));

    // cipher_version is empty when the library is plain SQLite: the key would be ignored and the file
    // written in the clear. Refuse rather than store clinic data unencrypted.
    if (cipherVersion.isEmpty())
        return fail(
            codes::kDbNotSqlcipher,
            QStringLiteral("the SQLite library in use is not SQLCipher; refusing to store data unencrypted"));
    rep.cipherVersion = cipherVersion;

    // The first read of page 1 proves the key: with a wrong key SQLCipher reports "not a database".
    // The file is left untouched: a wrong key is not damage, and moving it aside would lose the outbox.
    if (auto proof = pragmaRows(db->m_db, "SELECT count(*) FROM sqlite_master;", 1); !proof) {
        const int code = proof.error().code;
        if (code != SQLITE_NOTADB && code != SQLITE_CORRUPT)
            return fail(codes::kDbOpenFailed,
                        QStringLiteral("the database %1 could not be read (%2, SQLite code %3); it was left "
                                       "untouched")
                            .arg(path, proof.error().message)
                            .arg(code));
        return fail(codes::kDbKeyRejected,
                    QStringLiteral("the database %1 cannot be read with the key from the keychain (%2); "
                                   "it was left untouched")
                        .arg(path, proof.error().message));
    }

    auto verdict = checkIntegrity(db->m_db, path);
    if (!verdict)
        return propagate(verdict);
    if (verdict->damaged) {
        db.reset();
        auto moved = moveAside(path, QStringLiteral("corrupt"));
        if (!moved)
            return propagate(moved);
        auto fresh = open(path, rawKey, migrations, &rep);
        if (!fresh)
            return fresh;
        rep.recovered = true;
        rep.movedAsidePath = *moved;
        return fresh;
    }

    if (auto session = execRaw(db->m_db, kSessionPragmas, codes::kDbOpenFailed); !session)
        return propagate(session);
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    auto version = db->scalar(QStringLiteral("PRAGMA user_version;"));
    if (!version)
        return propagate(version);
    db->m_schemaVersion = version->toInt();

    const int newest = migrations.empty() ? 0 : migrations.back().version;
    if (db->m_schemaVersion > newest)
        return fail(codes::kDbNewerThanProgram,
                    QStringLiteral("the database %1 has schema version %2, newer than this program "
                                   "understands (%3). Install the newer Odis Clinic Agent again; the "
                                   "database was left untouched.")
                        .arg(path)
                        .arg(db->m_schemaVersion)
                        .arg(newest));

    for (const Migration& step : migrations) {
        if (step.version <= db->m_schemaVersion)
            continue;
        const Status applied = db->transaction([&]() -> Status {
            if (auto s = db->executeScript(step.sql); !s)
                return s;
            return db->executeScript(QStringLiteral("PRAGMA user_version = %1;").arg(step.version));
        });
        if (!applied)
            return fail(codes::kDbMigrationFailed, QStringLiteral("schema step %1 (%2) failed: %3")
                                                       .arg(step.version)
                                                       .arg(step.description, applied.error().message));
        db->m_schemaVersion = step.version;
        ++rep.migrationsApplied;
    }
    rep.schemaVersion = db->m_schemaVersion;
    return db;
}

Error Database::lastError(const QString& code, const QString& what) const
{
    return Error{code, what + QStringLiteral(": ") + sqliteMessage(m_db)};
}

Result<sqlite3_stmt*> Database::prepared(const QString& sql)
{
    if (auto it = m_statements.constFind(sql); it != m_statements.constEnd())
        return it.value();
    sqlite3_stmt* stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    if (sqlite3_prepare_v2(m_db, utf8.constData(), static_cast<int>(utf8.size()), &stmt, nullptr) !=
        SQLITE_OK)
        return std::unexpected(lastError(codes::kDbQueryFailed, QStringLiteral("prepare failed")));
    m_statements.insert(sql, stmt);
    return stmt;
}

Status Database::bindAll(sqlite3_stmt* stmt, const QVariantList& params)
{
    if (params.size() != sqlite3_bind_parameter_count(stmt))
        return fail(codes::kDbQueryFailed, QStringLiteral("statement expects %1 parameters, got %2")
                                               .arg(sqlite3_bind_parameter_count(stmt))
                                               .arg(params.size()));
    for (int i = 0; i < params.size(); ++i) {
        const QVariant& v = params.at(i);
        const int index = i + 1;
        int rc = SQLITE_OK;
        if (v.isNull()) {
            rc = sqlite3_bind_null(stmt, index);
        } else {
            switch (v.typeId()) {
            case QMetaType::Bool:
            case QMetaType::Int:
            case QMetaType::UInt:
            case QMetaType::Long:
            case QMetaType::LongLong:
            case QMetaType::ULongLong:
                rc = sqlite3_bind_int64(stmt, index, v.toLongLong());
                break;
            case QMetaType::Double:
                rc = sqlite3_bind_double(stmt, index, v.toDouble());
                break;
            case QMetaType::QByteArray: {
                const QByteArray bytes = v.toByteArray();
                rc = sqlite3_bind_blob64(stmt, index, bytes.constData(),
                                         static_cast<sqlite3_uint64>(bytes.size()), SQLITE_TRANSIENT);
                break;
            }
            case QMetaType::QString: {
                const QByteArray text = v.toString().toUtf8();
                rc = sqlite3_bind_text64(stmt, index, text.constData(),
                                         static_cast<sqlite3_uint64>(text.size()), SQLITE_TRANSIENT,
                                         SQLITE_UTF8);
                break;
            }
            default:
                return fail(
                    codes::kDbQueryFailed,
                    QStringLiteral("parameter %1 has an unsupported type %2").arg(index).arg(v.typeName()));
            }
        }
        if (rc != SQLITE_OK)
            return std::unexpected(lastError(codes::kDbQueryFailed, QStringLiteral("bind failed")));
    }
    return ok();
}

Result<QList<QVariantList>> Database::query(const QString& sql, const QVariantList& params)
{
    auto stmt = prepared(sql);
    if (!stmt)
        return propagate(stmt);
    sqlite3_stmt* s = *stmt;
    // Reset on every exit so a cached statement never holds a read transaction open.
    struct Reset
    {
        sqlite3_stmt* s;
        ~Reset()
        {
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
        }
    } reset{s};
    if (auto bound = bindAll(s, params); !bound)
        return propagate(bound);

    QList<QVariantList> rows;
    const int columns = sqlite3_column_count(s);
    for (;;) {
        const int rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW)
            return std::unexpected(lastError(codes::kDbQueryFailed, QStringLiteral("step failed")));
        QVariantList row;
        row.reserve(columns);
        for (int c = 0; c < columns; ++c) {
            switch (sqlite3_column_type(s, c)) {
            case SQLITE_INTEGER:
                row.append(QVariant::fromValue<qint64>(sqlite3_column_int64(s, c)));
                break;
            case SQLITE_FLOAT:
                row.append(sqlite3_column_double(s, c));
                break;
            case SQLITE_TEXT:
                row.append(QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, c)),
                                             sqlite3_column_bytes(s, c)));
                break;
            case SQLITE_BLOB:
                row.append(QByteArray(static_cast<const char*>(sqlite3_column_blob(s, c)),
                                      sqlite3_column_bytes(s, c)));
                break;
            default:
                row.append(QVariant());
            }
        }
        rows.append(std::move(row));
    }
    return rows;
}

Result<qint64> Database::execute(const QString& sql, const QVariantList& params)
{
    auto rows = query(sql, params);
    if (!rows)
        return propagate(rows);
    return static_cast<qint64>(sqlite3_changes(m_db));
}

Result<QVariant> Database::scalar(const QString& sql, const QVariantList& params)
{
    auto rows = query(sql, params);
    if (!rows)
        return propagate(rows);
    if (rows->isEmpty() || rows->first().isEmpty())
        return QVariant();
    return rows->first().first();
}

Status Database::executeScript(const QString& sql)
{
    return execRaw(m_db, sql.toUtf8().constData(), codes::kDbQueryFailed);
}

Status Database::transaction(const std::function<Status()>& body)
{
    if (m_inTransaction)
        return fail(codes::kDbNestedTransaction,
                    QStringLiteral("a transaction is already open on this database"));
    if (auto begun = executeScript(QStringLiteral("BEGIN IMMEDIATE;")); !begun)
        return begun;
    m_inTransaction = true;
    Status result = body();
    if (result)
        result = executeScript(QStringLiteral("COMMIT;"));
    if (!result)
        // Best effort: the error that matters is result's.
        (void)execRaw(m_db, "ROLLBACK;", codes::kDbQueryFailed);
    m_inTransaction = false;
    return result;
}

qint64 Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

} // namespace odis::storage
