#include "sync/core/html_scanner.h"

#include <QLatin1StringView>

#include <array>
#include <utility>

namespace odis::sync {

namespace {

bool isAsciiLetter(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z');
}

bool isTagNameChar(QChar c)
{
    const char16_t u = c.unicode();
    return isAsciiLetter(c) || (u >= u'0' && u <= u'9') || u == u'-' || u == u':' || u == u'_';
}

bool isHtmlSpace(QChar c)
{
    const char16_t u = c.unicode();
    return u == u' ' || u == u'\t' || u == u'\n' || u == u'\r' || u == u'\f';
}

// One pass over the markup, handing text characters and tags to the handler.
class Scanner
{
public:
    Scanner(QStringView html, HtmlHandler& handler)
        : m_in(html)
        , m_lastGt(html.lastIndexOf(u'>'))
        , m_handler(handler)
    {}

    void run()
    {
        while (m_pos < m_in.size()) {
            const QChar c = m_in.at(m_pos);
            if (c == u'<') {
                if (!markup()) {
                    m_handler.text(c);
                    ++m_pos;
                }
            } else if (c == u'&') {
                entity();
            } else if (c == u'\r') {
                m_handler.text(u'\n'); // "\r\n" and a lone "\r" are one line break
                ++m_pos;
                if (m_pos < m_in.size() && m_in.at(m_pos) == u'\n')
                    ++m_pos;
            } else {
                m_handler.text(c);
                ++m_pos;
            }
        }
    }

private:
    QChar at(qsizetype i) const { return i < m_in.size() ? m_in.at(i) : QChar(); }

    void appendCodePoint(char32_t cp)
    {
        // NUL, surrogates and values beyond Unicode are not characters: the replacement character stands in.
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            cp = 0xFFFD;
        if (QChar::requiresSurrogates(cp)) {
            m_handler.text(QChar(QChar::highSurrogate(cp)));
            m_handler.text(QChar(QChar::lowSurrogate(cp)));
        } else {
            m_handler.text(QChar(char16_t(cp)));
        }
    }

    // At a '<': consumes a tag, comment or declaration and returns true; false when the '<' is text.
    bool markup()
    {
        const QChar next = at(m_pos + 1);
        if (next == u'!' || next == u'?') {
            if (next == u'!' && m_in.sliced(m_pos).startsWith(u"<!--")) {
                const qsizetype close = m_in.indexOf(u"-->", m_pos + 4);
                m_pos = close < 0 ? m_in.size() : close + 3;
                return true;
            }
            const qsizetype close = m_pos + 2 > m_lastGt ? -1 : m_in.indexOf(u'>', m_pos + 2);
            if (close < 0)
                return false;
            m_pos = close + 1;
            return true;
        }
        const bool endTag = next == u'/';
        const qsizetype nameStart = m_pos + (endTag ? 2 : 1);
        if (!isAsciiLetter(at(nameStart))) {
            if (!endTag)
                return false;
            // "</" without a tag name ("</ p>", "</3>") is a bogus comment up to the next '>' for a
            // browser; with no '>' ahead it is text.
            const qsizetype close = nameStart > m_lastGt ? -1 : m_in.indexOf(u'>', nameStart);
            if (close < 0)
                return false;
            m_pos = close + 1;
            return true;
        }
        qsizetype nameEnd = nameStart;
        while (nameEnd < m_in.size() && isTagNameChar(m_in.at(nameEnd)))
            ++nameEnd;
        const qsizetype close = tagEnd(nameEnd);
        if (close < 0)
            return false;
        const QStringView name = m_in.sliced(nameStart, nameEnd - nameStart);
        const bool selfClosing = close > nameEnd && m_in.at(close - 1) == u'/';
        m_pos = close + 1;

        if (endTag) {
            m_handler.endTag(name);
        } else if (name.compare(u"script", Qt::CaseInsensitive) == 0 ||
                   name.compare(u"style", Qt::CaseInsensitive) == 0) {
            if (!selfClosing)
                skipRawText(name);
        } else {
            m_handler.startTag(name, m_in.sliced(nameEnd, close - nameEnd), selfClosing);
        }
        return true;
    }

    // The '>' that ends a tag whose attributes start at `from`: a '>' inside a quoted attribute value
    // does not count. An unterminated quote falls back to the first '>'. -1 when there is no '>'.
    qsizetype tagEnd(qsizetype from) const
    {
        // Without a '>' ahead no tag can end: answered at once, so "<a<a<a..." stays linear.
        if (from > m_lastGt)
            return -1;
        qsizetype i = from;
        while (i < m_in.size()) {
            const QChar c = m_in.at(i);
            if (c == u'>')
                return i;
            if (c == u'=') {
                qsizetype j = i + 1;
                while (j < m_in.size() && isHtmlSpace(m_in.at(j)))
                    ++j;
                const QChar quote = at(j);
                if (quote == u'"' || quote == u'\'') {
                    const qsizetype closeQuote = m_in.indexOf(quote, j + 1);
                    if (closeQuote < 0)
                        return m_in.indexOf(u'>', from);
                    i = closeQuote + 1;
                    continue;
                }
                i = j;
                continue;
            }
            ++i;
        }
        return -1;
    }

    // After <script ...> or <style ...>: everything up to and including the matching end tag goes.
    void skipRawText(QStringView name)
    {
        qsizetype search = m_pos;
        while (true) {
            const qsizetype open = m_in.indexOf(u"</", search);
            if (open < 0) {
                m_pos = m_in.size();
                return;
            }
            const qsizetype after = open + 2 + name.size();
            const QChar following = at(after);
            if (m_in.sliced(open + 2).startsWith(name, Qt::CaseInsensitive) &&
                (after >= m_in.size() || following == u'>' || following == u'/' || isHtmlSpace(following))) {
                const qsizetype close = m_in.indexOf(u'>', after);
                m_pos = close < 0 ? m_in.size() : close + 1;
                return;
            }
            search = open + 2;
        }
    }

    // At a '&': decodes one of the contract's entities, or keeps the '&' as text.
    void entity()
    {
        if (at(m_pos + 1) == u'#') {
            numericEntity();
            return;
        }
        static constexpr std::array<std::pair<QLatin1StringView, char16_t>, 6> kNamed{{
            {QLatin1StringView("amp;"), u'&'},
            {QLatin1StringView("lt;"), u'<'},
            {QLatin1StringView("gt;"), u'>'},
            {QLatin1StringView("quot;"), u'"'},
            {QLatin1StringView("apos;"), u'\''},
            {QLatin1StringView("nbsp;"), char16_t(0x00A0)},
        }};
        const QStringView rest = m_in.sliced(m_pos + 1);
        for (const auto& [name, character] : kNamed) {
            if (rest.startsWith(name)) {
                m_handler.text(QChar(character));
                m_pos += 1 + name.size();
                return;
            }
        }
        m_handler.text(u'&');
        ++m_pos;
    }

    // "&#233;" or "&#xE9;"; without digits or the closing ';' the '&' is text.
    void numericEntity()
    {
        qsizetype i = m_pos + 2;
        const bool hex = at(i) == u'x' || at(i) == u'X';
        if (hex)
            ++i;
        const qsizetype digitsStart = i;
        char32_t value = 0;
        bool overflow = false;
        while (i < m_in.size()) {
            const char16_t c = m_in.at(i).unicode();
            int digit = -1;
            if (c >= u'0' && c <= u'9')
                digit = c - u'0';
            else if (hex && c >= u'a' && c <= u'f')
                digit = c - u'a' + 10;
            else if (hex && c >= u'A' && c <= u'F')
                digit = c - u'A' + 10;
            if (digit < 0)
                break;
            // Past the last code point the value stops growing, so a long run of digits cannot wrap.
            if (!overflow) {
                value = value * (hex ? 16 : 10) + char32_t(digit);
                overflow = value > 0x10FFFF;
            }
            ++i;
        }
        if (i == digitsStart || at(i) != u';') {
            m_handler.text(u'&');
            ++m_pos;
            return;
        }
        appendCodePoint(overflow ? char32_t(0xFFFD) : value);
        m_pos = i + 1;
    }

    QStringView m_in;
    qsizetype m_lastGt = -1;
    qsizetype m_pos = 0;
    HtmlHandler& m_handler;
};

} // namespace

void scanHtml(QStringView html, HtmlHandler& handler)
{
    Scanner(html, handler).run();
}

bool endTagBreaksLine(QStringView name)
{
    static constexpr std::array<QLatin1StringView, 10> kBreaking{
        QLatin1StringView("p"),  QLatin1StringView("div"), QLatin1StringView("li"), QLatin1StringView("tr"),
        QLatin1StringView("h1"), QLatin1StringView("h2"),  QLatin1StringView("h3"), QLatin1StringView("h4"),
        QLatin1StringView("h5"), QLatin1StringView("h6")};
    for (QLatin1StringView breaking : kBreaking) {
        if (name.compare(breaking, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace odis::sync
