#pragma once

// What every fuzz entry checks of a parser's answer, whatever the input: a failure carries a stable code
// and a short message that does not repeat the input, drift warnings stay few and short, and text taken
// from an answer of invalid UTF-8 never stands for Neo's text.

#include "storage/result.h"
#include "sync/core/neo_drift.h"
#include "sync/core/neo_json.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <initializer_list>

namespace odis::fuzz {

// Longest error message or drift warning accepted: they name fields and endpoints, never carry a body.
inline constexpr qsizetype kMaxMessage = 2000;

// The answer as the page's fetch hands it on: invalid UTF-8 sequences replaced by U+FFFD and flagged.
[[nodiscard]] sync::NeoResponse neoJsonResponse(QByteArrayView input);

// Empty when `error` has a snake_case code and a bounded message.
[[nodiscard]] QString checkError(const Error& error);

// Empty when the warnings are bounded in number and length.
[[nodiscard]] QString checkWarnings(const QList<sync::DriftWarning>& warnings);

// Empty unless one of `texts` holds U+FFFD while the answer was invalid UTF-8 (such an item is refused).
[[nodiscard]] QString checkNoReplacement(const sync::NeoResponse& response,
                                         std::initializer_list<QString> texts);

// The result of a parser: its error checked, or its warnings (and anything `more` finds) checked.
template <typename T, typename More> QString checkParsed(const Result<sync::Parsed<T>>& result, More more)
{
    if (!result)
        return checkError(result.error());
    if (QString problem = checkWarnings(result->warnings); !problem.isEmpty())
        return problem;
    return more(result->value);
}

} // namespace odis::fuzz
