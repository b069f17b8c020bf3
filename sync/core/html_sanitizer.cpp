#include "sync/core/html_sanitizer.h"

#include "sync/core/html_scanner.h"

#include <QLatin1StringView>
#include <QList>

#include <algorithm>
#include <array>

namespace odis::sync {

namespace {

enum class Shape
{
    Normal,
    Void,       // no end tag, never open (br, hr)
    BreaksLine, // its end tag ends a line of text in htmlToText() (html_scanner.h, endTagBreaksLine())
};

struct AllowedElement
{
    QLatin1StringView name;
    Shape shape = Shape::Normal;
    // Attributes kept on this element, each as 1 to 4 ASCII digits.
    std::array<QLatin1StringView, 2> numericAttributes{};
};

constexpr QLatin1StringView operator""_l1(const char* text, std::size_t size)
{
    return QLatin1StringView(text, qsizetype(size));
}

constexpr std::array kAllowed{
    AllowedElement{"p"_l1, Shape::BreaksLine},
    AllowedElement{"br"_l1, Shape::Void},
    AllowedElement{"hr"_l1, Shape::Void},
    AllowedElement{"div"_l1, Shape::BreaksLine},
    AllowedElement{"span"_l1},
    AllowedElement{"pre"_l1},
    AllowedElement{"code"_l1},
    AllowedElement{"blockquote"_l1},
    AllowedElement{"b"_l1},
    AllowedElement{"strong"_l1},
    AllowedElement{"i"_l1},
    AllowedElement{"em"_l1},
    AllowedElement{"u"_l1},
    AllowedElement{"s"_l1},
    AllowedElement{"small"_l1},
    AllowedElement{"sub"_l1},
    AllowedElement{"sup"_l1},
    AllowedElement{"mark"_l1},
    AllowedElement{"h1"_l1, Shape::BreaksLine},
    AllowedElement{"h2"_l1, Shape::BreaksLine},
    AllowedElement{"h3"_l1, Shape::BreaksLine},
    AllowedElement{"h4"_l1, Shape::BreaksLine},
    AllowedElement{"h5"_l1, Shape::BreaksLine},
    AllowedElement{"h6"_l1, Shape::BreaksLine},
    AllowedElement{"ul"_l1},
    AllowedElement{"ol"_l1, Shape::Normal, {"start"_l1}},
    AllowedElement{"li"_l1, Shape::BreaksLine, {"value"_l1}},
    AllowedElement{"dl"_l1},
    AllowedElement{"dt"_l1},
    AllowedElement{"dd"_l1},
    AllowedElement{"table"_l1},
    AllowedElement{"caption"_l1},
    AllowedElement{"thead"_l1},
    AllowedElement{"tbody"_l1},
    AllowedElement{"tfoot"_l1},
    AllowedElement{"tr"_l1, Shape::BreaksLine},
    AllowedElement{"th"_l1, Shape::Normal, {"colspan"_l1, "rowspan"_l1}},
    AllowedElement{"td"_l1, Shape::Normal, {"colspan"_l1, "rowspan"_l1}},
};

// The index of `name` in kAllowed, or -1.
qsizetype allowedIndex(QStringView name)
{
    const auto found = std::ranges::find_if(
        kAllowed, [&](const AllowedElement& e) { return name.compare(e.name, Qt::CaseInsensitive) == 0; });
    return found == kAllowed.end() ? -1 : found - kAllowed.begin();
}

bool isAttributeSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r' || c == u'\f' || c == u'/';
}

bool isAsciiDigits(QStringView value, qsizetype maxDigits)
{
    return !value.isEmpty() && value.size() <= maxDigits &&
           std::ranges::all_of(value, [](QChar c) { return c >= u'0' && c <= u'9'; });
}

// One attribute of a start tag's source: its name and value as written (quotes removed, references
// not decoded: a kept value must be plain digits, so "&#50;" is not one).
struct Attribute
{
    QStringView name;
    QStringView value;
};

// The attributes of `source` in order (HTML's attribute syntax; what does not parse is skipped).
QList<Attribute> parseAttributes(QStringView source)
{
    QList<Attribute> out;
    qsizetype i = 0;
    const qsizetype n = source.size();
    while (i < n) {
        while (i < n && isAttributeSpace(source.at(i)))
            ++i;
        const qsizetype nameStart = i;
        while (i < n && !isAttributeSpace(source.at(i)) && source.at(i) != u'=')
            ++i;
        if (i == nameStart) { // a '=' with no name before it
            ++i;
            continue;
        }
        Attribute attribute{source.sliced(nameStart, i - nameStart), {}};
        qsizetype j = i;
        while (j < n && isAttributeSpace(source.at(j)) && source.at(j) != u'/')
            ++j;
        if (j < n && source.at(j) == u'=') {
            ++j;
            while (j < n && isAttributeSpace(source.at(j)) && source.at(j) != u'/')
                ++j;
            if (j < n && (source.at(j) == u'"' || source.at(j) == u'\'')) {
                const qsizetype close = source.indexOf(source.at(j), j + 1);
                const qsizetype end = close < 0 ? n : close;
                attribute.value = source.sliced(j + 1, end - j - 1);
                j = close < 0 ? n : close + 1;
            } else {
                const qsizetype valueStart = j;
                while (j < n && !isAttributeSpace(source.at(j)))
                    ++j;
                attribute.value = source.sliced(valueStart, j - valueStart);
            }
            i = j;
        }
        out.append(attribute);
    }
    return out;
}

// The references htmlToText() decodes: kept escaped, so that the text form of the output is the input's.
bool isDecodedReference(QStringView name)
{
    static constexpr std::array<QLatin1StringView, 6> kDecoded{"amp"_l1,  "lt"_l1,   "gt"_l1,
                                                               "quot"_l1, "apos"_l1, "nbsp"_l1};
    return std::ranges::any_of(kDecoded, [&](QLatin1StringView d) { return name == d; });
}

// At a '&' of decoded text: the length of a named reference starting there ("&eacute;" -> 8) that
// htmlToText() leaves as it is, or 0.
qsizetype keptReferenceLength(QStringView text, qsizetype at)
{
    constexpr qsizetype kMaxName = 32;
    qsizetype i = at + 1;
    while (i < text.size() && i - at - 1 < kMaxName) {
        const char16_t c = text.at(i).unicode();
        const bool letter = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
        if (!letter && !(i > at + 1 && c >= u'0' && c <= u'9'))
            break;
        ++i;
    }
    if (i == at + 1 || i >= text.size() || text.at(i) != u';' ||
        isDecodedReference(text.sliced(at + 1, i - at - 1)))
        return 0;
    return i + 1 - at;
}

class Sanitizer final : public HtmlHandler
{
public:
    explicit Sanitizer(qsizetype sizeHint) { m_out.reserve(sizeHint + sizeHint / 8); }

    void text(QChar character) override { m_text.append(character); }

    void startTag(QStringView name, QStringView attributes, bool) override
    {
        const qsizetype index = allowedIndex(name);
        if (index < 0)
            return;
        const AllowedElement& element = kAllowed[std::size_t(index)];
        flushText();
        m_out.append(u'<').append(element.name);
        appendAttributes(element, attributes);
        m_out.append(u'>');
        if (element.shape == Shape::Void)
            return;
        m_positions[std::size_t(index)].append(m_open.size());
        if (element.shape == Shape::BreaksLine)
            m_breaking.append(m_open.size());
        m_open.append(index);
    }

    void endTag(QStringView name) override
    {
        const qsizetype index = allowedIndex(name);
        if (index < 0)
            return;
        const AllowedElement& element = kAllowed[std::size_t(index)];
        // An end tag that writes nothing leaves the text on both sides one run, escaped as the output will
        // read: "&k</b>;" is the text "&k;" (were "&k" escaped alone, as "&amp;k", a second pass would read
        // "&k;" and keep it as a reference: sanitising twice would change the notes; found by fuzzing).
        const QList<qsizetype>& positions = m_positions[std::size_t(index)];
        if (positions.isEmpty()) {
            // Stray: one that ends a line of text becomes the line break it stands for; others go.
            if (element.shape == Shape::BreaksLine || element.name == "br"_l1) {
                flushText();
                m_out.append(u"<br>");
            }
            return;
        }
        const qsizetype position = positions.last();
        // Closing a line-breaking element from a non-breaking end tag ("<b><p>x</b>y") would put a line
        // break between two pieces of text that had none: the end tag goes and the elements stay open.
        if (element.shape != Shape::BreaksLine && !m_breaking.isEmpty() && m_breaking.last() > position)
            return;
        flushText();
        while (m_open.size() > position)
            closeLast();
    }

    QString finish()
    {
        flushText();
        while (!m_open.isEmpty())
            closeLast();
        return std::move(m_out);
    }

private:
    void closeLast()
    {
        const qsizetype index = m_open.takeLast();
        const AllowedElement& element = kAllowed[std::size_t(index)];
        m_positions[std::size_t(index)].removeLast();
        if (element.shape == Shape::BreaksLine)
            m_breaking.removeLast();
        m_out.append(u"</").append(element.name).append(u'>');
    }

    void appendAttributes(const AllowedElement& element, QStringView source)
    {
        QList<QLatin1StringView> seen;
        for (const Attribute& attribute : parseAttributes(source)) {
            const auto allowed = std::ranges::find_if(element.numericAttributes, [&](QLatin1StringView a) {
                return !a.isEmpty() && attribute.name.compare(a, Qt::CaseInsensitive) == 0;
            });
            if (allowed == element.numericAttributes.end())
                continue;
            // The first of a repeated attribute counts, as in a browser.
            if (seen.contains(*allowed))
                continue;
            seen.append(*allowed);
            if (!isAsciiDigits(attribute.value, 4))
                continue;
            m_out.append(u' ').append(*allowed).append(u"=\"").append(attribute.value).append(u'"');
        }
    }

    void flushText()
    {
        const QStringView text(m_text);
        for (qsizetype i = 0; i < text.size(); ++i) {
            const QChar c = text.at(i);
            switch (c.unicode()) {
            case u'<':
                m_out.append(u"&lt;");
                break;
            case u'>':
                m_out.append(u"&gt;");
                break;
            case 0x00A0:
                m_out.append(u"&nbsp;");
                break;
            case u'\r':
                // Only "&#13;" decodes to a carriage return: one written raw would read as a line break
                // ("\r" and "\r\n" are one) in a second pass (found by fuzzing).
                m_out.append(u"&#13;");
                break;
            case u'&':
                if (const qsizetype kept = keptReferenceLength(text, i); kept > 0) {
                    m_out.append(text.sliced(i, kept));
                    i += kept - 1;
                } else {
                    m_out.append(u"&amp;");
                }
                break;
            default:
                m_out.append(c);
            }
        }
        m_text.clear();
    }

    QString m_out;
    QString m_text; // decoded text since the last tag
    // The open elements (indexes in kAllowed), bottom first; per element, where it is open on that stack;
    // where the line-breaking ones are. Each end tag is then answered in constant time.
    QList<qsizetype> m_open;
    std::array<QList<qsizetype>, kAllowed.size()> m_positions;
    QList<qsizetype> m_breaking;
};

} // namespace

QString sanitizeNotesHtml(QStringView html)
{
    Sanitizer sanitizer(html.size());
    scanHtml(html, sanitizer);
    return sanitizer.finish();
}

} // namespace odis::sync
