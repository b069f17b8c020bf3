#include "tests/sim/contract/yaml_subset.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace odis::sim::contract {

namespace {

struct Line
{
    int number = 0; // 1-based, for errors
    int indent = 0;
    QString text; // without indentation and comment
};

std::unexpected<Error> yamlError(int line, const QString& problem)
{
    return fail(QStringLiteral("yaml_unsupported"), QStringLiteral("line %1: %2").arg(line).arg(problem));
}

// Cuts a comment: '#' at the start or after white space, outside quotes.
QString withoutComment(const QString& text)
{
    QChar quote;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            continue;
        }
        if ((c == u'\'' || c == u'"') && (i == 0 || text.at(i - 1).isSpace() || text.at(i - 1) == u'[' ||
                                          text.at(i - 1) == u',' || text.at(i - 1) == u':'))
            quote = c;
        else if (c == u'#' && (i == 0 || text.at(i - 1).isSpace()))
            return text.left(i);
    }
    return text;
}

class Parser
{
public:
    explicit Parser(QList<Line> lines)
        : m_lines(std::move(lines))
    {}

    Result<QJsonValue> document()
    {
        if (m_lines.isEmpty())
            return QJsonValue();
        auto value = block(m_lines.first().indent);
        if (value && m_pos < m_lines.size())
            return yamlError(m_lines.at(m_pos).number, QStringLiteral("unexpected indentation"));
        return value;
    }

private:
    static bool isItem(const QString& text) { return text == u'-' || text.startsWith(QStringLiteral("- ")); }

    Result<QJsonValue> block(int indent)
    {
        return isItem(m_lines.at(m_pos).text) ? sequence(indent) : mapping(indent);
    }

    Result<QJsonValue> sequence(int indent)
    {
        QJsonArray array;
        while (m_pos < m_lines.size() && m_lines.at(m_pos).indent == indent &&
               isItem(m_lines.at(m_pos).text)) {
            Line& line = m_lines[m_pos];
            const QString rest = line.text.mid(1).trimmed();
            if (rest.isEmpty()) {
                ++m_pos;
                auto nested = nestedBlock(indent);
                if (!nested)
                    return nested;
                array.append(*nested);
            } else if (keyEnd(rest) >= 0) {
                // "- key: value" opens a mapping whose keys sit where "key" starts.
                line.indent = indent + int(line.text.indexOf(rest));
                line.text = rest;
                auto nested = mapping(line.indent);
                if (!nested)
                    return nested;
                array.append(*nested);
            } else {
                auto value = scalarOrFlow(rest, line.number);
                if (!value)
                    return value;
                array.append(*value);
                ++m_pos;
            }
        }
        return array;
    }

    Result<QJsonValue> mapping(int indent)
    {
        QJsonObject object;
        while (m_pos < m_lines.size() && m_lines.at(m_pos).indent == indent &&
               !isItem(m_lines.at(m_pos).text)) {
            const Line line = m_lines.at(m_pos);
            const qsizetype end = keyEnd(line.text);
            if (end < 0)
                return yamlError(line.number, QStringLiteral("expected \"key: value\""));
            auto key = unquote(line.text.left(end).trimmed(), line.number);
            if (!key)
                return std::unexpected(key.error());
            if (object.contains(*key))
                return yamlError(line.number, QStringLiteral("duplicate key ") + *key);
            const QString rest = line.text.mid(end + 1).trimmed();
            ++m_pos;
            Result<QJsonValue> value = QJsonValue();
            if (rest.isEmpty()) {
                value = nestedBlock(indent, /*sequenceMayShareIndent=*/true);
            } else if (rest.startsWith(u'|') || rest.startsWith(u'>')) {
                return yamlError(line.number,
                                 QStringLiteral("block scalars are not supported: write one line"));
            } else {
                value = scalarOrFlow(rest, line.number);
            }
            if (!value)
                return value;
            object.insert(*key, *value);
        }
        return object;
    }

    // The block under a "key:" or "-": deeper lines, or (YAML allows it) a sequence at the key's indentation.
    Result<QJsonValue> nestedBlock(int parentIndent, bool sequenceMayShareIndent = false)
    {
        if (m_pos >= m_lines.size())
            return QJsonValue();
        const Line& next = m_lines.at(m_pos);
        if (next.indent > parentIndent)
            return block(next.indent);
        if (sequenceMayShareIndent && next.indent == parentIndent && isItem(next.text))
            return sequence(parentIndent);
        return QJsonValue();
    }

    // Where the key of "key: value" / "key:" ends (the colon), or -1.
    static qsizetype keyEnd(const QString& text)
    {
        if (text.startsWith(u'"') || text.startsWith(u'\'')) {
            const qsizetype close = text.indexOf(text.at(0), 1);
            return close > 0 && text.mid(close + 1).startsWith(u':') &&
                           (close + 2 == text.size() || text.at(close + 2) == u' ')
                       ? close + 1
                       : -1;
        }
        if (text.startsWith(u'[') || text.startsWith(u'{'))
            return -1;
        for (qsizetype i = 0; i < text.size(); ++i) {
            if (text.at(i) == u':' && (i + 1 == text.size() || text.at(i + 1) == u' '))
                return i;
        }
        return -1;
    }

    static Result<QString> unquote(const QString& text, int line)
    {
        if (text.size() >= 2 && text.startsWith(u'\'') && text.endsWith(u'\''))
            return text.mid(1, text.size() - 2).replace(QStringLiteral("''"), QStringLiteral("'"));
        if (text.size() >= 2 && text.startsWith(u'"') && text.endsWith(u'"')) {
            QString out;
            for (qsizetype i = 1; i < text.size() - 1; ++i) {
                QChar c = text.at(i);
                if (c == u'\\' && i + 1 < text.size() - 1) {
                    const QChar e = text.at(++i);
                    c = e == u'n' ? QChar(u'\n') : e == u't' ? QChar(u'\t') : e;
                    if (e != u'n' && e != u't' && e != u'"' && e != u'\\' && e != u'/')
                        return yamlError(line, QStringLiteral("unsupported escape \\") + e);
                }
                out += c;
            }
            return out;
        }
        if (text.startsWith(u'&') || text.startsWith(u'*') || text.startsWith(u'!') ||
            text.startsWith(u'@') || text.startsWith(u'`'))
            return yamlError(line, QStringLiteral("anchors, aliases and tags are not supported"));
        return text;
    }

    static Result<QJsonValue> scalarOrFlow(const QString& text, int line)
    {
        if (text == QStringLiteral("{}"))
            return QJsonValue(QJsonObject());
        if (text.startsWith(u'{'))
            return yamlError(line, QStringLiteral("flow mappings with content are not supported"));
        if (text.startsWith(u'[')) {
            if (!text.endsWith(u']'))
                return yamlError(line, QStringLiteral("a flow sequence must end on its line"));
            QJsonArray array;
            const QString inner = text.mid(1, text.size() - 2).trimmed();
            if (inner.isEmpty())
                return QJsonValue(array);
            for (const QString& part : splitFlow(inner)) {
                auto value = scalar(part.trimmed(), line);
                if (!value)
                    return value;
                array.append(*value);
            }
            return QJsonValue(array);
        }
        return scalar(text, line);
    }

    static QStringList splitFlow(const QString& inner)
    {
        QStringList parts;
        QString current;
        QChar quote;
        for (const QChar c : inner) {
            if (!quote.isNull() && c == quote)
                quote = QChar();
            else if (quote.isNull() && (c == u'\'' || c == u'"'))
                quote = c;
            if (quote.isNull() && c == u',') {
                parts << current;
                current.clear();
            } else {
                current += c;
            }
        }
        parts << current;
        return parts;
    }

    static Result<QJsonValue> scalar(const QString& text, int line)
    {
        if (text.startsWith(u'\'') || text.startsWith(u'"')) {
            auto s = unquote(text, line);
            if (!s)
                return std::unexpected(s.error());
            return QJsonValue(*s);
        }
        if (text.startsWith(u'[') || text.startsWith(u'{'))
            return yamlError(line, QStringLiteral("nested flow collections are not supported"));
        if (text == QStringLiteral("null") || text == u'~')
            return QJsonValue();
        if (text == QStringLiteral("true") || text == QStringLiteral("false"))
            return QJsonValue(text == QStringLiteral("true"));
        static const QRegularExpression number(
            QStringLiteral("^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?$"));
        if (number.match(text).hasMatch())
            return QJsonValue(text.toDouble());
        auto plain = unquote(text, line);
        if (!plain)
            return std::unexpected(plain.error());
        return QJsonValue(*plain);
    }

    QList<Line> m_lines;
    qsizetype m_pos = 0;
};

} // namespace

Result<QJsonValue> parseYamlSubset(const QByteArray& text)
{
    QList<Line> lines;
    int number = 0;
    for (const QString& raw : QString::fromUtf8(text).split(u'\n')) {
        ++number;
        if (raw.contains(u'\t'))
            return yamlError(number, QStringLiteral("tabs are not supported"));
        if (raw.startsWith(QStringLiteral("---")) || raw.startsWith(QStringLiteral("...")))
            return yamlError(number, QStringLiteral("one document per file"));
        const QString content = withoutComment(raw);
        const QString trimmed = content.trimmed();
        if (trimmed.isEmpty())
            continue;
        int indent = 0;
        while (content.at(indent) == u' ')
            ++indent;
        lines.append(Line{number, indent, trimmed});
    }
    return Parser(std::move(lines)).document();
}

} // namespace odis::sim::contract
