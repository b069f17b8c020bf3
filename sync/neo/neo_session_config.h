#pragma once

#include <QList>
#include <QNetworkCookie>
#include <QUrl>

#include <chrono>

namespace odis::sync {

// How one Neo session behaves. The base URL is configuration (managed config or the backend's clinic
// profile), never a constant. Defaults suit a real clinic; tests shorten the time-outs.
struct NeoSessionConfig
{
    QUrl baseUrl; // e.g. https://us.idexxneo.com

    std::chrono::milliseconds pageLoadTimeout{30000};  // loading a page on the Neo origin
    std::chrono::milliseconds loginStepTimeout{30000}; // each step of a login
    std::chrono::milliseconds loginSettle{5000};       // a loaded page showing its login verdict
    std::chrono::milliseconds callTimeout{60000};      // one data call (fetch aborts after it)
    std::chrono::milliseconds watchdogGrace{5000};     // beyond callTimeout: the page itself is hung
    // The most of one data call's answer the page reads (neo_fetch.js stops past it: Content-Length, then
    // while streaming); a larger answer is refused unread (NeoResponse::tooLargeBytes). No answer the
    // contract takes comes near it: a consultation's two long texts are at most 500 000 UTF-16 units
    // each (neo_contract.h), 6 MB even if every one were a 6-byte JSON escape. Moving tens of megabytes
    // through the page's channel instead stalled the page (neo_page_hung) and failed the whole run.
    qint64 maxAnswerBytes = 8LL * 1024 * 1024;

    // Page recreations per session after a crashed renderer or a hung page; beyond them the session
    // stops with neo_renderer_crashed / neo_page_hung.
    int maxPageRecoveries = 2;
    // New logins after an expired session, per session (each call gets at most one).
    int maxRelogins = 3;
    // How often one call is sent again because Neo's page navigated while it was in flight.
    int maxRedispatches = 3;

    // The login for the proxy the page goes through (Chromium's switches choose the proxy; the agent's
    // proxy settings, agent/proxy/proxy_setup.h), given when the proxy asks for it. Empty: none.
    QString proxyUser;
    QString proxyPassword;

    // A live session handed over by the person's setup window (session_handover.h): set in the profile
    // before the first login, which then finds Neo signed in and submits nothing. Only cookies of the
    // session's origin are set; when Neo no longer accepts them, the login goes on as always.
    QList<QNetworkCookie> handedCookies;
};

} // namespace odis::sync
