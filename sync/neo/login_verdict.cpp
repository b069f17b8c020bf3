#include "sync/neo/login_verdict.h"

#include <QJsonArray>

#include <algorithm>

namespace odis::sync {

LoginPageState LoginPageState::fromJson(const QJsonObject& json)
{
    LoginPageState state;
    state.path = json.value(QLatin1StringView("path")).toString();
    state.dashboard = json.value(QLatin1StringView("dashboard")).toBool();
    state.errorText = json.value(QLatin1StringView("errorText")).toString().trimmed();
    for (const QJsonValue text : json.value(QLatin1StringView("errorTexts")).toArray()) {
        if (const QString t = text.toString().trimmed(); !t.isEmpty())
            state.errorTexts << t;
    }
    if (state.errorTexts.isEmpty() && !state.errorText.isEmpty())
        state.errorTexts << state.errorText;
    state.secondFactor = json.value(QLatin1StringView("secondFactor")).toBool();
    state.loginForm = json.value(QLatin1StringView("loginForm")).toBool();
    state.expiredBanner = json.value(QLatin1StringView("expiredBanner")).toBool();
    return state;
}

bool isLoginPath(const QString& path)
{
    return path == QLatin1StringView("/login") || path.startsWith(QLatin1StringView("/login/"));
}

LoginVerdict judgeLoginPage(const LoginPageState& page, bool sessionCookieSet,
                            const QStringList& errorTextsBefore)
{
    if (page.secondFactor && !page.loginForm) {
        return LoginVerdict::SecondFactor;
    }
    if (page.loginForm) {
        const bool newError =
            std::any_of(page.errorTexts.begin(), page.errorTexts.end(),
                        [&](const QString& text) { return !errorTextsBefore.contains(text); });
        const bool knownRejection = newError && isLoginPath(page.path) && !sessionCookieSet;
        return knownRejection ? LoginVerdict::Rejected : LoginVerdict::Unexpected;
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
