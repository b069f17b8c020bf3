#pragma once

#include <QJsonObject>
#include <QString>

namespace odis::sync {

// What a page shows after a login step, as login_outcome.js reads it.
struct LoginPageState
{
    QString path;
    bool dashboard = false;    // #dashboard_shell is present
    QString errorText;         // .error-message / .alert-danger / [role=alert]: for a person, never logged
    bool secondFactor = false; // a code field and no password field
    bool loginForm = false;    // a password field
    bool expiredBanner = false;

    [[nodiscard]] static LoginPageState fromJson(const QJsonObject& json);
};

enum class LoginVerdict
{
    Success,      // left /login, dashboard shown, a session cookie was set
    AwaitCookie,  // dashboard shown, the session cookie has not been reported yet
    Rejected,     // the login form again, with Neo's reason
    SecondFactor, // Neo asks for a code a person must type
    Unexpected,   // anything else
};

// The rules of docs/idexx-neo.md: success needs all three signs (left /login, #dashboard_shell, a
// session cookie set by this login); a login form with an error text is a rejection; a code field
// without a password field is a second factor.
[[nodiscard]] LoginVerdict judgeLoginPage(const LoginPageState& page, bool sessionCookieSet);

// "/login" and anything under it ("/login/verify").
[[nodiscard]] bool isLoginPath(const QString& path);

[[nodiscard]] const char* loginVerdictName(LoginVerdict verdict);

} // namespace odis::sync
