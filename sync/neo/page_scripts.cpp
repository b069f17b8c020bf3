#include "sync/neo/page_scripts.h"

#include "sync/neo/neo_session_errors.h"

#include <QFile>
#include <QJsonDocument>

namespace odis::sync::page_scripts {

namespace {

[[nodiscard]] Result<QString> readResource(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(QString(neo_session_error::kScriptFailed),
                    QStringLiteral("page script missing: ") + path);
    }
    return QString::fromUtf8(file.readAll());
}

QString jsonLiteral(const QJsonObject& args)
{
    return QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact));
}

} // namespace

Result<QString> source(QStringView name)
{
    return readResource(QStringLiteral(":/odis/scripts/") + name);
}

Result<QString> webChannelSource()
{
    return readResource(QStringLiteral(":/qtwebchannel/qwebchannel.js"));
}

QString syncInvocation(const QString& function, const QJsonObject& args)
{
    return QStringLiteral("(") + function + QStringLiteral(")(") + jsonLiteral(args) + QStringLiteral(");");
}

QString asyncInvocation(int callId, const QString& function, const QJsonObject& args)
{
    return QStringLiteral("(typeof window.__odisCall === 'function') && window.__odisCall(") +
           QString::number(callId) + QStringLiteral(", (") + function + QStringLiteral("), ") +
           jsonLiteral(args) + QStringLiteral(");");
}

} // namespace odis::sync::page_scripts
