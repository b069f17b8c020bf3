#include "storage/database.h"

#include "storage/codes/storage_codes.h"
#include "storage/sqlcipher_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace odis::storage {

using namespace sqlcipher_file;

namespace {

// After the key is proven: durability over speed (the outbox must survive power loss), WAL so the tray
// can read while a run writes, temporary tables in memory so nothing plaintext is spilled to disk.
const char* const kSessionPragmas = "PRAGMA journal_mode = WAL;"
                                    "PRAGMA synchronous = FULL;"
                                    "PRAGMA foreign_keys = ON;"
                                    "PRAGMA temp_store = MEMORY;"
                                    "PRAGMA secure_delete = ON;";

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
