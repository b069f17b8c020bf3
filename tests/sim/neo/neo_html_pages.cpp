#include "tests/sim/neo/neo_html_pages.h"

namespace odis::sim::neo {

namespace {

const QString kStyle = QStringLiteral(
    "body{font-family:sans-serif;margin:0;background:#f4f6f8;color:#222}"
    "header.neo-nav{background:#00457c;color:#fff;padding:8px 16px}header.neo-nav "
    "a{color:#fff;margin-right:16px}"
    "main{padding:16px}form{display:flex;flex-direction:column;max-width:320px;gap:8px}"
    "input,button{padding:8px;font-size:1em}table{border-collapse:collapse;background:#fff}"
    "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
    ".error-message,.alert-danger,[role=alert]{color:#a00;font-weight:bold}"
    ".session-expired{background:#fff3cd;padding:8px}.declined{color:#888;text-decoration:line-through}");

QString esc(const QString& text)
{
    return text.toHtmlEscaped();
}

QString errorBlock(ErrorStyle style, const QString& message, const QString& extraClass)
{
    const QString extra = extraClass.isEmpty() ? QString() : QLatin1Char(' ') + extraClass;
    switch (style) {
    case ErrorStyle::ErrorMessage:
        return QStringLiteral("<div class=\"error-message%1\">%2</div>").arg(extra, esc(message));
    case ErrorStyle::AlertDanger:
        return QStringLiteral("<div class=\"alert alert-danger%1\">%2</div>").arg(extra, esc(message));
    case ErrorStyle::RoleAlert:
        return QStringLiteral("<div role=\"alert\" class=\"login-alert%1\">%2</div>")
            .arg(extra, esc(message));
    case ErrorStyle::Unrecognised:
        return QStringLiteral("<p class=\"login-feedback%1\">%2</p>").arg(extra, esc(message));
    }
    return {};
}

QString noticeBlock(const LoginPageOptions& o)
{
    switch (o.notice) {
    case LoginNotice::None:
        return {};
    case LoginNotice::Rejected:
        return errorBlock(o.errorStyle, QStringLiteral("Invalid company ID, username or password."), {});
    case LoginNotice::Incomplete:
        return errorBlock(o.errorStyle, QStringLiteral("Please fill in every field."), {});
    case LoginNotice::Locked:
        return errorBlock(o.errorStyle,
                          QStringLiteral("This account is locked after too many failed login attempts. "
                                         "Contact your practice administrator."),
                          QStringLiteral("account-locked"));
    case LoginNotice::SessionExpired:
        return QStringLiteral("<div class=\"session-expired login-required\">"
                              "Your session has expired. Please log in again.</div>");
    case LoginNotice::SecondFactorExpired:
        return errorBlock(o.errorStyle, QStringLiteral("Your verification has expired. Please log in again."),
                          {});
    }
    return {};
}

} // namespace

QByteArray htmlDocument(const QString& title, const QString& body, bool signedIn)
{
    const QString nav = signedIn ? QStringLiteral("<header class=\"neo-nav\"><strong>IDEXX Neo</strong> "
                                                  "<a href=\"/dashboard\">Dashboard</a>"
                                                  "<a href=\"/schedule\">Schedule</a>"
                                                  "<a href=\"/logout\">Log out</a></header>")
                                 : QString();
    const QString html = QStringLiteral("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                                        "<title>%1 | IDEXX Neo</title><style>%2</style></head>"
                                        "<body>%3<main>%4</main></body></html>")
                             .arg(esc(title), kStyle, nav, body);
    return html.toUtf8();
}

QByteArray homePage(bool signedIn)
{
    const QString link = signedIn ? QStringLiteral("<a href=\"/dashboard\">Go to the dashboard</a>")
                                  : QStringLiteral("<a href=\"/login\">Log in</a>");
    return htmlDocument(QStringLiteral("Welcome"),
                        QStringLiteral("<h1 id=\"neo_home\">IDEXX Neo</h1><p>%1</p>").arg(link), signedIn);
}

QByteArray loginPage(const LoginPageOptions& o)
{
    QString fields;
    if (o.companyIdShown) {
        fields +=
            QStringLiteral("<input type=\"text\" name=\"company_id\" id=\"company_id\" inputmode=\"numeric\" "
                           "placeholder=\"Company ID\" autocomplete=\"organization\" value=\"%1\">")
                .arg(esc(o.companyIdValue));
    }
    if (o.usernameField == UsernameField::Username) {
        fields +=
            QStringLiteral("<input type=\"text\" name=\"username\" id=\"username\" placeholder=\"Username\" "
                           "autocomplete=\"username\" value=\"%1\">")
                .arg(esc(o.usernameValue));
    } else {
        fields +=
            QStringLiteral("<input type=\"email\" name=\"email\" id=\"email\" placeholder=\"Email address\" "
                           "autocomplete=\"username\" value=\"%1\">")
                .arg(esc(o.usernameValue));
    }
    fields +=
        QStringLiteral("<input type=\"password\" name=\"password\" id=\"password\" placeholder=\"Password\" "
                       "autocomplete=\"current-password\">"
                       "<button type=\"submit\">Login</button>");
    const QString banner =
        o.banner
            ? QStringLiteral("<div role=\"alert\" class=\"site-banner\">Planned maintenance: IDEXX Neo is "
                             "unavailable on Sunday from 02:00 to 04:00.</div>")
            : QString();
    const QString body = QStringLiteral("%3<h1>Sign in to IDEXX Neo</h1>%1"
                                        "<form id=\"login_form\" method=\"post\" action=\"/login\">%2</form>")
                             .arg(noticeBlock(o), fields, banner);
    return htmlDocument(QStringLiteral("Login"), body, false);
}

QList<QString> secondFactorFieldNames()
{
    return {QStringLiteral("code"), QStringLiteral("otp"), QStringLiteral("verification_token")};
}

QByteArray secondFactorPage(const SecondFactorPageOptions& o)
{
    QString input;
    switch (o.variant) {
    case SecondFactor::Off:
    case SecondFactor::Code:
        input = QStringLiteral("<input type=\"text\" name=\"code\" id=\"code\" inputmode=\"numeric\" "
                               "autocomplete=\"one-time-code\" placeholder=\"Verification code\">");
        break;
    case SecondFactor::Otp:
        input = QStringLiteral("<input type=\"text\" name=\"otp\" id=\"otp\" inputmode=\"numeric\" "
                               "autocomplete=\"one-time-code\" placeholder=\"One-time password\">");
        break;
    case SecondFactor::Placeholder:
        input = QStringLiteral("<input type=\"text\" name=\"verification_token\" id=\"verification_token\" "
                               "inputmode=\"numeric\" placeholder=\"Enter the code from your app\">");
        break;
    }
    const QString error =
        o.rejected ? errorBlock(o.errorStyle, QStringLiteral("That code is not valid."), {}) : QString();
    const QString body =
        QStringLiteral("<h1>Verify it is you</h1><p>Enter the 6-digit code from your "
                       "authenticator app.</p>%1<form id=\"verify_form\" method=\"post\" "
                       "action=\"/login/verify\">%2<button type=\"submit\">Verify</button></form>")
            .arg(error, input);
    return htmlDocument(QStringLiteral("Verification"), body, false);
}

QByteArray dashboardPage(const DashboardInfo& info)
{
    QString days;
    for (const auto& [date, rows] : info.days) {
        const QString iso = date.toString(Qt::ISODate);
        days += QStringLiteral("<li><a href=\"/schedule?date=%1\">%2</a> (%3)%4</li>")
                    .arg(iso, esc(date.toString(QStringLiteral("dddd d MMMM yyyy"))), QString::number(rows),
                         date == info.today ? QStringLiteral(" <strong>today</strong>") : QString());
    }
    const QString body = QStringLiteral("<div id=\"dashboard_shell\" class=\"dashboard-shell\">"
                                        "<h1>%1</h1><p>Clinic time: <span class=\"clinic-now\">%2</span></p>"
                                        "<h2>Schedule</h2><ul class=\"schedule-days\">%3</ul></div>")
                             .arg(esc(info.clinicName), esc(info.nowLocal), days);
    return htmlDocument(QStringLiteral("Dashboard"), body, true);
}

QByteArray messagePage(const QString& title, const QString& message)
{
    return htmlDocument(title, QStringLiteral("<h1>%1</h1><p>%2</p>").arg(esc(title), esc(message)), false);
}

} // namespace odis::sim::neo
