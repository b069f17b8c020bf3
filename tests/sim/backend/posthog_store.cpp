#include "tests/sim/backend/posthog_store.h"

#include "tests/sim/backend/backend_database.h"
#include "tests/sim/backend/canonical_json.h"

#include <QDate>
#include <QDateTime>
#include <QRegularExpression>
#include <QUuid>

namespace odis::sim::backend {

namespace {

bool personalValue(const QJsonValue& value);

bool personalObject(const QJsonObject& object)
{
    static const QRegularExpression personalKey(
        QStringLiteral("(^|_)(name|first_name|last_name|phone|email|e_mail|notes?|address)($|_)"),
        QRegularExpression::CaseInsensitiveOption);
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        // A personal-sounding key is suspect when it holds text: a count such as `notes_found` is not.
        const bool personalText = personalKey.match(it.key()).hasMatch() && it.value().isString() &&
                                  !it.value().toString().trimmed().isEmpty();
        if (personalText || personalValue(it.value()))
            return true;
    }
    return false;
}

bool personalValue(const QJsonValue& value)
{
    static const QRegularExpression email(QStringLiteral("[^\\s@]+@[^\\s@]+\\.[^\\s@]+"));
    static const QRegularExpression phone(QStringLiteral("\\+?\\(?\\d[\\d\\s().-]{8,}\\d"));
    if (value.isString()) {
        const QString text = value.toString().trimmed();
        // Ids and timestamps hold digit runs that look like phone numbers ("…-b701-4223-8be8-…").
        if (!QUuid::fromString(text).isNull() || QDateTime::fromString(text, Qt::ISODateWithMs).isValid() ||
            QDate::fromString(text, Qt::ISODate).isValid())
            return false;
        return email.match(text).hasMatch() || phone.match(text).hasMatch();
    }
    if (value.isObject())
        return personalObject(value.toObject());
    if (value.isArray()) {
        for (const QJsonValue element : value.toArray()) {
            if (personalValue(element))
                return true;
        }
    }
    return false;
}

} // namespace

PosthogStore::PosthogStore(BackendDatabase& db)
    : m_db(db)
{}

bool PosthogStore::looksPersonal(const QJsonObject& properties)
{
    return personalObject(properties);
}

Status PosthogStore::add(const QJsonArray& events)
{
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started();
    const QString now = BackendDatabase::nowText();
    for (const QJsonValue value : events) {
        const QJsonObject e = value.toObject();
        const QJsonObject properties = e.value(QStringLiteral("properties")).toObject();
        if (auto done = m_db.exec(
                QStringLiteral("INSERT INTO posthog_events(event, distinct_id, timestamp, uuid, "
                               "received_at, pii_suspect, properties_json) VALUES(?, ?, ?, ?, ?, ?, ?)"),
                {e.value(QStringLiteral("event")).toString(),
                 e.value(QStringLiteral("distinct_id")).toString(),
                 e.value(QStringLiteral("timestamp")).toString(), e.value(QStringLiteral("uuid")).toString(),
                 now, looksPersonal(properties) ? 1 : 0, QString::fromUtf8(canonicalJson(properties))});
            !done)
            return done;
    }
    return tx.commit();
}

Result<QJsonArray> PosthogStore::events()
{
    return m_db.rows(
        QStringLiteral("SELECT id, event, distinct_id, timestamp, uuid, received_at, pii_suspect, "
                       "properties_json FROM posthog_events ORDER BY id"));
}

} // namespace odis::sim::backend
