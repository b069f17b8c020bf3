// NeoSession's page visits (neo_session.h, visit()): one Neo HTML page loaded into the session's page and
// read by a page script, serialised with the data calls.

#include "sync/neo/login_verdict.h"
#include "sync/neo/neo_page_host.h"
#include "sync/neo/neo_session.h"
#include "sync/neo/neo_session_errors.h"
#include "sync/neo/page_visit.h"

namespace odis::sync {

void NeoSession::visit(PageVisitRequest request, VisitCallback done)
{
    const QString path = request.path;
    const quint64 id = m_visits.add(QueuedVisit{.request = std::move(request)}, std::move(done));
    if (auto url = m_origin.resolve(path); !url) {
        m_visits.complete(id, propagate(url));
    } else if (m_state != State::Ready && m_state != State::LoggingIn) {
        m_visits.complete(id, std::unexpected(stateError()));
    } else {
        schedulePump();
    }
}

void NeoSession::startVisit()
{
    QueuedVisit* visit = m_visits.first();
    visit->loginGeneration = m_loginGeneration;
    m_host->setPaused(true); // the visit drives the page; the host must not take its loads for its own
    const PageVisit::Timing timing{m_config.pageLoadTimeout, m_config.callTimeout + m_config.watchdogGrace,
                                   m_config.pageLoadTimeout};
    m_activeVisit =
        new PageVisit(*m_host->page(), *m_origin.resolve(visit->request.path), visit->request, timing, this);
    m_activeVisit->start([this, id = visit->id, epoch = m_epoch](Result<PageVisitResult> result) {
        onVisited(id, epoch, std::move(result));
    });
}

void NeoSession::endVisit()
{
    if (m_activeVisit) {
        m_activeVisit->deleteLater(); // its answer is already queued or will be ignored by epoch
        m_activeVisit = nullptr;
        m_host->setPaused(false);
    }
}

void NeoSession::onVisited(quint64 visitId, quint64 epoch, Result<PageVisitResult> result)
{
    QueuedVisit* visit = m_visits.find(visitId);
    if (epoch != m_epoch || !visit) {
        return; // abandoned with its page; it waits to run again, or it was settled
    }
    endVisit();
    m_host->markOnOrigin(); // calls may run in whatever Neo document the visit left behind
    schedulePump();
    if (!result) {
        if (result.error().code == neo_session_error::kPageHung) {
            recoverPage(result.error()); // the visit runs again on the new page
        } else {
            m_visits.complete(visitId, std::move(result));
        }
        return;
    }
    const bool expired = result->httpStatus == 401 || result->httpStatus == 419 ||
                         (result->finalUrl.isValid() && isLoginPath(result->finalUrl.path()));
    if (!expired) {
        m_visits.complete(visitId, std::move(result));
    } else if (visit->loginGeneration < m_loginGeneration) {
        return; // made before a newer login: simply made again
    } else if (visit->reloginUsed) {
        m_visits.complete(visitId,
                          fail(QString(neo_session_error::kSessionLost),
                               QStringLiteral("the Neo session was still expired after logging in again")));
    } else {
        visit->reloginUsed = true;
        startRelogin();
    }
}

} // namespace odis::sync
