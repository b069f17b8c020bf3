#include "sync/core/html_text.h"

#include "sync/core/html_scanner.h"

#include <utility>

namespace odis::sync {

namespace {

// Text with '\n' where lines end; white space is tidied later.
class TextCollector final : public HtmlHandler
{
public:
    explicit TextCollector(qsizetype sizeHint) { m_out.reserve(sizeHint); }

    void text(QChar character) override { m_out.append(character); }
    void startTag(QStringView name, QStringView, bool) override
    {
        if (name.compare(u"br", Qt::CaseInsensitive) == 0)
            m_out.append(u'\n');
    }
    void endTag(QStringView name) override
    {
        // The stray </br> breaks as well: browsers honour it.
        if (endTagBreaksLine(name) || name.compare(u"br", Qt::CaseInsensitive) == 0)
            m_out.append(u'\n');
    }

    QString take() { return std::move(m_out); }

private:
    QString m_out;
};

// Collapses white space inside each line, trims it, drops empty lines, joins with '\n'.
QString tidyLines(QStringView text)
{
    QString result;
    result.reserve(text.size());
    bool lineHasText = false;
    bool pendingSpace = false;
    bool pendingBreak = false;
    for (const QChar c : text) {
        if (c == u'\n') {
            pendingBreak = pendingBreak || lineHasText;
            lineHasText = false;
            pendingSpace = false;
        } else if (c.isSpace()) {
            pendingSpace = lineHasText;
        } else {
            if (pendingBreak)
                result.append(u'\n');
            else if (pendingSpace)
                result.append(u' ');
            pendingBreak = false;
            pendingSpace = false;
            lineHasText = true;
            result.append(c);
        }
    }
    return result;
}

} // namespace

QString htmlToText(QStringView html)
{
    TextCollector collector(html.size());
    scanHtml(html, collector);
    return tidyLines(collector.take());
}

bool hasNotes(QStringView notesHtml, QStringView summaryHtml)
{
    return !htmlToText(notesHtml).isEmpty() || !htmlToText(summaryHtml).isEmpty();
}

QString normaliseName(QStringView name)
{
    return name.toString().normalized(QString::NormalizationForm_C).simplified();
}

} // namespace odis::sync
