#include "sync/neo/page_visit.h"

#include "sync/neo/login_verdict.h"
#include "sync/neo/neo_page.h"
#include "sync/neo/neo_session_errors.h"
#include "sync/neo/page_script_calls.h"
#include "sync/neo/page_scripts.h"

#include <QLoggingCategory>
#include <QMarginsF>
#include <QPageLayout>
#include <QPageSize>
#include <QWebEngineLoadingInfo>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcVisit, "odis.sync.neo.visit")

Error visitError(QLatin1StringView code, const QString& message)
{
    return Error{QString(code), message};
}
} // namespace

PageVisit::PageVisit(NeoPage& page, QUrl url, PageVisitRequest request, Timing timing, QObject* parent)
    : QObject(parent)
    , m_page(&page)
    , m_url(std::move(url))
    , m_request(std::move(request))
    , m_timing(timing)
{
    m_timer.setSingleShot(true);
}

void PageVisit::start(Callback done)
{
    m_done = std::move(done);
    connect(m_page, &QWebEnginePage::loadingChanged, this, &PageVisit::onLoadingChanged);
    connect(m_page, &NeoPage::tlsRefused, this, [this] { m_tlsRefused = true; });
    connect(&m_timer, &QTimer::timeout, this, [this] {
        finish(std::unexpected(
            visitError(neo_session_error::kPageLoadFailed,
                       QStringLiteral("a Neo page did not load within %1 ms").arg(m_timing.load.count()))));
    });
    m_timer.start(m_timing.load);
    m_page->load(m_url);
}

void PageVisit::onLoadingChanged(const QWebEngineLoadingInfo& info)
{
    if (m_finished || m_loaded) {
        return;
    }
    switch (info.status()) {
    case QWebEngineLoadingInfo::LoadStartedStatus:
        return;
    case QWebEngineLoadingInfo::LoadStoppedStatus:
        finish(std::unexpected(visitError(neo_session_error::kPageLoadFailed,
                                          QStringLiteral("the Neo page's load was stopped"))));
        return;
    case QWebEngineLoadingInfo::LoadSucceededStatus:
        break;
    case QWebEngineLoadingInfo::LoadFailedStatus:
        if (info.errorDomain() == QWebEngineLoadingInfo::HttpStatusCodeDomain) {
            // Neo answered with an error status: the caller judges it (404 gone, 429 wait, 5xx retry).
            m_result.httpStatus = info.errorCode();
            m_result.finalUrl = m_page->url();
            finish(m_result);
        } else if (m_tlsRefused || isCertificateFailure(info)) {
            finish(std::unexpected(visitError(neo_session_error::kTlsError,
                                              QStringLiteral("the Neo server's certificate was refused"))));
        } else if (info.errorDomain() == QWebEngineLoadingInfo::InternalErrorDomain) {
            // Among others: a redirect the origin lock refused.
            finish(std::unexpected(
                visitError(neo_session_error::kPageLoadFailed,
                           QStringLiteral("the Neo page did not load (error %1)").arg(info.errorCode()))));
        } else {
            finish(std::unexpected(visitError(
                neo_session_error::kNetworkError,
                QStringLiteral("a Neo page got no HTTP answer (error %1)").arg(info.errorCode()))));
        }
        return;
    }
    m_loaded = true;
    m_result.httpStatus = 200;
    m_result.finalUrl = m_page->url();
    if (isLoginPath(m_result.finalUrl.path())) {
        finish(m_result); // the session expired: the session logs in again
        return;
    }
    runScript();
}

void PageVisit::runScript()
{
    auto script = page_scripts::source(m_request.scriptName);
    if (!script) {
        finish(propagate(script));
        return;
    }
    m_timer.stop();
    m_page->calls().runAsync(*script, m_request.args, m_timing.script,
                             [self = QPointer(this)](Result<QJsonValue> result) {
                                 if (self) {
                                     self->onScript(std::move(result));
                                 }
                             });
}

void PageVisit::onScript(Result<QJsonValue> result)
{
    if (m_finished) {
        return;
    }
    if (!result) {
        finish(propagate(result));
        return;
    }
    m_result.value = *result;
    if (m_request.printPdf) {
        print();
        return;
    }
    finish(m_result);
}

void PageVisit::print()
{
    disconnect(&m_timer, nullptr, this, nullptr);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        qCWarning(lcVisit) << "printing a Neo page for diagnostics timed out";
        finish(m_result); // the script's answer stands; the PDF is simply missing
    });
    m_timer.start(m_timing.print);
    const QPageLayout layout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(10, 10, 10, 10),
                             QPageLayout::Millimeter);
    m_page->printToPdf(
        [self = QPointer(this)](const QByteArray& pdf) {
            if (self && !self->m_finished) {
                self->m_result.pdf = pdf;
                self->finish(self->m_result);
            }
        },
        layout);
}

void PageVisit::finish(Result<PageVisitResult> result)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_timer.stop();
    if (m_page) {
        disconnect(m_page, nullptr, this, nullptr);
    }
    // Later, from the event loop: the receiver may delete the page, and we may be inside its signal.
    QMetaObject::invokeMethod(
        this, [this, result = std::move(result)]() mutable { m_done(std::move(result)); },
        Qt::QueuedConnection);
}

} // namespace odis::sync
