#pragma once

// The end-of-life vocabulary of the discharge rules (docs/discharge-rules.md, "End-of-life words") as
// data: resources/discharge/end-of-life-vocabulary.json, built into the agent. Parsed strictly: a term
// that could never match, or match far more than meant ("e*"), fails loudly at load with its JSON path,
// and a clinic whose vocabulary does not load gets no call planned at all.

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"

#include <QByteArrayView>
#include <QLatin1StringView>
#include <QString>
#include <QStringList>

namespace odis::sync {

inline constexpr QLatin1StringView kEndOfLifeVocabularyInvalid{codes::kEndOfLifeVocabularyInvalid};
inline constexpr QLatin1StringView kEndOfLifeVocabularyUnreadable{codes::kEndOfLifeVocabularyUnreadable};

// The built-in vocabulary (odis_resources).
inline constexpr QLatin1StringView kBuiltInEndOfLifeVocabulary{
    ":/odis/discharge/end-of-life-vocabulary.json"};

struct EndOfLifeVocabulary
{
    QStringList endOfLife; // rule 4a: "euthan*", "put to sleep", ...
    QStringList possible;  // rule 4b: "quality of life", "hospice", ...

    bool operator==(const EndOfLifeVocabulary&) const = default;
};

// {"format": 1, "end_of_life": [term...], "end_of_life_possible": [term...]}. A term is lower case: words
// of letters, digits and "'" separated by single spaces; the last word may end in "*" after at least three
// letters (any word that begins so). No duplicates (across both lists), no empty list, no other key.
[[nodiscard]] Result<EndOfLifeVocabulary> parseEndOfLifeVocabulary(QByteArrayView json);

// Reads and parses `path` (a file or a Qt resource), by default the built-in vocabulary.
[[nodiscard]] Result<EndOfLifeVocabulary>
loadEndOfLifeVocabulary(const QString& path = QString(kBuiltInEndOfLifeVocabulary));

} // namespace odis::sync
