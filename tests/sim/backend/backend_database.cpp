#include "tests/sim/backend/backend_database.h"

#include "tests/sim/backend/backend_schema.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace odis::sim::backend {

namespace {

QAtomicInt g_connectionCounter;

std::unexpected<Error> sqlFailed(const QSqlError& error)
{
    return fail(QStringLiteral("backend_store_failed"), error.text());
}

QJsonValue columnValue(const QVariant& value, bool isJsonText)
{
    if (value.isNull())
        return QJsonValue::Null;
    if (isJsonText) {
        const QJsonDocument doc = QJsonDocument::fromJson(value.toByteArray());
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    switch (value.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
        return value.toLongLong();
    case QMetaType::Double:
        return value.toDouble();
    case QMetaType::QByteArray:
        return QString::fromUtf8(value.toByteArray());
    default:
        return value.toString();
    }
}

} // namespace

BackendDatabase::BackendDatabase(QString connectionName, QString path)
    : m_connectionName(std::move(connectionName))
    , m_path(std::move(path))
{}

Result<std::unique_ptr<BackendDatabase>> BackendDatabase::open(const QString& stateDirectory)
{
    if (!QDir().mkpath(stateDirectory))
        return fail(QStringLiteral("backend_state_unusable"),
                    QStringLiteral("cannot create ") + stateDirectory);
    const QString name = QStringLiteral("odis-backend-sim-%1").arg(g_connectionCounter.fetchAndAddRelaxed(1));
    const QString path = QDir(stateDirectory).absoluteFilePath(kFileName);
    std::unique_ptr<BackendDatabase> database(new BackendDatabase(name, path));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(path);
    if (!db.open())
        return sqlFailed(db.lastError());
    if (auto schema = database->createSchema(); !schema)
        return std::unexpected(schema.error());
    return database;
}

BackendDatabase::~BackendDatabase()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase BackendDatabase::db() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Status BackendDatabase::createSchema()
{
    // WAL with synchronous=NORMAL: a committed transaction survives the process being killed (what a
    // restart test does); only a power cut could lose the last ones, which a test double can afford.
    for (const QString& pragma :
         {QStringLiteral("PRAGMA busy_timeout = 5000"), QStringLiteral("PRAGMA journal_mode = WAL"),
          QStringLiteral("PRAGMA synchronous = NORMAL")}) {
        if (auto set = exec(pragma); !set)
            return set;
    }
    Transaction tx(*this);
    if (!tx.started())
        return tx.started();
    for (const QString& statement : backendSchema()) {
        if (auto done = exec(statement); !done)
            return done;
    }
    return tx.commit();
}

Status BackendDatabase::exec(const QString& sql, const QVariantList& binds)
{
    QSqlQuery query(db());
    if (!query.prepare(sql))
        return sqlFailed(query.lastError());
    for (const QVariant& bind : binds)
        query.addBindValue(bind);
    if (!query.exec())
        return sqlFailed(query.lastError());
    return ok();
}

Result<QVariant> BackendDatabase::scalar(const QString& sql, const QVariantList& binds)
{
    QSqlQuery query(db());
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return sqlFailed(query.lastError());
    for (const QVariant& bind : binds)
        query.addBindValue(bind);
    if (!query.exec())
        return sqlFailed(query.lastError());
    return query.next() ? query.value(0) : QVariant();
}

Result<QJsonArray> BackendDatabase::rows(const QString& sql, const QVariantList& binds)
{
    QSqlQuery query(db());
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return sqlFailed(query.lastError());
    for (const QVariant& bind : binds)
        query.addBindValue(bind);
    if (!query.exec())
        return sqlFailed(query.lastError());
    QJsonArray out;
    while (query.next()) {
        const QSqlRecord record = query.record();
        QJsonObject row;
        for (int i = 0; i < record.count(); ++i) {
            QString name = record.fieldName(i);
            const bool isJson = name.endsWith(QStringLiteral("_json"));
            if (isJson)
                name.chop(5);
            row.insert(name, columnValue(query.value(i), isJson));
        }
        out.append(row);
    }
    return out;
}

Status BackendDatabase::begin()
{
    QSqlDatabase d = db();
    return d.transaction() ? ok() : sqlFailed(d.lastError());
}

Status BackendDatabase::commit()
{
    QSqlDatabase d = db();
    return d.commit() ? ok() : sqlFailed(d.lastError());
}

void BackendDatabase::rollback()
{
    db().rollback();
}

Status BackendDatabase::wipe()
{
    Transaction tx(*this);
    if (!tx.started())
        return tx.started();
    for (const QString& table : backendTables()) {
        if (auto done = exec(QStringLiteral("DELETE FROM ") + table); !done)
            return done;
    }
    return tx.commit();
}

QString BackendDatabase::nowText()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

Transaction::Transaction(BackendDatabase& db)
    : m_db(db)
    , m_started(db.begin())
{}

Transaction::~Transaction()
{
    if (m_started && !m_done)
        m_db.rollback();
}

Status Transaction::commit()
{
    m_done = true;
    return m_db.commit();
}

} // namespace odis::sim::backend
