#pragma once

#include "storage/result.h"
#include "sync/core/neo_json.h"

#include <QJsonValue>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>

namespace odis::sync {

class NeoPage;

// What an in-page fetch received, after redirects.
struct PageFetchResult
{
    NeoResponse response; // status, Content-Type, body (UTF-8)
    QUrl finalUrl;        // where the redirects ended
    bool redirected = false;
};

// Reads neo_fetch.js's answer. An answer without HTTP status becomes neo_call_timeout,
// neo_network_error or neo_config_invalid (a path off the origin); a malformed answer neo_script_failed.
// One the script stopped reading for its size keeps its status, with tooLargeBytes set and no body.
[[nodiscard]] Result<PageFetchResult> parseFetchAnswer(const QJsonValue& answer);

// Neo's two ways of saying "your session is gone" (docs/idexx-neo.md): HTTP 401 (or 419), or a
// redirect that ends on the login page, which fetch follows to an HTML page with status 200. A login
// page is never data.
[[nodiscard]] bool isSessionExpired(const PageFetchResult& result);

// One same-origin GET from inside the page with Neo's headers (Accept: application/json,
// X-Requested-With: XMLHttpRequest, credentials included). `path` must already be checked with
// NeoOrigin::resolve. The script aborts after `timeout`; the page's watchdog waits `grace` longer, so
// only a page that stopped running JavaScript is reported as hung (neo_page_hung). The script reads at
// most `maxBytes` of the body (NeoSessionConfig::maxAnswerBytes). `done` runs later.
void startPageFetch(NeoPage& page, const QString& path, std::chrono::milliseconds timeout,
                    std::chrono::milliseconds grace, qint64 maxBytes,
                    std::function<void(Result<PageFetchResult>)> done);

} // namespace odis::sync
