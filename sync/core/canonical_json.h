#pragma once

// The canonical JSON of the backend contract (docs/backend-api.md, "Payload fields, exactly") and the
// item `version` derived from it. The backend recomputes the version from the payload it receives, so
// these bytes must be exactly the contract's: a single differing byte is a rejected item.

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace odis::sync {

// `value` as canonical JSON, UTF-8:
// - object keys sorted by their UTF-16 code units (not by code points: U+1F600 sorts before U+FF5A);
// - no white space between tokens;
// - strings escaped only as JSON requires: `"` and `\` with a backslash, \b \f \n \r \t in their
//   short form, the other control characters below U+0020 as \u00xx (lower-case hex); everything else,
//   non-ASCII included, is written as its UTF-8 bytes, but a lone surrogate (a string parsed from
//   "\ud83d" without its pair), which has none, as \uxxxx (lower-case hex);
// - a number that is an integer of magnitude below 2^53 is written without a fraction or exponent
//   ("-0" becomes "0"); any other number in its shortest round-trip form (std::to_chars: "0.5",
//   "1e+16"); JSON has no NaN or infinity, so those are written "null", as QJsonDocument sends them.
[[nodiscard]] QByteArray canonicalJson(const QJsonValue& value);

// Lower-case hex SHA-256 of `bytes`.
[[nodiscard]] QString sha256Hex(QByteArrayView bytes);

// An item's `version`: sha256Hex(canonicalJson(payload)).
[[nodiscard]] QString payloadVersion(const QJsonObject& payload);

} // namespace odis::sync
