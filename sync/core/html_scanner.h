#pragma once

// The one reading of Neo's HTML notes that both their text form (htmlToText(), html_text.h) and their
// sanitised form (sanitizeNotesHtml(), html_sanitizer.h) are built on. Sharing it is what guarantees
// that the two agree on what is text: whatever the sanitiser keeps or drops, the text of its output is
// the text of its input, so the end-of-life matcher reads the same words in either.
//
// Not a browser's tokenizer; the rules are the contract's (docs/backend-api.md, notes_text):
// - a '<' that does not open a tag ("weight < 5 kg", a '<' with no '>' after it) is text;
// - '>' inside a quoted attribute value does not end the tag; an unterminated quote falls back to the
//   first '>' (a browser would swallow the rest of the notes);
// - comments, declarations (<!DOCTYPE>, <![CDATA[...]>), processing instructions and "</" without a tag
//   name (up to its '>') are dropped; an unterminated comment hides the rest;
// - <script> and <style> elements are dropped with their content (an unterminated one hides the rest;
//   a self-closed <script/> hides nothing) and give no token at all;
// - the entities &amp; &lt; &gt; &quot; &apos; &nbsp; and numeric ones (&#233; &#xE9;) are decoded,
//   invalid numeric references become U+FFFD, any other '&' is text; "\r\n" and a lone "\r" are "\n".
// Linear time.

#include <QChar>
#include <QStringView>

namespace odis::sync {

class HtmlHandler
{
public:
    virtual ~HtmlHandler() = default;
    HtmlHandler() = default;
    HtmlHandler(const HtmlHandler&) = delete;
    HtmlHandler& operator=(const HtmlHandler&) = delete;

    // One character of text, decoded (a character beyond the BMP comes as its two surrogates).
    virtual void text(QChar character) = 0;
    // `name` as written (any case); `attributes` is the source between the name and the closing '>'
    // (a trailing '/' of a self-closed tag included).
    virtual void startTag(QStringView name, QStringView attributes, bool selfClosing) = 0;
    virtual void endTag(QStringView name) = 0;
};

void scanHtml(QStringView html, HtmlHandler& handler);

// End tags whose element ends a line of text in htmlToText() (besides <br>, which breaks as a start
// and as an end tag): p, div, li, tr, h1-h6, any case.
[[nodiscard]] bool endTagBreaksLine(QStringView name);

} // namespace odis::sync
