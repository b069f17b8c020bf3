#include "sync/neo/login_verdict.h"

namespace odis::sync {

LoginPageState LoginPageState::fromJson(const QJsonObject& json)
{
    LoginPageState state;
    state.path = json.value(QLatin1StringView("path")).toString();
    state.dashboard = json.value(QLatin1StringView("dashboard")).toBool();
    state.errorText = json.value(QLatin1StringView("errorText")).toString().trimmed();
    state.secondFactor = json.value(QLatin1StringView("secondFactor")).toBool();
    state.loginForm = json.value(QLatin1StringView("loginForm")).toBool();
    state.expiredBanner = json.value(QLatin1StringView("expiredBanner")).toBool();
    return state;
}

bool isLoginPath(const QString& path)
{
    return path == QLatin1StringView("/login") || path.startsWith(QLatin1StringView("/login/"));
}

LoginVerdict judgeLoginPage(const LoginPageState& page, bool sessionCookieSet)
{
    if (page.secondFactor && !page.loginForm) {
        return LoginVerdict::SecondFactor;
    }
    if (page.loginForm) {
        return page.errorText.isEmpty() ? LoginVerdict::Unexpected : LoginVerdict::Rejected;
    }
    if (page.dashboard && !isLoginPath(page.path)) {
        return sessionCookieSet ? LoginVerdict::Success : LoginVerdict::AwaitCookie;
    }
    return LoginVerdict::Unexpected;
}

const char* loginVerdictName(LoginVerdict verdict)
{
    switch (verdict) {
    case LoginVerdict::Success:
        return "success";
    case LoginVerdict::AwaitCookie:
        return "await_cookie";
    case LoginVerdict::Rejected:
        return "rejected";
    case LoginVerdict::SecondFactor:
        return "second_factor";
    case LoginVerdict::Unexpected:
        return "unexpected";
    }
    return "unknown";
}

} // namespace odis::sync
