#include "sync/core/end_of_life.h"

#include "sync/core/html_text.h"

#include <QRegularExpressionMatch>

#include <algorithm>

namespace odis::sync {

namespace {

bool isWordCharacter(QChar character)
{
    return character.isLetterOrNumber() || character == u'_';
}

QString escapedTerm(const QString& term)
{
    // Words of a phrase are separated by any run of white space or hyphens.
    const QStringList words = term.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList escaped;
    for (const QString& word : words)
        escaped.append(QRegularExpression::escape(word));
    return escaped.join(QStringLiteral("[\\s\\-]+"));
}

} // namespace

QString matchableText(QStringView html)
{
    // htmlToText() trims and collapses every line, so joining its lines with one space collapses all.
    return htmlToText(html).replace(QLatin1Char('\n'), QLatin1Char(' '));
}

QStringList EndOfLifeMatcher::fixedTerms()
{
    return {QStringLiteral("euthanasia"),  QStringLiteral("euthanize"),       QStringLiteral("euthanized"),
            QStringLiteral("euthanise"),   QStringLiteral("euthanised"),      QStringLiteral("eutha"),
            QStringLiteral("pts"),         QStringLiteral("put to sleep"),    QStringLiteral("humane ending"),
            QStringLiteral("doa"),         QStringLiteral("dead on arrival"), QStringLiteral("deceased"),
            QStringLiteral("passed away"), QStringLiteral("death during"),    QStringLiteral("cremation")};
}

EndOfLifeMatcher::EndOfLifeMatcher(const QStringList& blockedKeywords)
    : m_terms(fixedTerms())
{
    for (const QString& keyword : blockedKeywords) {
        const QString term = keyword.simplified();
        if (!term.isEmpty() && !m_terms.contains(term, Qt::CaseInsensitive))
            m_terms.append(term);
    }
    // One capturing group per term, so a match tells which term it was. A boundary is asserted only on
    // an edge that is itself a word character ("#rip" has no word to protect before its '#').
    QStringList alternatives;
    for (const QString& term : std::as_const(m_terms)) {
        const QString before =
            isWordCharacter(term.front()) ? QStringLiteral("(?<![\\p{L}\\p{N}_])") : QString();
        const QString after =
            isWordCharacter(term.back()) ? QStringLiteral("(?![\\p{L}\\p{N}_])") : QString();
        alternatives.append(before + QLatin1Char('(') + escapedTerm(term) + QLatin1Char(')') + after);
    }
    m_pattern = QRegularExpression(alternatives.join(QLatin1Char('|')),
                                   QRegularExpression::CaseInsensitiveOption |
                                       QRegularExpression::UseUnicodePropertiesOption);
}

std::optional<QString> EndOfLifeMatcher::findIn(QStringView html) const
{
    const QString text = matchableText(html);
    if (text.isEmpty())
        return std::nullopt;
    const QRegularExpressionMatch match = m_pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    for (int group = 1; group <= match.lastCapturedIndex(); ++group) {
        if (match.capturedLength(group) > 0)
            return m_terms.at(group - 1);
    }
    return std::nullopt;
}

} // namespace odis::sync
