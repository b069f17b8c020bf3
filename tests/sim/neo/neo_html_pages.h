#pragma once

#include "tests/sim/neo/neo_variants.h"

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QString>

namespace odis::sim::neo {

// The pages around the data: home, login, second factor, dashboard. Markup follows the spec's selectors
// exactly; styling is inline and minimal so that a person can use the pages in a browser.

// Why the login page is shown again.
enum class LoginNotice
{
    None,
    Rejected,            // wrong company id, user name or password
    Incomplete,          // a shown field was left empty
    Locked,              // the account is locked
    SessionExpired,      // came from an expired session (banner, not an error)
    SecondFactorExpired, // the second-factor page outlived its ticket
};

struct LoginPageOptions
{
    bool companyIdShown = true;
    UsernameField usernameField = UsernameField::Username;
    ErrorStyle errorStyle = ErrorStyle::ErrorMessage;
    LoginNotice notice = LoginNotice::None;
    bool banner = false;    // a [role=alert] notice on every login page (NeoVariants::loginBanner)
    QString companyIdValue; // re-filled after a failed attempt (never the password)
    QString usernameValue;
};

struct SecondFactorPageOptions
{
    SecondFactor variant = SecondFactor::Code;
    ErrorStyle errorStyle = ErrorStyle::ErrorMessage;
    bool rejected = false;
};

struct DashboardInfo
{
    QString clinicName;
    QString nowLocal; // the simulated time as the clinic reads it
    QDate today;
    QList<QPair<QDate, int>> days; // the generated days and their number of rows
};

[[nodiscard]] QByteArray homePage(bool signedIn);
[[nodiscard]] QByteArray loginPage(const LoginPageOptions& options);
[[nodiscard]] QByteArray secondFactorPage(const SecondFactorPageOptions& options);
[[nodiscard]] QByteArray dashboardPage(const DashboardInfo& info);
[[nodiscard]] QByteArray messagePage(const QString& title, const QString& message);

// The field names the second-factor form may use; the server reads whichever came.
[[nodiscard]] QList<QString> secondFactorFieldNames();

// The frame every page shares: title, optional navigation (signed in), body.
[[nodiscard]] QByteArray htmlDocument(const QString& title, const QString& body, bool signedIn);

} // namespace odis::sim::neo
