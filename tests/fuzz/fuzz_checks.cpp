#include "tests/fuzz/fuzz_checks.h"

#include <QRegularExpression>

namespace odis::fuzz {

sync::NeoResponse neoJsonResponse(QByteArrayView input)
{
    sync::NeoResponse response;
    response.httpStatus = 200;
    response.contentType = QByteArrayLiteral("application/json; charset=utf-8");
    response.body = QString::fromUtf8(input).toUtf8();
    response.invalidUtf8 = response.body != input;
    return response;
}

QString checkError(const Error& error)
{
    static const QRegularExpression kCode(QStringLiteral("^[a-z][a-z0-9_]*$"));
    if (!kCode.match(error.code).hasMatch())
        return QStringLiteral("error code not snake_case: '%1'").arg(error.code.left(80));
    if (error.message.isEmpty())
        return QStringLiteral("error %1 without a message").arg(error.code);
    if (error.message.size() > kMaxMessage)
        return QStringLiteral("error %1: message of %2 characters").arg(error.code).arg(error.message.size());
    return {};
}

QString checkWarnings(const QList<sync::DriftWarning>& warnings)
{
    if (warnings.size() > 200)
        return QStringLiteral("%1 drift warnings for one answer").arg(warnings.size());
    for (const sync::DriftWarning& warning : warnings) {
        if (warning.toString().size() > kMaxMessage)
            return QStringLiteral("drift warning of %1 characters on %2")
                .arg(warning.toString().size())
                .arg(warning.field.left(80));
        if (warning.occurrences < 1)
            return QStringLiteral("drift warning counted %1 times").arg(warning.occurrences);
    }
    return {};
}

QString checkNoReplacement(const sync::NeoResponse& response, std::initializer_list<QString> texts)
{
    if (!response.invalidUtf8)
        return {};
    for (const QString& text : texts) {
        if (text.contains(QChar::ReplacementCharacter))
            return QStringLiteral("a value of an answer of invalid UTF-8 was taken with U+FFFD in it");
    }
    return {};
}

} // namespace odis::fuzz
