#pragma once

// The text, name and status rules of docs/backend-api.md ("Payload fields, exactly") and
// docs/discharge-rules.md, implemented for the simulator's ground truth independently of the agent's
// sync/core (the two implementations check each other end to end). Phones are not here: the generator
// records what each number it writes means (SimPhone), and the ground truth reads that, never the text.

#include <QString>
#include <QStringList>

#include <optional>

namespace odis::sim::neo {

// notes_text: <br>, </p>, </div>, </li>, </tr>, </h1>..</h6> become line breaks; <script>/<style>
// elements are dropped with their content; every other tag is removed; the entities amp lt gt quot apos
// nbsp and numeric ones are decoded; white space inside each line is collapsed and trimmed; empty lines
// are dropped; lines are joined with "\n".
[[nodiscard]] QString htmlToText(const QString& html);

// The text end-of-life terms are matched on: htmlToText with every line break collapsed to one space.
[[nodiscard]] QString matchableText(const QString& html);

// The two lists of docs/discharge-rules.md, "End-of-life words" (without the clinic's blocked_keywords):
// lower-case terms, a final "*" standing for the rest of a word.
[[nodiscard]] const QStringList& endOfLifeTerms();
[[nodiscard]] const QStringList& possibleEndOfLifeTerms();

enum class EndOfLifeMention
{
    None,
    Possible, // a softer signal only (rule 4b)
    Definite, // an end-of-life word or one of the clinic's keywords (rule 4a)
};

// What `text` (HTML allowed) mentions, case-insensitive and on whole words (no letter, digit or underscore
// directly before or after the match); the words of a phrase may be separated by any white space and
// hyphens. `extraTerms` (the clinic's blocked_keywords) count as end-of-life words, taken literally.
[[nodiscard]] EndOfLifeMention endOfLifeMention(const QString& text, const QStringList& extraTerms);
// endOfLifeMention() == Definite.
[[nodiscard]] bool mentionsEndOfLife(const QString& text, const QStringList& extraTerms);

// Names on the wire: Unicode NFC, trimmed, inner white space collapsed to one space.
[[nodiscard]] QString normalizeName(const QString& name);

// The project's status mapping (docs/idexx-neo.md, "Status mapping"): one of scheduled, checked_in,
// in_progress, completed, no_show, cancelled, unknown.
[[nodiscard]] QString normalizeStatus(const QString& raw);

} // namespace odis::sim::neo
