#pragma once

#include "tests/sim/common/sim_message.h"
#include "tests/sim/neo/neo_state.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QUrlQuery>

namespace odis::sim::neo {

// Small HTTP pieces the Neo routes share: responses, cookies, forms, and the session gate.

inline const QByteArray kSessionCookie = QByteArrayLiteral("neo_session");
inline const QByteArray kSecondFactorCookie = QByteArrayLiteral("neo_2fa");

[[nodiscard]] SimResponse htmlResponse(int status, const QByteArray& html);
[[nodiscard]] SimResponse jsonBodyResponse(int status, const QByteArray& json);
[[nodiscard]] SimResponse redirectTo(const QByteArray& location);

// One value of the Cookie header; empty when absent.
[[nodiscard]] QByteArray cookieValue(const SimRequest& request, QByteArrayView name);
// A Set-Cookie that is HttpOnly, Path=/, SameSite=Lax, and Secure when the server speaks HTTPS.
// An empty value clears the cookie.
void setCookie(SimResponse& response, const QByteArray& name, const QByteArray& value, bool secure);

// An application/x-www-form-urlencoded body ('+' read as a space, as browsers write it).
[[nodiscard]] QUrlQuery formFields(const QByteArray& body);
[[nodiscard]] QString formValue(const QUrlQuery& form, const QString& name);

// Whether the request asked for JSON (Accept: application/json or X-Requested-With: XMLHttpRequest).
[[nodiscard]] bool acceptsJson(const SimRequest& request);
[[nodiscard]] bool isXmlHttpRequest(const SimRequest& request);

// The session behind the request's cookie, counted as activity when valid.
[[nodiscard]] SessionState touchSession(NeoState& state, const SimRequest& request);

// What a JSON endpoint answers without a valid session, as the expiry mode says: 401 with a small JSON
// body, or 302 to /login (whose page then shows the session-expired banner).
[[nodiscard]] SimResponse sessionRequiredForJson(const NeoState& state, const SimRequest& request,
                                                 SessionState session);
// HTML pages always send the browser to the login page.
[[nodiscard]] SimResponse sessionRequiredForPage();

// Counts the Accept / X-Requested-With headers of a JSON call under its route.
void recordJsonHeaders(NeoState& state, const SimRequest& request);

} // namespace odis::sim::neo
