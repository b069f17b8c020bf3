#pragma once

// The live IDEXX Neo session of the setup window, handed to the first sync run (docs/architecture.md,
// "What clinic staff see"). An account whose every login asks for a second factor cannot be logged in
// by an unattended run: the person just passed it in the setup window, so that window's session cookies
// (its off-the-record profile's, for the locked Neo origin only) go to that one run over its standard
// input (never its arguments, environment, a file or a log), and the run's page starts with them. Neo
// then shows the dashboard at /login and nothing is submitted; a session Neo no longer accepts shows the
// login form, and the run logs in as always (sync/neo/login_flow.h).
//
// The cookies are secrets: never logged, wiped where they are held, and the agent in between passes the
// bytes on without reading them.

#include "storage/result.h"
#include "sync/neo/neo_origin.h"

#include <QByteArray>
#include <QList>
#include <QNetworkCookie>

class QWebEngineCookieStore;

namespace odis::sync {

// The most a handover may hold (a few cookies; anything bigger is not one).
inline constexpr qsizetype kMaxSessionHandoverBytes = qsizetype{64} * 1024;

// Whether `cookie` is sent to `origin`'s host: a host-only cookie of that host, or a domain cookie
// whose domain is the host or one of its parents.
[[nodiscard]] bool cookieBelongsTo(const QNetworkCookie& cookie, const NeoOrigin& origin);

// One JSON line: {"neo_session_cookies": [{name and value (base64), domain, path, secure, http_only,
// same_site, expires}]}.
[[nodiscard]] QByteArray encodeSessionHandover(const QList<QNetworkCookie>& cookies);
// The cookies of a handover. Error neo_handover_invalid (not JSON, too big, a cookie without a name).
[[nodiscard]] Result<QList<QNetworkCookie>> decodeSessionHandover(const QByteArray& bytes);

// Sets the cookies of `cookies` that belong to `origin` in `store`, as Neo set them for that origin;
// the others are dropped. How many of those set are session cookies (SessionCookieWatch's rule).
int seedSessionCookies(QWebEngineCookieStore& store, const NeoOrigin& origin,
                       const QList<QNetworkCookie>& cookies);

// Overwrites the bytes (a handover on its way).
void wipeBytes(QByteArray& bytes);

} // namespace odis::sync
