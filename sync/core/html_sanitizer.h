#pragma once

// notes_html as the agent uploads it: Neo's notes passed through an allow-list, so that nothing in them
// can run or fetch anything where the backend shows them (docs/backend-api.md, "Payload fields, exactly").
// Pure; Qt Core only.

#include <QString>
#include <QStringView>

namespace odis::sync {

// The notes rebuilt from the allow-list; everything else goes:
// - elements kept (their attributes dropped unless listed): p, br, hr, div, span, pre, code, blockquote,
//   b, strong, i, em, u, s, small, sub, sup, mark, h1-h6, ul, ol, li, dl, dt, dd, table, caption, thead,
//   tbody, tfoot, tr, th, td;
// - attributes kept: colspan and rowspan on td/th, start on ol, value on li, each only as 1 to 4 ASCII
//   digits. So no event handler, style, class, id or URL of any kind survives;
// - every other tag is dropped and its text kept (<a>, <img>, <iframe>, <object>, <embed>, <svg>,
//   <form>, <font>, ...); <script> and <style> go with their content; comments and declarations go;
// - text is escaped (& < > as entities; &nbsp; stays &nbsp;; a named reference the text form leaves
//   as it is, such as &eacute;, stays a reference);
// - an end tag closes the open element it names and the ones opened inside it; a stray line-breaking
//   end tag (</p> with no <p> open) becomes <br>; other stray end tags go; whatever is open at the end is
//   closed there. Names are written in lower case.
// The markup is read by the same scanner as htmlToText(), and no line break is added or taken away
// between two pieces of text, so htmlToText(sanitizeNotesHtml(x)) == htmlToText(x) for every x: the
// notes_text, has_notes and end-of-life reading of sanitised notes are those of Neo's. Idempotent. There
// is no input it cannot sanitise, so what is uploaded is always the sanitised form. Linear time.
[[nodiscard]] QString sanitizeNotesHtml(QStringView html);

} // namespace odis::sync
