#include "sync/core/end_of_life_vocabulary.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>

namespace odis::sync {

namespace {

std::unexpected<Error> invalid(const QString& message)
{
    return fail(QString(kEndOfLifeVocabularyInvalid), message);
}

bool isTerm(const QString& term)
{
    // Lower-case words of letters, digits and apostrophes, one space apart; "*" only at the very end,
    // after at least three letters of its word.
    static const QRegularExpression shape(QStringLiteral(R"(^[\p{Ll}\p{N}']+( [\p{Ll}\p{N}']+)*$)"),
                                          QRegularExpression::UseUnicodePropertiesOption);
    static const QRegularExpression stem(QStringLiteral(R"((^| )[\p{Ll}\p{N}']{3,}$)"),
                                         QRegularExpression::UseUnicodePropertiesOption);
    if (!term.endsWith(QLatin1Char('*')))
        return shape.match(term).hasMatch();
    const QString head = term.chopped(1);
    return shape.match(head).hasMatch() && stem.match(head).hasMatch();
}

[[nodiscard]] Result<QStringList> readTerms(const QJsonObject& object, QLatin1StringView key,
                                            QSet<QString>& seen)
{
    const QJsonValue value = object.value(key);
    if (!value.isArray() || value.toArray().isEmpty())
        return invalid(QString(key) + QStringLiteral(" is missing, empty or not an array"));
    QStringList terms;
    const QJsonArray array = value.toArray();
    for (qsizetype index = 0; index < array.size(); ++index) {
        const QString path = QStringLiteral("%1[%2]").arg(QString(key)).arg(index);
        const QJsonValue entry = array.at(index);
        if (!entry.isString() || !isTerm(entry.toString()))
            return invalid(path +
                           QStringLiteral(" is not a lower-case term (words one space apart, an optional "
                                          "final * after three letters)"));
        if (seen.contains(entry.toString()))
            return invalid(path + QStringLiteral(" repeats \"%1\"").arg(entry.toString()));
        seen.insert(entry.toString());
        terms.append(entry.toString());
    }
    return terms;
}

} // namespace

Result<EndOfLifeVocabulary> parseEndOfLifeVocabulary(QByteArrayView json)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return invalid(QStringLiteral("not a JSON object"));
    const QJsonObject object = document.object();
    for (const QString& key : object.keys()) {
        if (key != QLatin1String("format") && key != QLatin1String("end_of_life") &&
            key != QLatin1String("end_of_life_possible"))
            return invalid(QStringLiteral("unknown key \"%1\"").arg(key));
    }
    if (object.value(QLatin1StringView("format")) != QJsonValue(1))
        return invalid(QStringLiteral("format is missing or not 1"));
    QSet<QString> seen;
    auto endOfLife = readTerms(object, QLatin1StringView("end_of_life"), seen);
    if (!endOfLife)
        return propagate(endOfLife);
    auto possible = readTerms(object, QLatin1StringView("end_of_life_possible"), seen);
    if (!possible)
        return propagate(possible);
    return EndOfLifeVocabulary{*endOfLife, *possible};
}

Result<EndOfLifeVocabulary> loadEndOfLifeVocabulary(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(
            QString(kEndOfLifeVocabularyUnreadable),
            QStringLiteral("cannot read the end-of-life vocabulary %1: %2").arg(path, file.errorString()));
    auto parsed = parseEndOfLifeVocabulary(file.readAll());
    if (!parsed)
        return fail(parsed.error().code, path + QStringLiteral(": ") + parsed.error().message);
    return parsed;
}

} // namespace odis::sync
