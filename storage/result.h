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

inline std::unexpected<Error> fail(QString code, QString message)
{
    return std::unexpected<Error>(Error{std::move(code), std::move(message)});
}

inline Status ok()
{
    return {};
}

} // namespace odis
