#pragma once

#include "sync/neo/neo_origin.h"

#include <QObject>
#include <QSet>

class QNetworkCookie;
class QWebEngineCookieStore;

namespace odis::sync {

// Watches the profile's cookie store for Neo's session cookie. Its real name is unknown: any cookie of
// the Neo host whose name contains "session" counts. The login flow asks "was a session cookie set
// since I submitted the form?", which is stronger than "is one present" after an expired session.
// Cookie values are never read beyond this check and never logged.
class SessionCookieWatch final : public QObject
{
    Q_OBJECT

public:
    SessionCookieWatch(NeoOrigin origin, QWebEngineCookieStore* store, QObject* parent = nullptr);

    // Every session cookie set from now on raises the generation; compare with generation().
    [[nodiscard]] quint64 generation() const { return m_generation; }
    [[nodiscard]] bool hasSessionCookie() const { return !m_present.isEmpty(); }

    // The rule, exposed for unit tests: a cookie of the Neo host whose name contains "session".
    [[nodiscard]] static bool isSessionCookie(const QNetworkCookie& cookie, const NeoOrigin& origin);

Q_SIGNALS:
    void sessionCookieSet();

private:
    void onAdded(const QNetworkCookie& cookie);
    void onRemoved(const QNetworkCookie& cookie);

    NeoOrigin m_origin;
    QSet<QByteArray> m_present; // cookie names only
    quint64 m_generation = 0;
};

} // namespace odis::sync
