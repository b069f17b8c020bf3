#include "tests/sim/neo/neo_sessions.h"

#include <QRandomGenerator>

#include <array>

namespace odis::sim::neo {

QByteArray randomToken()
{
    std::array<quint32, 8> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    return QByteArray(reinterpret_cast<const char*>(words.data()), qsizetype(sizeof(words))).toHex();
}

QByteArray NeoSessions::open(const QDateTime& nowUtc)
{
    QByteArray token = randomToken();
    m_sessions.insert(token, Session{nowUtc, nowUtc});
    return token;
}

SessionState NeoSessions::touch(const QByteArray& token, const QDateTime& nowUtc)
{
    const SessionState state = peek(token, nowUtc);
    const auto it = m_sessions.find(token);
    if (it == m_sessions.end()) {
        return state;
    }
    if (state != SessionState::Valid) {
        m_sessions.erase(it);
        remember(token, state);
        return state;
    }
    // The clock may have been set backwards by a test; activity never moves lastUse into the past.
    if (nowUtc > it->lastUseUtc) {
        it->lastUseUtc = nowUtc;
    }
    return SessionState::Valid;
}

SessionState NeoSessions::peek(const QByteArray& token, const QDateTime& nowUtc) const
{
    if (token.isEmpty()) {
        return SessionState::Missing;
    }
    const auto it = m_sessions.constFind(token);
    if (it == m_sessions.constEnd()) {
        return m_expired.value(token, SessionState::Missing);
    }
    return stateOf(*it, nowUtc);
}

SessionState NeoSessions::stateOf(const Session& session, const QDateTime& nowUtc) const
{
    // The absolute limit wins when both have passed: it is the one no activity could have prevented.
    if (session.createdUtc.secsTo(nowUtc) >= m_timeouts.absoluteSeconds) {
        return SessionState::AbsoluteExpired;
    }
    if (session.lastUseUtc.secsTo(nowUtc) >= m_timeouts.idleSeconds) {
        return SessionState::IdleExpired;
    }
    return SessionState::Valid;
}

void NeoSessions::remember(const QByteArray& token, SessionState expired)
{
    if (m_expired.size() >= kMaxExpiredRemembered) {
        m_expired.clear();
    }
    m_expired.insert(token, expired);
}

void NeoSessions::close(const QByteArray& token)
{
    m_sessions.remove(token);
    m_expired.remove(token);
}

void NeoSessions::expireAll()
{
    for (auto it = m_sessions.constBegin(); it != m_sessions.constEnd(); ++it) {
        remember(it.key(), SessionState::IdleExpired);
    }
    m_sessions.clear();
}

void NeoSessions::clear()
{
    m_sessions.clear();
    m_expired.clear();
}

} // namespace odis::sim::neo
