#include "storage/database.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

// sqlite3_key() is declared only when the codec is announced.
#define SQLITE_HAS_CODEC 1
#include <sqlcipher/sqlite3.h>

#include <openssl/crypto.h>

namespace odis::storage {

namespace {

// Pinned cipher settings. SQLCipher 3.4's defaults, written down so that a library upgrade (4.x changed
// page size, KDF and HMAC defaults) cannot make existing databases unreadable or silently weaker.
// 3.4 ignores cipher_hmac_algorithm/cipher_kdf_algorithm (HMAC-SHA1 and PBKDF2-SHA1 are fixed there).
const char* const kCipherPragmas = "PRAGMA cipher_page_size = 4096;"
                                   "PRAGMA kdf_iter = 64000;"
                                   "PRAGMA cipher_use_hmac = ON;";

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
Result<QString> moveAside(const QString& path, const QString& why)
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    const QString target = path + QStringLiteral(".") + why + QStringLiteral("-") + stamp;
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (!QFile::exists(path + suffix))
            continue;
        if (!QFile::rename(path + suffix, target + suffix))
            return fail(QStringLiteral("db_move_aside_failed"),
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

// Opens the file and applies the key and the pinned settings; does not yet read anything.
Result<sqlite3*> openKeyed(const QString& path, const QByteArray& rawKey)
{
    HandleGuard guard;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &guard.db, flags, nullptr) != SQLITE_OK)
        return fail(QStringLiteral("db_open_failed"),
                    QStringLiteral("cannot open %1: %2").arg(path, sqliteMessage(guard.db)));

    // "x'<64 hex digits>'" is SQLCipher's raw-key syntax: the bytes are the key, no KDF is run.
    QByteArray keySpec = "x'" + rawKey.toHex() + "'";
    const int rc = sqlite3_key(guard.db, keySpec.constData(), static_cast<int>(keySpec.size()));
    OPENSSL_cleanse(keySpec.data(), static_cast<size_t>(keySpec.size()));
    if (rc != SQLITE_OK)
        return fail(QStringLiteral("db_open_failed"), QStringLiteral("cannot apply the database key"));

    if (auto pinned = execRaw(guard.db, kCipherPragmas, QStringLiteral("db_open_failed")); !pinned)
        return std::unexpected(pinned.error());
    sqlite3_busy_timeout(guard.db, kBusyTimeoutMs);
    return guard.release();
}

Result<QString> pragmaText(sqlite3* db, const char* sql)
{
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK)
        return fail(QStringLiteral("db_key_rejected"), sqliteMessage(db));
    QString value;
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        value = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(QStringLiteral("db_key_rejected"), sqliteMessage(db));
    return value;
}

} // namespace

Database::Database(sqlite3* handle, QString path)
    : m_db(handle)
    , m_path(std::move(path))
{
}

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
        return fail(QStringLiteral("db_open_failed"),
                    QStringLiteral("the database key must be %1 bytes, got %2").arg(kKeySize).arg(rawKey.size()));

    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return fail(QStringLiteral("db_open_failed"),
                    QStringLiteral("cannot create the folder %1").arg(info.absolutePath()));
    QFile::setPermissions(info.absolutePath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                   QFileDevice::ExeOwner);
    rep.created = !info.exists() || info.size() == 0;

    auto handle = openKeyed(path, rawKey);
    if (!handle)
        return std::unexpected(handle.error());
    std::unique_ptr<Database> db(new Database(*handle, path));

    // cipher_version is empty when the library is plain SQLite: the key would be ignored and the file
    // written in the clear. Refuse rather than store clinic data unencrypted.
    auto cipher = pragmaText(db->m_db, "PRAGMA cipher_version;");
    if (!cipher || cipher->isEmpty())
        return fail(QStringLiteral("db_not_sqlcipher"),
                    QStringLiteral("the SQLite library in use is not SQLCipher; refusing to store data unencrypted"));
    rep.cipherVersion = *cipher;

    // The first read of page 1 proves the key: with a wrong key SQLCipher reports "not a database".
    // The file is left untouched: a wrong key is not damage, and moving it aside would lose the outbox.
    if (auto proof = pragmaText(db->m_db, "SELECT count(*) FROM sqlite_master;"); !proof)
        return fail(QStringLiteral("db_key_rejected"),
                    QStringLiteral("the database %1 cannot be read with the key from the keychain (%2); "
                                   "it was left untouched")
                        .arg(path, proof.error().message));

    auto check = pragmaText(db->m_db, "PRAGMA quick_check;");
    if (!check || *check != QStringLiteral("ok")) {
        db.reset();
        auto moved = moveAside(path, QStringLiteral("corrupt"));
        if (!moved)
            return std::unexpected(moved.error());
        auto fresh = open(path, rawKey, migrations, &rep);
        if (!fresh)
            return fresh;
        rep.recovered = true;
        rep.movedAsidePath = *moved;
        return fresh;
    }

    if (auto session = execRaw(db->m_db, kSessionPragmas, QStringLiteral("db_open_failed")); !session)
        return std::unexpected(session.error());
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    auto version = db->scalar(QStringLiteral("PRAGMA user_version;"));
    if (!version)
        return std::unexpected(version.error());
    db->m_schemaVersion = version->toInt();

    const int newest = migrations.empty() ? 0 : migrations.back().version;
    if (db->m_schemaVersion > newest)
        return fail(QStringLiteral("db_newer_than_program"),
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
            return fail(QStringLiteral("db_migration_failed"),
                        QStringLiteral("schema step %1 (%2) failed: %3")
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
    if (sqlite3_prepare_v2(m_db, utf8.constData(), static_cast<int>(utf8.size()), &stmt, nullptr) != SQLITE_OK)
        return std::unexpected(lastError(QStringLiteral("db_query_failed"), QStringLiteral("prepare failed")));
    m_statements.insert(sql, stmt);
    return stmt;
}

Status Database::bindAll(sqlite3_stmt* stmt, const QVariantList& params)
{
    if (params.size() != sqlite3_bind_parameter_count(stmt))
        return fail(QStringLiteral("db_query_failed"),
                    QStringLiteral("statement expects %1 parameters, got %2")
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
                rc = sqlite3_bind_blob64(stmt, index, bytes.constData(), static_cast<sqlite3_uint64>(bytes.size()),
                                         SQLITE_TRANSIENT);
                break;
            }
            case QMetaType::QString: {
                const QByteArray text = v.toString().toUtf8();
                rc = sqlite3_bind_text64(stmt, index, text.constData(), static_cast<sqlite3_uint64>(text.size()),
                                         SQLITE_TRANSIENT, SQLITE_UTF8);
                break;
            }
            default:
                return fail(QStringLiteral("db_query_failed"),
                            QStringLiteral("parameter %1 has an unsupported type %2").arg(index).arg(v.typeName()));
            }
        }
        if (rc != SQLITE_OK)
            return std::unexpected(lastError(QStringLiteral("db_query_failed"), QStringLiteral("bind failed")));
    }
    return ok();
}

Result<QList<QVariantList>> Database::query(const QString& sql, const QVariantList& params)
{
    auto stmt = prepared(sql);
    if (!stmt)
        return std::unexpected(stmt.error());
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
        return std::unexpected(bound.error());

    QList<QVariantList> rows;
    const int columns = sqlite3_column_count(s);
    for (;;) {
        const int rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW)
            return std::unexpected(lastError(QStringLiteral("db_query_failed"), QStringLiteral("step failed")));
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
        return std::unexpected(rows.error());
    return static_cast<qint64>(sqlite3_changes(m_db));
}

Result<QVariant> Database::scalar(const QString& sql, const QVariantList& params)
{
    auto rows = query(sql, params);
    if (!rows)
        return std::unexpected(rows.error());
    if (rows->isEmpty() || rows->first().isEmpty())
        return QVariant();
    return rows->first().first();
}

Status Database::executeScript(const QString& sql)
{
    return execRaw(m_db, sql.toUtf8().constData(), QStringLiteral("db_query_failed"));
}

Status Database::transaction(const std::function<Status()>& body)
{
    if (m_inTransaction)
        return fail(QStringLiteral("db_nested_transaction"),
                    QStringLiteral("a transaction is already open on this database"));
    if (auto begun = executeScript(QStringLiteral("BEGIN IMMEDIATE;")); !begun)
        return begun;
    m_inTransaction = true;
    Status result = body();
    if (result)
        result = executeScript(QStringLiteral("COMMIT;"));
    if (!result)
        execRaw(m_db, "ROLLBACK;", QStringLiteral("db_query_failed")); // best effort; the error that matters is result's
    m_inTransaction = false;
    return result;
}

qint64 Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

} // namespace odis::storage
