#pragma once

// Text forms of what Neo stores, exactly as the backend contract defines them (docs/backend-api.md,
// "Payload fields, exactly"): the simulator's ground truth derives the same bytes independently.

#include <QString>
#include <QStringView>

namespace odis::sync {

// notes_text from notes_html: <br>, </p>, </div>, </li>, </tr>, </h1>..</h6> become line breaks;
// <script> and <style> elements are dropped with their content; every other tag (and comments,
// doctypes) is removed; the entities &amp; &lt; &gt; &quot; &apos; &nbsp; and numeric ones (&#233;
// &#xE9;) are decoded; white space inside each line is collapsed to one space and trimmed; empty lines
// are dropped; lines are joined with '\n'.
//
// Malformed input never fails: a '<' that does not open a tag ("weight < 5 kg", a '<' with no '>'
// after it) is text; '>' inside a quoted attribute value does not end the tag; "</" without a tag
// name is dropped up to its '>' and an unterminated comment or <script> hides the rest, as in a
// browser (a self-closed <script/> hides nothing); invalid numeric references become U+FFFD. Line
// breaks in the source text (plain-text notes) are kept as line breaks. Linear time.
[[nodiscard]] QString htmlToText(QStringView html);

// The contract's has_notes: the notes or the discharge summary is non-empty after htmlToText().
[[nodiscard]] bool hasNotes(QStringView notesHtml, QStringView summaryHtml);

// A name as the payloads carry it: trimmed, inner white space collapsed to one space, Unicode NFC;
// case kept.
[[nodiscard]] QString normaliseName(QStringView name);

} // namespace odis::sync
