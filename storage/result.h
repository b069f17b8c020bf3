#pragma once

#include <QString>

#include <expected>
#include <utility>

namespace odis {

// A failure that callers can act on. `code` is stable and machine-readable (it reaches run reports,
// telemetry and alerts, e.g. "keychain_unavailable", "neo_layout_changed"); `message` is for a person
// and must never contain a secret or clinic data (names, phones, e-mails, notes): ids and counts only.
struct Error
{
    QString code;
    QString message;

    [[nodiscard]] QString toString() const { return code + QStringLiteral(": ") + message; }
};

template <typename T> using Result = std::expected<T, Error>;

// For operations that return nothing but can fail.
using Status = Result<void>;

// `code` is a constant of storage/codes/ (codes::kDbOpenFailed), never a literal: docs/error-codes.md.
[[nodiscard]] inline std::unexpected<Error> fail(QString code, QString message)
{
    return std::unexpected<Error>(Error{std::move(code), std::move(message)});
}

[[nodiscard]] inline Status ok()
{
    return {};
}

// Hands a failed result's error up unchanged: `if (!opened) return propagate(opened);`. Only for a
// result that holds an error (the caller has checked it). Any error type, so that step results with
// their own failure type (sync/neo's NeoStepFailure) use it too.
template <typename T, typename E>
[[nodiscard]] std::unexpected<E> propagate(const std::expected<T, E>& failed)
{
    return std::unexpected<E>(failed.error());
}

} // namespace odis
