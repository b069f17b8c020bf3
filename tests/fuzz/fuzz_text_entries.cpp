// Notes HTML and canonical JSON under the fuzzer: the properties their headers promise, for any input.

#include "sync/core/canonical_json.h"
#include "sync/core/html_sanitizer.h"
#include "sync/core/html_text.h"
#include "tests/fuzz/fuzz_entries.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace odis::fuzz {

namespace {

// Every tag the sanitiser may write (html_sanitizer.h), with the attributes it may keep.
QString checkSanitizedTags(const QString& html)
{
    static const QSet<QString> kAllowed{
        QStringLiteral("p"),      QStringLiteral("br"),         QStringLiteral("hr"),
        QStringLiteral("div"),    QStringLiteral("span"),       QStringLiteral("pre"),
        QStringLiteral("code"),   QStringLiteral("blockquote"), QStringLiteral("b"),
        QStringLiteral("strong"), QStringLiteral("i"),          QStringLiteral("em"),
        QStringLiteral("u"),      QStringLiteral("s"),          QStringLiteral("small"),
        QStringLiteral("sub"),    QStringLiteral("sup"),        QStringLiteral("mark"),
        QStringLiteral("h1"),     QStringLiteral("h2"),         QStringLiteral("h3"),
        QStringLiteral("h4"),     QStringLiteral("h5"),         QStringLiteral("h6"),
        QStringLiteral("ul"),     QStringLiteral("ol"),         QStringLiteral("li"),
        QStringLiteral("dl"),     QStringLiteral("dt"),         QStringLiteral("dd"),
        QStringLiteral("table"),  QStringLiteral("caption"),    QStringLiteral("thead"),
        QStringLiteral("tbody"),  QStringLiteral("tfoot"),      QStringLiteral("tr"),
        QStringLiteral("th"),     QStringLiteral("td")};
    // An attribute as the sanitiser writes it: a listed name and 1 to 4 ASCII digits in double quotes.
    static const QRegularExpression kTag(
        QStringLiteral("<(/?)([a-z0-9]+)((?: [a-z]+=\"[0-9]{1,4}\")*)(/?)>"));
    static const QRegularExpression kAttribute(QStringLiteral(" ([a-z]+)="));
    qsizetype at = 0;
    while ((at = html.indexOf(QLatin1Char('<'), at)) >= 0) {
        const QRegularExpressionMatch tag = kTag.match(html, at, QRegularExpression::NormalMatch,
                                                       QRegularExpression::AnchorAtOffsetMatchOption);
        if (!tag.hasMatch())
            return QStringLiteral("sanitised notes hold a '<' that is not an allowed tag at %1").arg(at);
        const QString name = tag.captured(2);
        if (!kAllowed.contains(name))
            return QStringLiteral("sanitised notes hold <%1>").arg(name.left(20));
        const QString attributeText = tag.captured(3);
        auto attributes = kAttribute.globalMatch(attributeText);
        while (attributes.hasNext()) {
            const QString attribute = attributes.next().captured(1);
            const bool cell = name == QLatin1String("td") || name == QLatin1String("th");
            const bool allowed =
                (cell && (attribute == QLatin1String("colspan") || attribute == QLatin1String("rowspan"))) ||
                (name == QLatin1String("ol") && attribute == QLatin1String("start")) ||
                (name == QLatin1String("li") && attribute == QLatin1String("value"));
            if (!allowed)
                return QStringLiteral("sanitised notes keep %1 on <%2>").arg(attribute.left(20), name);
        }
        at += tag.capturedLength();
    }
    return {};
}

QJsonValue documentValue(const QJsonDocument& document)
{
    return document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
}

} // namespace

QString fuzzHtmlText(QByteArrayView input)
{
    const QString html = QString::fromUtf8(input);
    const QString text = sync::htmlToText(html);
    if (text.contains(QLatin1String("\n\n")) || text.startsWith(QLatin1Char('\n')) ||
        text.endsWith(QLatin1Char('\n')))
        return QStringLiteral("notes_text holds an empty line");
    if (sync::hasNotes(html, QString()) != !text.isEmpty())
        return QStringLiteral("has_notes disagrees with notes_text");
    const QString sanitized = sync::sanitizeNotesHtml(html);
    if (sync::htmlToText(sanitized) != text)
        return QStringLiteral("notes_text of the sanitised notes differs from Neo's");
    if (sync::sanitizeNotesHtml(sanitized) != sanitized)
        return QStringLiteral("sanitising twice changes the notes");
    return checkSanitizedTags(sanitized);
}

QString fuzzCanonicalJson(QByteArrayView input)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(input.data(), input.size()), &error);
    if (error.error != QJsonParseError::NoError)
        return {};
    const QByteArray canonical = sync::canonicalJson(documentValue(document));
    // What the backend does: parse the bytes received and write them canonically again.
    const QJsonDocument again = QJsonDocument::fromJson(canonical, &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("canonical JSON does not parse: %1").arg(error.errorString());
    if (sync::canonicalJson(documentValue(again)) != canonical)
        return QStringLiteral("canonical JSON is not canonical once parsed again");
    if (canonical.contains(' ') && !document.toJson(QJsonDocument::Compact).contains(' '))
        return QStringLiteral("canonical JSON holds white space between tokens");
    if (document.isObject() && sync::payloadVersion(document.object()) != sync::sha256Hex(canonical))
        return QStringLiteral("the version is not the hash of the canonical JSON");
    return {};
}

} // namespace odis::fuzz
