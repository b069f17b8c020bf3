#include "tests/sim/neo/sim_rules.h"

#include <QHash>

namespace odis::sim::neo {

namespace {

bool isTagStart(QChar c)
{
    return (c.unicode() < 128 && c.isLetter()) || c == QLatin1Char('/') || c == QLatin1Char('!') ||
           c == QLatin1Char('?');
}

// The tag's name in lower case, without the "/" of a closing tag.
QString tagName(QStringView tag)
{
    qsizetype i = tag.startsWith(QLatin1Char('/')) ? 1 : 0;
    const qsizetype from = i;
    while (i < tag.size() && tag.at(i).unicode() < 128 && tag.at(i).isLetterOrNumber())
        ++i;
    return tag.mid(from, i - from).toString().toLower();
}

bool breaksLineWhenClosed(const QString& name)
{
    static const QStringList names = {QStringLiteral("p"),  QStringLiteral("div"), QStringLiteral("li"),
                                      QStringLiteral("tr"), QStringLiteral("h1"),  QStringLiteral("h2"),
                                      QStringLiteral("h3"), QStringLiteral("h4"),  QStringLiteral("h5"),
                                      QStringLiteral("h6")};
    return names.contains(name);
}

// Removes tags, turning the line-breaking ones into "\n" and dropping <script>/<style> with content.
QString stripTags(const QString& html)
{
    QString out;
    out.reserve(html.size());
    qsizetype i = 0;
    const qsizetype n = html.size();
    while (i < n) {
        const QChar c = html.at(i);
        if (c != QLatin1Char('<') || i + 1 >= n || !isTagStart(html.at(i + 1))) {
            out += c;
            ++i;
            continue;
        }
        const qsizetype close = html.indexOf(QLatin1Char('>'), i + 1);
        if (close < 0) { // an unterminated "<" is text
            out += QStringView(html).mid(i);
            break;
        }
        const QStringView tag = QStringView(html).mid(i + 1, close - i - 1);
        const bool closing = tag.startsWith(QLatin1Char('/'));
        const QString name = tagName(tag);
        i = close + 1;
        if (!closing && (name == QLatin1String("script") || name == QLatin1String("style")) &&
            !tag.endsWith(QLatin1Char('/'))) {
            const qsizetype end = html.indexOf(QStringLiteral("</") + name, i, Qt::CaseInsensitive);
            const qsizetype endClose = end < 0 ? -1 : html.indexOf(QLatin1Char('>'), end);
            i = endClose < 0 ? n : endClose + 1;
            continue;
        }
        if ((!closing && name == QLatin1String("br")) || (closing && breaksLineWhenClosed(name)))
            out += QLatin1Char('\n');
    }
    return out;
}

std::optional<char32_t> decodeEntity(QStringView body)
{
    static const QHash<QString, char32_t> named = {
        {QStringLiteral("amp"), U'&'},  {QStringLiteral("lt"), U'<'},    {QStringLiteral("gt"), U'>'},
        {QStringLiteral("quot"), U'"'}, {QStringLiteral("apos"), U'\''}, {QStringLiteral("nbsp"), U'\u00A0'}};
    if (body.startsWith(QLatin1Char('#'))) {
        const bool hex =
            body.size() > 1 && (body.at(1) == QLatin1Char('x') || body.at(1) == QLatin1Char('X'));
        const QStringView digits = body.mid(hex ? 2 : 1);
        bool ok = false;
        const uint code = digits.isEmpty() ? 0 : digits.toString().toUInt(&ok, hex ? 16 : 10);
        if (!ok || code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return std::nullopt;
        return static_cast<char32_t>(code);
    }
    if (const auto it = named.constFind(body.toString()); it != named.cend())
        return *it;
    return std::nullopt;
}

QString decodeEntities(const QString& text)
{
    QString out;
    out.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        if (text.at(i) == QLatin1Char('&')) {
            const qsizetype semi = text.indexOf(QLatin1Char(';'), i + 1);
            // Entity names and numbers are short; a far ";" belongs to something else.
            if (semi > i + 1 && semi - i <= 10) {
                if (const auto code = decodeEntity(QStringView(text).mid(i + 1, semi - i - 1))) {
                    const char32_t cp[1] = {*code};
                    out += QString::fromUcs4(cp, 1);
                    i = semi + 1;
                    continue;
                }
            }
        }
        out += text.at(i);
        ++i;
    }
    return out;
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

bool containsWholeWord(const QString& haystack, const QString& needle)
{
    if (needle.isEmpty())
        return false;
    for (qsizetype at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
        const qsizetype after = at + needle.size();
        const bool startOk = at == 0 || !isWordChar(haystack.at(at - 1));
        const bool endOk = after >= haystack.size() || !isWordChar(haystack.at(after));
        if (startOk && endOk)
            return true;
    }
    return false;
}

struct Token
{
    qsizetype from = 0;
    qsizetype to = 0; // one past the last character
};

// The words of `text`: maximal runs of letters, digits and underscores.
QList<Token> wordsOf(const QString& text)
{
    QList<Token> words;
    qsizetype i = 0;
    while (i < text.size()) {
        if (!isWordChar(text.at(i))) {
            ++i;
            continue;
        }
        const qsizetype from = i;
        while (i < text.size() && isWordChar(text.at(i)))
            ++i;
        words.append({from, i});
    }
    return words;
}

bool onlySpacesOrHyphens(QStringView gap)
{
    if (gap.isEmpty())
        return false;
    for (const QChar c : gap) {
        if (!c.isSpace() && c != QLatin1Char('-'))
            return false;
    }
    return true;
}

// A vocabulary term ("put to sleep", "euthan*") against the words of `folded`: the term's words on
// consecutive words of the text, separated only by white space or hyphens; a final "*" word matches
// any word that starts with it.
bool containsTerm(const QString& folded, const QList<Token>& words, const QString& term)
{
    const QStringList parts = term.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return false;
    const auto wordMatches = [&](const Token& w, const QString& part) {
        const QStringView word = QStringView(folded).mid(w.from, w.to - w.from);
        if (part.endsWith(QLatin1Char('*')))
            return word.startsWith(part.chopped(1));
        return word == part;
    };
    for (qsizetype i = 0; i + parts.size() <= words.size(); ++i) {
        bool all = true;
        for (qsizetype k = 0; k < parts.size() && all; ++k) {
            all = wordMatches(words.at(i + k), parts.at(k));
            if (all && k > 0) {
                const Token& before = words.at(i + k - 1);
                all =
                    onlySpacesOrHyphens(QStringView(folded).mid(before.to, words.at(i + k).from - before.to));
            }
        }
        if (all)
            return true;
    }
    return false;
}

// A clinic's keyword, taken literally: made of words, it is matched like a term (hyphens and any white
// space between its words); otherwise as text with whole-word edges.
bool containsKeyword(const QString& folded, const QList<Token>& words, const QString& keyword)
{
    const QString k = keyword.simplified().toCaseFolded();
    if (k.isEmpty())
        return false;
    bool plainWords = true;
    for (const QChar c : k)
        plainWords = plainWords && (isWordChar(c) || c == QLatin1Char(' '));
    return plainWords ? containsTerm(folded, words, k) : containsWholeWord(folded, k);
}

} // namespace

QString htmlToText(const QString& html)
{
    const QString decoded = decodeEntities(stripTags(html));
    QStringList lines;
    for (const QString& line : decoded.split(QLatin1Char('\n'))) {
        const QString collapsed = line.simplified();
        if (!collapsed.isEmpty())
            lines.append(collapsed);
    }
    return lines.join(QLatin1Char('\n'));
}

QString matchableText(const QString& html)
{
    return htmlToText(html).replace(QLatin1Char('\n'), QLatin1Char(' '));
}

const QStringList& endOfLifeTerms()
{
    // docs/discharge-rules.md, "End-of-life words": the end-of-life list.
    static const QStringList terms = {
        QStringLiteral("euthan*"),
        QStringLiteral("euth"),
        QStringLiteral("eutha"),
        QStringLiteral("euthed"),
        QStringLiteral("pts"),
        QStringLiteral("put to sleep"),
        QStringLiteral("put down"),
        QStringLiteral("humane ending"),
        QStringLiteral("doa"),
        QStringLiteral("dead on arrival"),
        QStringLiteral("died"),
        QStringLiteral("dead"),
        QStringLiteral("death"),
        QStringLiteral("deceased"),
        QStringLiteral("dying"),
        QStringLiteral("passed away"),
        QStringLiteral("passed peacefully"),
        QStringLiteral("passed overnight"),
        QStringLiteral("passed at home"),
        QStringLiteral("passed in her sleep"),
        QStringLiteral("passed in his sleep"),
        QStringLiteral("passed in their sleep"),
        QStringLiteral("sadly passed"),
        QStringLiteral("cremat*"),
        QStringLiteral("cremains"),
        QStringLiteral("ashes"),
        QStringLiteral("urn"),
        QStringLiteral("urns"),
        QStringLiteral("memorial*"),
        QStringLiteral("paw print"),
        QStringLiteral("paw prints"),
        QStringLiteral("pawprint"),
        QStringLiteral("pawprints"),
        QStringLiteral("necrops*"),
        QStringLiteral("autops*"),
        QStringLiteral("post mortem*"),
        QStringLiteral("postmortem*"),
        QStringLiteral("rainbow bridge"),
        QStringLiteral("rip"),
    };
    return terms;
}

const QStringList& possibleEndOfLifeTerms()
{
    static const QStringList terms = {QStringLiteral("quality of life"), QStringLiteral("qol"),
                                      QStringLiteral("hospice"),         QStringLiteral("palliat*"),
                                      QStringLiteral("comfort care"),    QStringLiteral("end of life")};
    return terms;
}

EndOfLifeMention endOfLifeMention(const QString& text, const QStringList& extraTerms)
{
    const QString folded = matchableText(text).toCaseFolded();
    if (folded.isEmpty())
        return EndOfLifeMention::None;
    const QList<Token> words = wordsOf(folded);
    for (const QString& term : endOfLifeTerms()) {
        if (containsTerm(folded, words, term))
            return EndOfLifeMention::Definite;
    }
    for (const QString& term : extraTerms) {
        if (containsKeyword(folded, words, term))
            return EndOfLifeMention::Definite;
    }
    for (const QString& term : possibleEndOfLifeTerms()) {
        if (containsTerm(folded, words, term))
            return EndOfLifeMention::Possible;
    }
    return EndOfLifeMention::None;
}

bool mentionsEndOfLife(const QString& text, const QStringList& extraTerms)
{
    return endOfLifeMention(text, extraTerms) == EndOfLifeMention::Definite;
}

QString normalizeName(const QString& name)
{
    return name.normalized(QString::NormalizationForm_C).simplified();
}

QString normalizeStatus(const QString& raw)
{
    static const QHash<QString, QString> map = {
        {QStringLiteral("not arrived"), QStringLiteral("scheduled")},
        {QStringLiteral("scheduled"), QStringLiteral("scheduled")},
        {QStringLiteral("confirmed"), QStringLiteral("scheduled")},
        {QStringLiteral("booked"), QStringLiteral("scheduled")},
        {QStringLiteral("checked in"), QStringLiteral("checked_in")},
        {QStringLiteral("arrived"), QStringLiteral("checked_in")},
        {QStringLiteral("in progress"), QStringLiteral("in_progress")},
        {QStringLiteral("with doctor"), QStringLiteral("in_progress")},
        {QStringLiteral("in_progress"), QStringLiteral("in_progress")},
        {QStringLiteral("finalized"), QStringLiteral("completed")},
        {QStringLiteral("ready to pay"), QStringLiteral("completed")},
        {QStringLiteral("discharged"), QStringLiteral("completed")},
        {QStringLiteral("completed"), QStringLiteral("completed")},
        {QStringLiteral("no show"), QStringLiteral("no_show")},
        {QStringLiteral("cancelled"), QStringLiteral("cancelled")},
        {QStringLiteral("canceled"), QStringLiteral("cancelled")}};
    return map.value(raw.trimmed().toLower(), QStringLiteral("unknown"));
}

} // namespace odis::sim::neo
