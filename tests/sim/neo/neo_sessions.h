#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>

namespace odis::sim::neo {

// Neo's timeouts are unknown; the spec's assumption (20 minutes idle, 8 hours absolute) is the default.
struct SessionTimeouts
{
    qint64 idleSeconds = 20 * 60;
    qint64 absoluteSeconds = 8 * 60 * 60;
};

enum class SessionState
{
    Valid,
    Missing, // no cookie, or a token this server never issued (or closed at log out)
    IdleExpired,
    AbsoluteExpired,
};

// Logged-in sessions keyed by the opaque `neo_session` cookie value. Both timeouts run on the
// simulator's clock (the caller passes its now), not on the wall clock: a test expires a session by
// advancing simulated time, and a clock standing still never expires anything.
class NeoSessions
{
public:
    // A new random token (hex), valid from `nowUtc`.
    [[nodiscard]] QByteArray open(const QDateTime& nowUtc);
    // Checks a token and, when valid, counts this as activity (the idle timer restarts). An expired
    // token keeps answering how it expired, so that the login page it is sent to can say so.
    [[nodiscard]] SessionState touch(const QByteArray& token, const QDateTime& nowUtc);
    // The same check without counting as activity.
    [[nodiscard]] SessionState peek(const QByteArray& token, const QDateTime& nowUtc) const;
    void close(const QByteArray& token);
    // Ends every session at once, as if they had all expired (admin: "expire sessions now").
    void expireAll();
    void clear();

    void setTimeouts(SessionTimeouts timeouts) { m_timeouts = timeouts; }
    [[nodiscard]] SessionTimeouts timeouts() const { return m_timeouts; }
    [[nodiscard]] qsizetype count() const { return m_sessions.size(); }

private:
    struct Session
    {
        QDateTime createdUtc;
        QDateTime lastUseUtc;
    };
    [[nodiscard]] SessionState stateOf(const Session& session, const QDateTime& nowUtc) const;
    void remember(const QByteArray& token, SessionState expired);

    // Bounded: an expired token is remembered only to word the login page, never to grant anything.
    static constexpr qsizetype kMaxExpiredRemembered = 4096;

    QHash<QByteArray, Session> m_sessions;
    QHash<QByteArray, SessionState> m_expired;
    SessionTimeouts m_timeouts;
};

// 32 random bytes from the system generator, hex encoded: session and second-factor tokens.
[[nodiscard]] QByteArray randomToken();

} // namespace odis::sim::neo
