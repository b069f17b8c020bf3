#pragma once

#include <QString>
#include <QStringView>

// Stateless pattern rules behind odis::storage::Redactor. Each pass rewrites what it recognises to
// kRedactedMarker and leaves everything else byte for byte, so ids, counts, durations, dates and error
// codes stay readable. They are a safety net: code must still never log clinic data on purpose.
namespace odis::storage::redaction {

inline constexpr QStringView kRedactedMarker = u"[redacted]";

// HTML, as clinical notes carry it: everything from the first known tag to the last one in the message.
[[nodiscard]] QString redactHtml(const QString& text);
// Where the first known HTML tag starts; -1 when there is none.
[[nodiscard]] qsizetype firstHtmlTag(const QString& text);

// Values of `key=value`, `key: value` and JSON `"key": "value"` pairs whose key names a secret
// (password, token, cookie, session, key, ...), clinic data (names, phones, e-mails, notes, addresses)
// or a free-text reason. Authorization and cookie headers lose their whole value up to the line end.
// Keys are never redacted: a field's path ("client.phone") is not clinic data. Nor is the agent's own
// account of what is wrong with a field of Neo's answer after its path ("client.phone: missing",
// "notes: object instead of string or null", "longer than 64 characters"): it names no value.
[[nodiscard]] QString redactKeyValuePairs(const QString& text);

// Credentials that travel without a key: `Bearer <token>`, `Basic <base64>`, JSON web tokens.
[[nodiscard]] QString redactBareCredentials(const QString& text);

// E-mail addresses, also percent-encoded (`jane%40example.com`).
[[nodiscard]] QString redactEmails(const QString& text);

// Phone numbers in the forms clinics type: "555-201-3344", "(555) 201-3344", "5552013344",
// "+1 555 201 3344", "+44 20 7946 0958", "020 7946 0958". Plain ids, dates, times and counts survive.
[[nodiscard]] QString redactPhoneNumbers(const QString& text);

// All of the above, in the order that keeps each one effective.
[[nodiscard]] QString redactPatterns(const QString& text);

} // namespace odis::storage::redaction
