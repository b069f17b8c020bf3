#include "agent/managed/policy_reader.h"

#include "agent/managed/managed_keys.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QMetaType>

#include <optional>

namespace odis::agent::managed {

namespace {

std::unexpected<Error> invalid(const PolicyStore& store, const ManagedKey& key, const QString& problem)
{
    return fail(QString(kConfigInvalid),
                QStringLiteral("%1: %2 (%3) %4")
                    .arg(store.description(), QString(key.policy), QString(key.config), problem));
}

bool isInteger(const QVariant& value)
{
    switch (value.metaType().id()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
        return true;
    default:
        return false;
    }
}

bool isString(const QVariant& value)
{
    return value.metaType().id() == QMetaType::QString;
}

// A list of strings from REG_MULTI_SZ, a ';'-separated REG_SZ or a plist array; nullopt when the value
// is of another type.
std::optional<QStringList> stringList(const QVariant& value, PolicyDialect dialect)
{
    QStringList items;
    if (value.metaType().id() == QMetaType::QStringList) { // REG_MULTI_SZ, or a plist array of strings
        items = value.toStringList();
    } else if (dialect == PolicyDialect::Registry && isString(value)) {
        items = value.toString().split(QLatin1Char(';'));
    } else if (dialect == PolicyDialect::Plist && value.metaType().id() == QMetaType::QVariantList) {
        for (const QVariant& item : value.toList()) {
            if (!isString(item))
                return std::nullopt;
            items << item.toString();
        }
    } else {
        return std::nullopt;
    }
    QStringList kept;
    for (const QString& item : std::as_const(items)) {
        if (!item.trimmed().isEmpty())
            kept << item.trimmed();
    }
    return kept;
}

// The value in config.json's terms; an undefined QJsonValue when it is not set (empty). Type errors are
// reported here, in the store's words; the meaning is checked by the file's parser afterwards.
[[nodiscard]] Result<QJsonValue> toJson(const PolicyStore& store, const ManagedKey& key,
                                        const QVariant& value)
{
    const bool registry = store.dialect() == PolicyDialect::Registry;
    switch (key.kind) {
    case ManagedKind::HttpsUrl:
    case ManagedKind::File:
    case ManagedKind::Text:
    case ManagedKind::LogLevel:
    case ManagedKind::EnrollmentCode: {
        if (!isString(value))
            return invalid(store, key,
                           registry ? QStringLiteral("must be a string (REG_SZ)")
                                    : QStringLiteral("must be a <string>"));
        const QString text = value.toString().trimmed();
        if (text.isEmpty())
            return QJsonValue(QJsonValue::Undefined);
        if (key.kind == ManagedKind::File && !QDir::isAbsolutePath(QDir::fromNativeSeparators(text)))
            return invalid(store, key, QStringLiteral("must be an absolute path"));
        return QJsonValue(key.kind == ManagedKind::File ? QDir::fromNativeSeparators(text) : text);
    }
    case ManagedKind::PinList:
    case ManagedKind::OriginList: {
        const auto list = stringList(value, store.dialect());
        if (!list)
            return invalid(store, key,
                           registry
                               ? QStringLiteral("must be a list (REG_MULTI_SZ, or REG_SZ separated by ';')")
                               : QStringLiteral("must be an <array> of <string>"));
        if (list->isEmpty())
            return QJsonValue(QJsonValue::Undefined);
        return QJsonValue(QJsonArray::fromStringList(*list));
    }
    case ManagedKind::Seconds: {
        if (isInteger(value))
            return QJsonValue(value.toLongLong());
        if (!registry && value.metaType().id() == QMetaType::Double)
            return QJsonValue(value.toDouble()); // the file's rule refuses a fraction
        bool digits = false;
        const qlonglong number =
            registry && isString(value) ? value.toString().trimmed().toLongLong(&digits) : 0;
        if (digits)
            return QJsonValue(number);
        if (registry && isString(value) && value.toString().trimmed().isEmpty())
            return QJsonValue(QJsonValue::Undefined);
        return invalid(store, key,
                       registry ? QStringLiteral("must be a number of seconds (REG_DWORD)")
                                : QStringLiteral("must be an <integer> number of seconds"));
    }
    case ManagedKind::Flag: {
        if (!registry) {
            if (value.metaType().id() != QMetaType::Bool)
                return invalid(store, key, QStringLiteral("must be <true/> or <false/>"));
            return QJsonValue(value.toBool());
        }
        if (isInteger(value) && (value.toLongLong() == 0 || value.toLongLong() == 1))
            return QJsonValue(value.toLongLong() == 1);
        if (isString(value)) {
            const QString text = value.toString().trimmed().toLower();
            if (text.isEmpty())
                return QJsonValue(QJsonValue::Undefined);
            if (text == QLatin1String("1") || text == QLatin1String("true"))
                return QJsonValue(true);
            if (text == QLatin1String("0") || text == QLatin1String("false"))
                return QJsonValue(false);
        }
        return invalid(store, key, QStringLiteral("must be 0 or 1 (REG_DWORD)"));
    }
    }
    return invalid(store, key, QStringLiteral("has an unknown kind"));
}

// Sets "a.b" in `root`.
void insertAt(QJsonObject& root, const QString& path, const QJsonValue& value)
{
    const qsizetype dot = path.indexOf(QLatin1Char('.'));
    if (dot < 0) {
        root.insert(path, value);
        return;
    }
    const QString section = path.left(dot);
    QJsonObject inner = root.value(section).toObject();
    insertAt(inner, path.mid(dot + 1), value);
    root.insert(section, inner);
}

} // namespace

Result<AgentConfigLayer> readPolicyLayer(const PolicyStore& store)
{
    const auto names = store.names();
    if (!names)
        return propagate(names);
    for (const QString& name : *names) {
        if (managedKeyByPolicyName(name) == nullptr)
            return fail(QString(kConfigInvalid),
                        QStringLiteral("%1: %2 is not a known setting").arg(store.description(), name));
    }

    QJsonObject root;
    for (const ManagedKey& key : managedKeys()) {
        const auto value = store.value(QString(key.policy));
        if (!value)
            return propagate(value);
        if (!*value)
            continue;
        const auto json = toJson(store, key, **value);
        if (!json)
            return propagate(json);
        if (json->isUndefined())
            continue;
        // Checked alone first, so that a refusal names the policy value IT set, not only the file's key.
        QJsonObject single;
        insertAt(single, QString(key.config), *json);
        const QString named = QStringLiteral("%1: %2").arg(store.description(), QString(key.policy));
        if (auto checked =
                parseAgentConfigLayer(QJsonDocument(single).toJson(), named, ConfigLayerKind::Managed);
            !checked)
            return propagate(checked);
        insertAt(root, QString(key.config), *json);
    }
    return parseAgentConfigLayer(QJsonDocument(root).toJson(), store.description(), ConfigLayerKind::Managed);
}

} // namespace odis::agent::managed
