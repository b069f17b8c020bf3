#pragma once

#include <QString>

namespace odis::ui {

// What a person at the clinic can do about an alert (agent/alerts/alert_rules.h), by its code; the alert's
// own message says what is wrong.
[[nodiscard]] QString alertAdvice(const QString& alertCode);
// The alert's title for a person ("IDEXX Neo refused the login").
[[nodiscard]] QString alertTitle(const QString& alertCode);

} // namespace odis::ui
