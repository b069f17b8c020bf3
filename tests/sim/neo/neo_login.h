#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QString>

namespace odis::sim::neo {

// The clinic's one shared Neo account.
struct NeoAccount
{
    QString companyId; // empty when the clinic has none
    QString username;
    QString password;
    QString secondFactorCode; // what a person reads from the console or the admin API
};

// Neo's real threshold is unknown; 5 failures and a 30 minute lock are the defaults. threshold 0 never
// locks; lockSeconds 0 keeps the lock until the admin unlocks.
struct LockoutPolicy
{
    int threshold = 5;
    qint64 lockSeconds = 30 * 60;
};

enum class LoginOutcome
{
    Success,              // password accepted, session opened
    SecondFactorRequired, // password accepted, second page follows
    Rejected,             // wrong company id, user name or password
    Incomplete,           // a field the form shows was left empty: not sent to the account check
    Locked,               // refused while locked, even with the right password
    SecondFactorAccepted,
    SecondFactorRejected,
    SecondFactorExpired, // the second-factor page was submitted without a live ticket
};

struct LoginForm
{
    QString companyId;
    QString username;
    QString password;
};

struct PasswordResult
{
    LoginOutcome outcome = LoginOutcome::Rejected;
    QByteArray secondFactorTicket; // set with SecondFactorRequired
};

// Decides every login and second-factor submission and counts them per outcome, so that a test can
// assert "exactly one login attempt". Time is the simulator's clock, passed in by the caller.
class NeoLoginGuard
{
public:
    explicit NeoLoginGuard(NeoAccount account);

    // `companyIdShown`: whether the form asked for a company id (only then is it checked).
    [[nodiscard]] PasswordResult submitPassword(const LoginForm& form, bool companyIdShown,
                                                bool secondFactorOn, const QDateTime& nowUtc);
    [[nodiscard]] LoginOutcome submitSecondFactor(const QByteArray& ticket, const QString& code,
                                                  const QDateTime& nowUtc);

    [[nodiscard]] bool isLocked(const QDateTime& nowUtc) const;
    void unlock();
    void setPolicy(LockoutPolicy policy) { m_policy = policy; }
    [[nodiscard]] LockoutPolicy policy() const { return m_policy; }
    [[nodiscard]] const NeoAccount& account() const { return m_account; }
    void setUsername(const QString& username) { m_account.username = username; }

    [[nodiscard]] int count(LoginOutcome outcome) const { return m_counts.value(outcome); }
    // {attempts: n (password submissions), second_factor_attempts: n, by_outcome: {...}, locked,
    //  consecutive_failures, locked_until}
    [[nodiscard]] QJsonObject countsJson(const QDateTime& nowUtc) const;
    void resetCounts() { m_counts.clear(); }

private:
    static constexpr qint64 kTicketSeconds = 10 * 60;

    [[nodiscard]] bool credentialsMatch(const LoginForm& form, bool companyIdShown) const;
    LoginOutcome record(LoginOutcome outcome);

    NeoAccount m_account;
    LockoutPolicy m_policy;
    int m_consecutiveFailures = 0;
    bool m_locked = false;
    QDateTime m_lockedUntilUtc;             // invalid while locked: until the admin unlocks
    QHash<QByteArray, QDateTime> m_tickets; // second-factor ticket -> expiry
    QMap<LoginOutcome, int> m_counts;
};

[[nodiscard]] QString loginOutcomeName(LoginOutcome outcome);

} // namespace odis::sim::neo
