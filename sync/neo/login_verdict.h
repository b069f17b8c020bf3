#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace odis::sync {

// What a page shows after a login step, as login_outcome.js reads it.
struct LoginPageState
{
    QString path;
    bool dashboard = false;    // #dashboard_shell is present
    QString errorText;         // .error-message / .alert-danger / [role=alert]: for a person, never logged
    QStringList errorTexts;    // every such element's text (errorText is the first); never logged
    bool secondFactor = false; // a code field and no password field
    bool loginForm = false;    // a password field
    bool expiredBanner = false;

    [[nodiscard]] static LoginPageState fromJson(const QJsonObject& json);
};

enum class LoginVerdict
{
    Success,      // left /login, dashboard shown, a session cookie was set
    AwaitCookie,  // dashboard shown, the session cookie has not been reported yet
    Rejected,     // Neo's known rejection: the login form again, with Neo's reason
    SecondFactor, // Neo asks for a code a person must type
    Unexpected,   // anything else: after a submit, an unknown outcome (never taken for a rejection)
};

// The rules of docs/idexx-neo.md: success needs all three signs (left /login, #dashboard_shell, a
// session cookie set by this login); a code field without a password field is a second factor. A
// rejection is only Neo's known one: still on a login path, the login form shown again, no session
// cookie set by this login, and an error element (.error-message, .alert-danger, [role=alert]) whose
// text was not on the page before the submit (`errorTextsBefore`: a banner that was already there says
// nothing about this password). Anything else is Unexpected: it must not suspend the credentials.
[[nodiscard]] LoginVerdict judgeLoginPage(const LoginPageState& page, bool sessionCookieSet,
                                          const QStringList& errorTextsBefore = {});

// "/login" and anything under it ("/login/verify").
[[nodiscard]] bool isLoginPath(const QString& path);

[[nodiscard]] const char* loginVerdictName(LoginVerdict verdict);

} // namespace odis::sync
