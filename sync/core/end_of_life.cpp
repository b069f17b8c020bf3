#include "sync/core/end_of_life.h"

#include "sync/core/html_text.h"

#include <QRegularExpressionMatchIterator>

#include <algorithm>
#include <utility>

namespace odis::sync {

namespace {

const QString kWordCharacter = QStringLiteral("[\\p{L}\\p{N}_]");
const QString kSeparator = QStringLiteral("[\\s\\-]+");

bool isWordCharacter(QChar character)
{
    return character.isLetterOrNumber() || character == u'_';
}

// One alternative of the pattern. A boundary is asserted only on an edge that is itself a word
// character ("#rip" has no word to protect before its '#'); a vocabulary term's final '*' takes the
// rest of the word.
QString alternative(const QString& term, bool wildcard)
{
    const bool open = wildcard && term.endsWith(QLatin1Char('*'));
    const QString body = open ? term.chopped(1) : term;
    QStringList escaped;
    for (const QString& word : body.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        escaped.append(QRegularExpression::escape(word));
    QString pattern = escaped.join(kSeparator);
    if (isWordCharacter(body.front()))
        pattern.prepend(QStringLiteral("(?<!") + kWordCharacter + QLatin1Char(')'));
    if (open)
        pattern += kWordCharacter + QStringLiteral("*");
    else if (isWordCharacter(body.back()))
        pattern += QStringLiteral("(?!") + kWordCharacter + QLatin1Char(')');
    return QStringLiteral("(?:") + pattern + QLatin1Char(')');
}

QRegularExpression compile(const QStringList& terms, const QStringList& literal)
{
    // Longer terms first: at one position the first alternative that matches wins, and "dead on arrival"
    // says more than "dead".
    QList<std::pair<QString, bool>> ordered;
    for (const QString& term : terms)
        ordered.append({term, true});
    for (const QString& term : literal)
        ordered.append({term, false});
    std::ranges::stable_sort(
        ordered, [](const auto& left, const auto& right) { return left.first.size() > right.first.size(); });
    QStringList alternatives;
    for (const auto& [term, wildcard] : std::as_const(ordered))
        alternatives.append(alternative(term, wildcard));
    if (alternatives.isEmpty())
        return QRegularExpression(QStringLiteral("(?!)")); // matches nothing
    return QRegularExpression(alternatives.join(QLatin1Char('|')),
                              QRegularExpression::CaseInsensitiveOption |
                                  QRegularExpression::UseUnicodePropertiesOption);
}

QStringList wordsIn(const QRegularExpression& pattern, const QString& text)
{
    static const QRegularExpression separators(kSeparator);
    QStringList words;
    QRegularExpressionMatchIterator matches = pattern.globalMatch(text);
    while (matches.hasNext()) {
        const QString word =
            matches.next().captured().toCaseFolded().replace(separators, QStringLiteral(" "));
        if (!words.contains(word))
            words.append(word);
    }
    return words;
}

} // namespace

QString matchableText(QStringView html)
{
    // htmlToText() trims and collapses every line, so joining its lines with one space collapses all.
    return htmlToText(html).replace(QLatin1Char('\n'), QLatin1Char(' '));
}

EndOfLifeMatcher::EndOfLifeMatcher(const EndOfLifeVocabulary& vocabulary, const QStringList& blockedKeywords)
{
    QStringList keywords;
    for (const QString& keyword : blockedKeywords) {
        const QString term = keyword.simplified();
        if (!term.isEmpty() && !keywords.contains(term, Qt::CaseInsensitive))
            keywords.append(term);
    }
    m_endOfLife = compile(vocabulary.endOfLife, keywords);
    m_possible = compile(vocabulary.possible, {});
}

EndOfLifeWords EndOfLifeMatcher::findIn(QStringView html) const
{
    const QString text = matchableText(html);
    if (text.isEmpty())
        return {};
    return EndOfLifeWords{wordsIn(m_endOfLife, text), wordsIn(m_possible, text)};
}

} // namespace odis::sync
