#include "tests/sim/neo/neo_login.h"

#include "tests/sim/neo/neo_sessions.h"

#include <utility>

namespace odis::sim::neo {

namespace {

bool isPasswordOutcome(LoginOutcome outcome)
{
    switch (outcome) {
    case LoginOutcome::Success:
    case LoginOutcome::SecondFactorRequired:
    case LoginOutcome::Rejected:
    case LoginOutcome::Incomplete:
    case LoginOutcome::Locked:
        return true;
    case LoginOutcome::SecondFactorAccepted:
    case LoginOutcome::SecondFactorRejected:
    case LoginOutcome::SecondFactorExpired:
        return false;
    }
    return false;
}

} // namespace

QString loginOutcomeName(LoginOutcome outcome)
{
    switch (outcome) {
    case LoginOutcome::Success:
        return QStringLiteral("success");
    case LoginOutcome::SecondFactorRequired:
        return QStringLiteral("second_factor_required");
    case LoginOutcome::Rejected:
        return QStringLiteral("rejected");
    case LoginOutcome::Incomplete:
        return QStringLiteral("incomplete");
    case LoginOutcome::Locked:
        return QStringLiteral("locked");
    case LoginOutcome::SecondFactorAccepted:
        return QStringLiteral("second_factor_accepted");
    case LoginOutcome::SecondFactorRejected:
        return QStringLiteral("second_factor_rejected");
    case LoginOutcome::SecondFactorExpired:
        return QStringLiteral("second_factor_expired");
    }
    return {};
}

NeoLoginGuard::NeoLoginGuard(NeoAccount account)
    : m_account(std::move(account))
{}

PasswordResult NeoLoginGuard::submitPassword(const LoginForm& form, bool companyIdShown, bool secondFactorOn,
                                             const QDateTime& nowUtc)
{
    if (isLocked(nowUtc)) {
        return {record(LoginOutcome::Locked), {}};
    }
    if (m_locked) { // the lock time has passed: a fresh start
        unlock();
    }
    const bool missingField = form.username.trimmed().isEmpty() || form.password.isEmpty() ||
                              (companyIdShown && form.companyId.trimmed().isEmpty());
    if (missingField) {
        return {record(LoginOutcome::Incomplete), {}};
    }
    if (!credentialsMatch(form, companyIdShown)) {
        ++m_consecutiveFailures;
        if (m_policy.threshold > 0 && m_consecutiveFailures >= m_policy.threshold) {
            m_locked = true;
            m_lockedUntilUtc = m_policy.lockSeconds > 0 ? nowUtc.addSecs(m_policy.lockSeconds) : QDateTime();
        }
        return {record(LoginOutcome::Rejected), {}};
    }
    m_consecutiveFailures = 0;
    if (!secondFactorOn) {
        return {record(LoginOutcome::Success), {}};
    }
    QByteArray ticket = randomToken();
    m_tickets.insert(ticket, nowUtc.addSecs(kTicketSeconds));
    return {record(LoginOutcome::SecondFactorRequired), ticket};
}

LoginOutcome NeoLoginGuard::submitSecondFactor(const QByteArray& ticket, const QString& code,
                                               const QDateTime& nowUtc)
{
    const auto it = m_tickets.constFind(ticket);
    if (ticket.isEmpty() || it == m_tickets.constEnd() || *it < nowUtc) {
        m_tickets.remove(ticket);
        return record(LoginOutcome::SecondFactorExpired);
    }
    if (code.trimmed() != m_account.secondFactorCode) {
        return record(LoginOutcome::SecondFactorRejected);
    }
    m_tickets.remove(ticket);
    return record(LoginOutcome::SecondFactorAccepted);
}

bool NeoLoginGuard::isLocked(const QDateTime& nowUtc) const
{
    return m_locked && (!m_lockedUntilUtc.isValid() || nowUtc < m_lockedUntilUtc);
}

void NeoLoginGuard::unlock()
{
    m_locked = false;
    m_lockedUntilUtc = QDateTime();
    m_consecutiveFailures = 0;
}

QJsonObject NeoLoginGuard::countsJson(const QDateTime& nowUtc) const
{
    QJsonObject byOutcome;
    int attempts = 0;
    int secondFactorAttempts = 0;
    for (auto it = m_counts.constBegin(); it != m_counts.constEnd(); ++it) {
        byOutcome.insert(loginOutcomeName(it.key()), it.value());
        (isPasswordOutcome(it.key()) ? attempts : secondFactorAttempts) += it.value();
    }
    const bool locked = isLocked(nowUtc);
    return QJsonObject{
        {QStringLiteral("attempts"), attempts},
        {QStringLiteral("second_factor_attempts"), secondFactorAttempts},
        {QStringLiteral("by_outcome"), byOutcome},
        {QStringLiteral("locked"), locked},
        {QStringLiteral("consecutive_failures"), m_consecutiveFailures},
        {QStringLiteral("locked_until"), locked && m_lockedUntilUtc.isValid()
                                             ? QJsonValue(m_lockedUntilUtc.toString(Qt::ISODate))
                                             : QJsonValue()},
    };
}

bool NeoLoginGuard::credentialsMatch(const LoginForm& form, bool companyIdShown) const
{
    // User names are e-mail addresses in practice: compared without case, as mail systems do.
    const bool userOk = form.username.trimmed().compare(m_account.username, Qt::CaseInsensitive) == 0;
    const bool companyOk = !companyIdShown || form.companyId.trimmed() == m_account.companyId;
    return userOk && companyOk && form.password == m_account.password;
}

LoginOutcome NeoLoginGuard::record(LoginOutcome outcome)
{
    ++m_counts[outcome];
    return outcome;
}

} // namespace odis::sim::neo
