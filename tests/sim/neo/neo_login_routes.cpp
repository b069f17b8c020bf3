#include "tests/sim/neo/neo_login_routes.h"

#include "tests/sim/common/sim_http_server.h"
#include "tests/sim/neo/neo_html_pages.h"
#include "tests/sim/neo/neo_http.h"
#include "tests/sim/neo/neo_state.h"

#include <QMap>

namespace odis::sim::neo {

namespace {

LoginPageOptions loginOptions(const NeoState& state, LoginNotice notice)
{
    LoginPageOptions options;
    options.companyIdShown = state.companyIdShown();
    options.usernameField = state.variants.usernameField;
    options.errorStyle = state.variants.errorStyle;
    options.banner = state.variants.loginBanner;
    options.notice = notice;
    return options;
}

bool isExpired(SessionState s)
{
    return s == SessionState::IdleExpired || s == SessionState::AbsoluteExpired;
}

SimResponse signedIn(NeoState& state)
{
    SimResponse response = redirectTo(QByteArrayLiteral("/dashboard"));
    setCookie(response, kSessionCookie, state.sessions.open(state.now()), state.tls);
    return response;
}

SimReply loginPageRoute(NeoState& state, const SimRequest& request)
{
    const SessionState session = state.sessions.peek(cookieValue(request, kSessionCookie), state.now());
    if (session == SessionState::Valid) {
        return redirectTo(QByteArrayLiteral("/dashboard"));
    }
    const LoginNotice notice = isExpired(session) ? LoginNotice::SessionExpired : LoginNotice::None;
    return htmlResponse(200, loginPage(loginOptions(state, notice)));
}

SimReply loginSubmitRoute(NeoState& state, const SimRequest& request)
{
    const QUrlQuery form = formFields(request.body);
    LoginForm submitted;
    submitted.companyId = formValue(form, QStringLiteral("company_id"));
    submitted.username = form.hasQueryItem(QStringLiteral("username"))
                             ? formValue(form, QStringLiteral("username"))
                             : formValue(form, QStringLiteral("email"));
    submitted.password = formValue(form, QStringLiteral("password"));

    const PasswordResult result =
        state.login.submitPassword(submitted, state.companyIdShown(), state.secondFactorOn(), state.now());
    if (result.outcome == LoginOutcome::Success) {
        return signedIn(state);
    }
    if (result.outcome == LoginOutcome::SecondFactorRequired) {
        SimResponse response = redirectTo(QByteArrayLiteral("/login/verify"));
        setCookie(response, kSecondFactorCookie, result.secondFactorTicket, state.tls);
        return response;
    }
    static const QMap<LoginOutcome, LoginNotice> kNotices = {
        {LoginOutcome::Rejected, LoginNotice::Rejected},
        {LoginOutcome::Incomplete, LoginNotice::Incomplete},
        {LoginOutcome::Locked, LoginNotice::Locked}};
    LoginPageOptions options = loginOptions(state, kNotices.value(result.outcome, LoginNotice::Rejected));
    options.companyIdValue = submitted.companyId;
    options.usernameValue = submitted.username;
    // 200, as the page stays on /login: what a browser shows after a failed form post.
    return htmlResponse(200, loginPage(options));
}

SimReply secondFactorPageRoute(NeoState& state, const SimRequest&)
{
    if (!state.secondFactorOn()) {
        return redirectTo(QByteArrayLiteral("/login"));
    }
    return htmlResponse(200,
                        secondFactorPage({state.variants.secondFactor, state.variants.errorStyle, false}));
}

SimReply secondFactorSubmitRoute(NeoState& state, const SimRequest& request)
{
    const QUrlQuery form = formFields(request.body);
    QString code;
    for (const QString& name : secondFactorFieldNames()) {
        if (form.hasQueryItem(name)) {
            code = formValue(form, name);
            break;
        }
    }
    const LoginOutcome outcome =
        state.login.submitSecondFactor(cookieValue(request, kSecondFactorCookie), code, state.now());
    if (outcome == LoginOutcome::SecondFactorAccepted) {
        SimResponse response = signedIn(state);
        setCookie(response, kSecondFactorCookie, {}, state.tls);
        return response;
    }
    if (outcome == LoginOutcome::SecondFactorRejected) {
        return htmlResponse(200,
                            secondFactorPage({state.variants.secondFactor, state.variants.errorStyle, true}));
    }
    SimResponse response =
        htmlResponse(200, loginPage(loginOptions(state, LoginNotice::SecondFactorExpired)));
    setCookie(response, kSecondFactorCookie, {}, state.tls);
    return response;
}

SimReply logoutRoute(NeoState& state, const SimRequest& request)
{
    state.sessions.close(cookieValue(request, kSessionCookie));
    SimResponse response = redirectTo(QByteArrayLiteral("/login"));
    setCookie(response, kSessionCookie, {}, state.tls);
    return response;
}

SimReply dashboardRoute(NeoState& state, const SimRequest& request)
{
    if (touchSession(state, request) != SessionState::Valid) {
        return sessionRequiredForPage();
    }
    DashboardInfo info;
    info.clinicName = state.clinicInfo().name;
    const QDateTime local = state.nowLocal();
    info.nowLocal = local.toString(QStringLiteral("dddd d MMMM yyyy, HH:mm"));
    info.today = local.date();
    QMap<QDate, int> rowsPerDay;
    const QList<SimAppointment> snapshot = state.model.snapshotAt(state.now());
    for (const SimAppointment& a : snapshot) {
        ++rowsPerDay[a.date];
    }
    for (auto it = rowsPerDay.constBegin(); it != rowsPerDay.constEnd(); ++it) {
        info.days.append({it.key(), it.value()});
    }
    return htmlResponse(200, dashboardPage(info));
}

SimReply homeRoute(NeoState& state, const SimRequest& request)
{
    const SessionState session = state.sessions.peek(cookieValue(request, kSessionCookie), state.now());
    return htmlResponse(200, homePage(session == SessionState::Valid));
}

} // namespace

odis::Status addLoginRoutes(SimHttpServer& server, NeoState& state)
{
    struct Entry
    {
        const char* name;
        QByteArray method;
        const char* pattern;
        SimReply (*handler)(NeoState&, const SimRequest&);
    };
    const Entry entries[] = {
        {"home", "GET", "/", homeRoute},
        {"login_page", "GET", "/login", loginPageRoute},
        {"login_submit", "POST", "/login", loginSubmitRoute},
        {"second_factor_page", "GET", "/login/verify", secondFactorPageRoute},
        {"second_factor_submit", "POST", "/login/verify", secondFactorSubmitRoute},
        {"logout", "GET", "/logout", logoutRoute},
        {"dashboard", "GET", "/dashboard", dashboardRoute},
    };
    for (const Entry& e : entries) {
        auto handler = e.handler;
        auto added =
            server.addRoute(QString::fromLatin1(e.name), e.method, QString::fromLatin1(e.pattern),
                            [&state, handler](const SimRequest& request) { return handler(state, request); });
        if (!added) {
            return added;
        }
    }
    return odis::ok();
}

} // namespace odis::sim::neo
