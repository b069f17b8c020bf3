#pragma once

// The raw SQLCipher file under storage::Database: opening it with the raw key and the cipher settings pinned
// for the library's version, PRAGMA reads with SQLite's result code, the integrity check that tells damage
// from a file it could not read, and moving a damaged file aside. database.cpp builds the Database on these;
// nothing outside storage/ includes this header.

#include "storage/result.h"

#include <QString>
#include <QStringList>

#include <expected>

// sqlite3_key() is declared only when the codec is announced.
#define SQLITE_HAS_CODEC 1
#include <sqlcipher/sqlite3.h>

namespace odis::storage::sqlcipher_file {

// SQLite's message for the handle's last error ("out of memory" without a handle).
[[nodiscard]] QString sqliteMessage(sqlite3* db);

// Moves the database and its companions aside with a UTC time stamp; they are kept for a person to
// inspect (the outbox and audit log cannot be rebuilt from Neo, so nothing is ever deleted here).
[[nodiscard]] Result<QString> moveAside(const QString& path, const QString& why);

// Runs `sql` (one or more statements); fails with `code` and SQLite's message.
[[nodiscard]] Status execRaw(sqlite3* db, const char* sql, const QString& code);

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

// Every row's first column (at most `maxRows`) of one statement.
[[nodiscard]] std::expected<PragmaAnswer, PragmaFailure> pragmaRows(sqlite3* db, const char* sql,
                                                                    int maxRows = 100);

// Opens the file and applies the key and the pinned settings for the library's version; does not yet read
// anything. Also returns the version (empty: not SQLCipher).
[[nodiscard]] Result<sqlite3*> openKeyed(const QString& path, const QByteArray& rawKey,
                                         QString* cipherVersion);

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

[[nodiscard]] Result<IntegrityVerdict> checkIntegrity(sqlite3* db, const QString& path);

} // namespace odis::storage::sqlcipher_file
