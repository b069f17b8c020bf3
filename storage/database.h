#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>
#include <span>

struct sqlite3;
struct sqlite3_stmt;

namespace odis::storage {

// One schema step. Steps run in ascending version order, each in its own transaction that also sets
// PRAGMA user_version, so a crash leaves the database at the previous version, never half-migrated.
struct Migration
{
    int version = 0;
    QString description;
    QString sql; // one or more statements
};

// What open() found and did, for the status line and for the loud warning after a recovery.
struct OpenReport
{
    bool created = false;   // the file did not exist before
    bool recovered = false; // the integrity check failed: the old file was moved aside
    QString movedAsidePath; // where the damaged file now is (never deleted)
    int schemaVersion = 0;  // user_version after migrations
    int migrationsApplied = 0;
    QString cipherVersion; // PRAGMA cipher_version: proves the file is SQLCipher, not plain SQLite
};

// A SQLCipher database opened through SQLCipher's C API (Qt's QSQLITE driver ignores the key and
// writes plaintext). Cipher settings are pinned so a library upgrade cannot silently change the
// format; the key is applied as a raw 256-bit key (no KDF). Not thread-safe: one owner thread.
//
// Values are bound and returned as QVariant: null <-> NULL, integers and bool <-> INTEGER,
// double <-> REAL, QString <-> TEXT, QByteArray <-> BLOB.
class Database
{
public:
    static constexpr int kKeySize = 32;

    // Opens or creates the database at `path` with a 32-byte raw key, checks the cipher, proves the
    // key with a read, runs quick_check and the pending migrations. A file that fails quick_check is
    // moved aside (renamed, with its -wal and -shm) and a fresh database is created: see OpenReport.
    // Error codes: db_open_failed, db_key_rejected, db_not_sqlcipher, db_newer_than_program,
    // db_migration_failed, db_move_aside_failed.
    [[nodiscard]] static Result<std::unique_ptr<Database>> open(const QString& path, const QByteArray& rawKey,
                                                                std::span<const Migration> migrations,
                                                                OpenReport* report = nullptr);

    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one statement; returns the number of rows it changed.
    [[nodiscard]] Result<qint64> execute(const QString& sql, const QVariantList& params = {});
    // Runs one statement and returns every row (columns in SELECT order).
    [[nodiscard]] Result<QList<QVariantList>> query(const QString& sql, const QVariantList& params = {});
    // First column of the first row; an invalid QVariant when there is no row.
    [[nodiscard]] Result<QVariant> scalar(const QString& sql, const QVariantList& params = {});
    // Runs several statements without parameters (DDL, pragmas).
    [[nodiscard]] Status executeScript(const QString& sql);

    // BEGIN IMMEDIATE; body; COMMIT. Any failure of body (or of COMMIT) rolls back and is returned.
    // Not re-entrant: a transaction inside a transaction is an error (db_nested_transaction).
    [[nodiscard]] Status transaction(const std::function<Status()>& body);

    [[nodiscard]] qint64 lastInsertRowId() const;
    [[nodiscard]] int schemaVersion() const { return m_schemaVersion; }
    [[nodiscard]] QString path() const { return m_path; }
    [[nodiscard]] bool inTransaction() const { return m_inTransaction; }

private:
    Database(sqlite3* handle, QString path);
    [[nodiscard]] Result<sqlite3_stmt*> prepared(const QString& sql);
    [[nodiscard]] Status bindAll(sqlite3_stmt* stmt, const QVariantList& params);
    Error lastError(const QString& code, const QString& what) const;

    sqlite3* m_db = nullptr;
    QString m_path;
    int m_schemaVersion = 0;
    bool m_inTransaction = false;
    QHash<QString, sqlite3_stmt*> m_statements; // prepared once, reset after each use
};

} // namespace odis::storage
