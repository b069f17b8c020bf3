#pragma once

// Finds end-of-life words (euthanasia, "put to sleep", cremation, ... and the softer "quality of life",
// "hospice", ...) in a visit's texts, so that no grieving owner gets a "how is your pet?" call.
// docs/discharge-rules.md, "End-of-life words".

#include "sync/core/end_of_life_vocabulary.h"

#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace odis::sync {

// The text the matcher reads: the uploaded notes_text (htmlToText(), sync/core/html_text.h) on one
// line, so that phrases match across line breaks. Tags, comments, <script>/<style> are gone and
// entities decoded; attribute values are markup, not text (<div class="euthanasia"> says nothing about
// the visit); a '<' that does not open a tag stays text, so cut-off markup cannot hide words.
[[nodiscard]] QString matchableText(QStringView html);

// What one text matched: the words of each list, lower case, white space and hyphens inside a phrase
// collapsed to one space ("put to sleep", "post mortem"), distinct, in the order they first occur.
struct EndOfLifeWords
{
    QStringList endOfLife;
    QStringList possible;

    [[nodiscard]] bool isEmpty() const { return endOfLife.isEmpty() && possible.isEmpty(); }
    bool operator==(const EndOfLifeWords&) const = default;
};

class EndOfLifeMatcher
{
public:
    // The vocabulary's two lists; the clinic's `blocked_keywords` (trimmed, white space collapsed; empty
    // ones ignored) join the end-of-life list, taken literally.
    EndOfLifeMatcher(const EndOfLifeVocabulary& vocabulary, const QStringList& blockedKeywords);

    // Matching is case-insensitive and on whole words: a term edge that is a letter, digit or '_' must not
    // touch another one ("PTS.", "(pts)" and "non-euthanasia" match; "PTSD" and "doable" are different
    // words). A vocabulary term ending in '*' matches every word that begins with it. Inside a phrase,
    // any run of white space or hyphens separates the words ("put to\nsleep", "passed-away").
    [[nodiscard]] EndOfLifeWords findIn(QStringView html) const;

private:
    QRegularExpression m_endOfLife;
    QRegularExpression m_possible;
};

} // namespace odis::sync
