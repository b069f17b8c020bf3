#pragma once

#include "storage/result.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>
#include <QVariantList>

#include <memory>

namespace odis::sim::backend {

// The backend double's own store: one SQLite file (Qt Sql, QSQLITE) in the state directory, so that what
// it received survives a restart. Each instance has its own connection name, so several servers (or a
// server recreated over the same directory) can coexist in one process.
class BackendDatabase
{
public:
    static inline const QString kFileName = QStringLiteral("backend-sim.sqlite");

    static Result<std::unique_ptr<BackendDatabase>> open(const QString& stateDirectory);
    ~BackendDatabase();
    BackendDatabase(const BackendDatabase&) = delete;
    BackendDatabase& operator=(const BackendDatabase&) = delete;

    // Runs one statement with positional (?) bindings.
    Status exec(const QString& sql, const QVariantList& binds = {});
    // The first column of the first row; an invalid QVariant when there is no row.
    Result<QVariant> scalar(const QString& sql, const QVariantList& binds = {});
    // Every row as a JSON object keyed by column name. Columns named "*_json" hold JSON text and are
    // returned parsed, under the name without the suffix.
    Result<QJsonArray> rows(const QString& sql, const QVariantList& binds = {});

    Status begin();
    Status commit();
    void rollback();

    // Deletes every row of every table (the schema stays).
    Status wipe();

    // UTC now, ISO 8601 with milliseconds and Z: how the store writes its own timestamps.
    [[nodiscard]] static QString nowText();
    [[nodiscard]] const QString& path() const { return m_path; }

private:
    BackendDatabase(QString connectionName, QString path);
    Status createSchema();
    QSqlDatabase db() const;

    QString m_connectionName;
    QString m_path;
};

// Rolls back unless committed: every multi-statement change is all or nothing.
class Transaction
{
public:
    explicit Transaction(BackendDatabase& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    [[nodiscard]] const Status& started() const { return m_started; }
    Status commit();

private:
    BackendDatabase& m_db;
    Status m_started;
    bool m_done = false;
};

} // namespace odis::sim::backend
