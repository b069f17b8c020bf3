#include "sync/core/neo_json.h"

#include "sync/core/neo_contract.h"

#include <QJsonArray>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QString>

#include <algorithm>

namespace odis::sync {

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// The body without a UTF-8 byte order mark and leading white space.
QByteArrayView trimmedStart(QByteArrayView body)
{
    if (body.startsWith("\xEF\xBB\xBF"))
        body = body.sliced(3);
    qsizetype i = 0;
    while (i < body.size() && isJsonSpace(body.at(i)))
        ++i;
    return body.sliced(i);
}

Error httpError(int status, QStringView endpoint)
{
    const QString where = endpoint.toString();
    const QString statusText = QString::number(status);
    if (status == 401 || status == 419) // 419: the "page expired" answer of PHP frameworks' session guards
        return {QString(neo_error::kSessionExpired), where + QStringLiteral(": HTTP ") + statusText};
    if (status == 404)
        return {QString(neo_error::kNotFound), where + QStringLiteral(": HTTP 404")};
    if (status == 429)
        return {QString(neo_error::kRateLimited), where + QStringLiteral(": HTTP 429")};
    if (status >= 500 && status <= 599)
        return {QString(neo_error::kServerError), where + QStringLiteral(": HTTP ") + statusText};
    if (status <= 0)
        return {QString(neo_error::kHttpError), where + QStringLiteral(": no HTTP answer")};
    return {QString(neo_error::kHttpError), where + QStringLiteral(": HTTP ") + statusText};
}

// Qt's parser refuses a scalar document ("null", "42"), which is valid JSON: wrapping it in an array
// tells "valid but the wrong shape" from "broken".
bool isJsonScalar(QByteArrayView body)
{
    QByteArray wrapped;
    wrapped.reserve(body.size() + 2);
    wrapped.append('[').append(body).append(']');
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &error);
    return error.error == QJsonParseError::NoError && doc.isArray() && doc.array().size() == 1;
}

} // namespace

bool isHtmlContentType(QByteArrayView contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArray mediaType =
        (semicolon < 0 ? contentType : contentType.first(semicolon)).toByteArray().trimmed().toLower();
    return mediaType == "text/html" || mediaType == "application/xhtml+xml";
}

bool bodyLooksLikeHtml(QByteArrayView body)
{
    const QByteArrayView rest = trimmedStart(body);
    return !rest.isEmpty() && rest.front() == '<';
}

bool looksLikeNeoLoginPage(QByteArrayView body)
{
    if (!bodyLooksLikeHtml(body))
        return false;
    // A login page is small; a huge page is looked at only at its start, where the form would be.
    constexpr qsizetype kScanLimit = 1 << 20;
    const QString page = QString::fromUtf8(body.first(std::min(body.size(), kScanLimit)));
    static const QRegularExpression passwordInput(
        QStringLiteral(R"(<input\b[^>]*\b(?:type|name)\s*=\s*["']?password\b)"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression expiredBanner(
        QStringLiteral(R"(\bclass\s*=\s*["'][^"']*\b(?:session-expired|login-required)\b)"),
        QRegularExpression::CaseInsensitiveOption);
    return passwordInput.match(page).hasMatch() || expiredBanner.match(page).hasMatch();
}

Result<QJsonDocument> decodeNeoJson(const NeoResponse& response, QStringView endpoint)
{
    if (response.httpStatus < 200 || response.httpStatus > 299)
        return std::unexpected(httpError(response.httpStatus, endpoint));

    const QString where = endpoint.toString();
    if (response.tooLargeBytes > 0)
        return fail(
            QString(neo_refusal::kValueTooLong),
            where +
                QStringLiteral(": an answer of more than %1 bytes, not read").arg(response.tooLargeBytes));
    if (isHtmlContentType(response.contentType) || bodyLooksLikeHtml(response.body)) {
        const QString what =
            looksLikeNeoLoginPage(response.body)
                ? QStringLiteral(": the login page where JSON was expected (session expired?)")
                : QStringLiteral(": HTML where JSON was expected");
        return fail(QString(neo_error::kHtmlInsteadOfJson), where + what);
    }

    if (trimmedStart(response.body).isEmpty())
        return fail(QString(neo_error::kInvalidJson), where + QStringLiteral(": empty body"));

    QJsonParseError error{};
    QJsonDocument doc = QJsonDocument::fromJson(response.body, &error);
    if (error.error != QJsonParseError::NoError) {
        if (isJsonScalar(response.body))
            return fail(QString(neo_error::kUnexpectedShape),
                        where + QStringLiteral(": a JSON scalar, neither an object nor an array"));
        return fail(QString(neo_error::kInvalidJson),
                    where + QStringLiteral(": invalid JSON (%1 at byte %2 of %3)")
                                .arg(error.errorString())
                                .arg(error.offset)
                                .arg(response.body.size()));
    }
    return doc;
}

} // namespace odis::sync
