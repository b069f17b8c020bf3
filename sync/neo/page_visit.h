#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <functional>

class QWebEngineLoadingInfo;

namespace odis::sync {

class NeoPage;

// One Neo HTML page to load into the session's page and read with a page script (the DOM fallback and
// its diagnostics).
struct PageVisitRequest
{
    QString path;          // an absolute path on the Neo origin ("/schedule?date=2026-03-10")
    QString scriptName;    // a page script of resources/scripts (page_scripts::source), run on the page
    QJsonObject args;      // the script's argument
    bool printPdf = false; // also print the loaded page to PDF (diagnostics)
};

struct PageVisitResult
{
    int httpStatus = 0; // 200 when the page loaded; Neo's status for an HTTP error page (404, 429, 503)
    QUrl finalUrl;      // where the redirects ended ("/login" when the session expired)
    QJsonValue value;   // the script's answer; undefined when the script did not run (non-2xx, login page)
    QByteArray pdf;     // the page as PDF when asked for and the page loaded
};

// Loads one page and reads it: load the URL, learn Neo's HTTP status from the load, run the script in
// the isolated world (only on a 2xx page off /login), optionally print the page to PDF. The page must
// be the session's, with the session's own load handling paused, so that nothing else uses the page
// meanwhile. Each step has a time-out. The callback runs once, later from the event loop; after it the
// visit is inert. Errors: neo_tls_error, neo_network_error (no HTTP answer), neo_page_load_failed
// (time-out, a load stopped or refused by the origin lock), neo_page_hung (the script's watchdog),
// neo_script_failed.
class PageVisit final : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(Result<PageVisitResult>)>;

    struct Timing
    {
        std::chrono::milliseconds load{30000};
        std::chrono::milliseconds script{60000}; // the script's watchdog (it may wait for the page)
        std::chrono::milliseconds print{30000};
    };

    PageVisit(NeoPage& page, QUrl url, PageVisitRequest request, Timing timing, QObject* parent = nullptr);

    void start(Callback done);

private:
    void onLoadingChanged(const QWebEngineLoadingInfo& info);
    void runScript();
    void onScript(Result<QJsonValue> result);
    void print();
    void finish(Result<PageVisitResult> result);

    QPointer<NeoPage> m_page;
    QUrl m_url;
    PageVisitRequest m_request;
    Timing m_timing;
    Callback m_done;
    QTimer m_timer;
    PageVisitResult m_result;
    bool m_tlsRefused = false;
    bool m_loaded = false;
    bool m_finished = false;
};

} // namespace odis::sync
