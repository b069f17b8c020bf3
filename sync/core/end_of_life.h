#pragma once

// Finds end-of-life mentions (euthanasia, "put to sleep", cremation, ...) in a visit's texts, so that no
// grieving owner gets a "how is your pet?" call. docs/discharge-rules.md, "End-of-life mentions".

#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace odis::sync {

// The text the matcher reads: the uploaded notes_text (htmlToText(), sync/core/html_text.h) on one
// line, so that phrases match across line breaks. Tags, comments, <script>/<style> are gone and
// entities decoded; attribute values are markup, not text (<div class="euthanasia"> says nothing about
// the visit); a '<' that does not open a tag stays text, so cut-off markup cannot hide words.
[[nodiscard]] QString matchableText(QStringView html);

class EndOfLifeMatcher
{
public:
    // The fixed terms plus the clinic's `blocked_keywords` (trimmed; empty ones ignored).
    explicit EndOfLifeMatcher(const QStringList& blockedKeywords = {});

    // The term that matched (as written in the term list), or nullopt. Matching is case-insensitive and
    // on whole words: a term edge that is a letter, digit or '_' must not touch another one ("PTS.",
    // "(pts)" and "non-euthanasia" match; "PTSD" and "doable" are different words and do not; a clinic
    // adds any other form it uses through blocked_keywords). Inside a phrase, any run of white space or
    // hyphens separates the words, so "put to\nsleep" and "passed-away" match.
    [[nodiscard]] std::optional<QString> findIn(QStringView html) const;
    [[nodiscard]] bool mentions(QStringView html) const { return findIn(html).has_value(); }

    // The terms every clinic gets.
    [[nodiscard]] static QStringList fixedTerms();

private:
    QStringList m_terms;
    QRegularExpression m_pattern;
};

} // namespace odis::sync
