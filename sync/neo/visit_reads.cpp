#include "sync/neo/visit_reads.h"

#include "sync/core/dom_extraction.h"
#include "sync/core/neo_appointment_parser.h"
#include "sync/core/neo_consultation_parser.h"
#include "sync/core/neo_extraction_errors.h"
#include "sync/neo/neo_request_runner.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QUrl>

#include <algorithm>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcVisits, "odis.sync.neo.visits")
} // namespace

VisitReads::VisitReads(NeoRequestRunner& runner, const SelectorProfile& profile,
                       std::chrono::milliseconds domSettle, int window, QObject* parent)
    : QObject(parent)
    , m_runner(runner)
    , m_profile(profile)
    , m_domSettle(domSettle)
    , m_window(std::max(window, 1))
{}

void VisitReads::start(const QList<PlannedRead>& reads, Callback done)
{
    m_done = std::move(done);
    m_visitsLeft = reads.size();
    for (const PlannedRead& read : reads) {
        m_outcome.visits.append(VisitReadOutcome{read, std::nullopt, false, false});
        m_partsLeft.append(int(read.consultationId.has_value()) + int(read.appointmentDetail));
    }
    if (reads.isEmpty()) {
        m_finished = true;
        m_done(std::move(m_outcome));
        return;
    }
    fill();
}

void VisitReads::fill()
{
    while (m_active < m_window && m_next < m_outcome.visits.size()) {
        const qsizetype visit = m_next++;
        ++m_active;
        if (m_outcome.visits.at(visit).planned.consultationId) {
            readConsultation(visit, 1);
        }
        if (m_outcome.visits.at(visit).planned.appointmentDetail) {
            readDetail(visit, 1);
        }
    }
}

void VisitReads::readConsultation(qsizetype visit, int attempt)
{
    if (m_pageDataGone) {
        readConsultationPage(visit, true);
        return;
    }
    const QString id = *m_outcome.visits.at(visit).planned.consultationId;
    m_runner.get(QStringLiteral("/consultations/") + id + QStringLiteral("/page-data"),
                 [this, visit, attempt](Result<NeoResponse> result) {
                     onConsultation(visit, attempt, std::move(result));
                 });
}

void VisitReads::onConsultation(qsizetype visit, int attempt, Result<NeoResponse> result)
{
    if (m_finished) {
        return;
    }
    if (!result) {
        itemFailed(visit, result.error());
        return;
    }
    if (isGoneStatus(result->httpStatus)) {
        readConsultationPage(visit, true); // the endpoint is gone, or only this consultation: its page tells
        return;
    }
    const QString id = *m_outcome.visits.at(visit).planned.consultationId;
    NeoAnswerCheck check;
    auto parsed = parseNeoConsultation(*result, id, &check);
    if (parsed) {
        addPresence(m_outcome.presence, check);
        m_outcome.warnings.append(parsed->warnings);
        m_outcome.consultations.emplace(id, std::move(parsed->value));
        m_outcome.visits[visit].consultationRead = true;
        partDone(visit);
    } else if (isUnparseable(parsed.error()) && attempt < 2) {
        readConsultation(visit, attempt + 1);
    } else {
        answerFailed(visit, neo_endpoint::kConsultation, parsed.error(), check);
    }
}

// An answer that could not be taken. A broken contract (twice) ends the step: nothing of it is handed on.
// A refused item (a value too long, invalid UTF-8) and every other error are this visit's failure: its
// stored data stays and it is read again next run. Never a reason to read the pages instead.
void VisitReads::answerFailed(qsizetype visit, QLatin1StringView endpoint, const Error& error,
                              const NeoAnswerCheck& check)
{
    if (error.code == neo_extraction_error::kLayoutChanged) {
        stop(NeoStepFailure{error, {}, refusalOf(endpoint, error, check)});
        return;
    }
    m_outcome.refusals.append(itemRefusalWarnings(endpoint, check.refusals));
    itemFailed(visit, error);
}

void VisitReads::readConsultationPage(qsizetype visit, bool jsonGone)
{
    const QString id = *m_outcome.visits.at(visit).planned.consultationId;
    const QString path = m_profile.consultationPath(id);
    const QJsonObject args = domScriptArgs(m_profile, m_profile.consultation, int(m_domSettle.count()));
    m_runner.visit(PageVisitRequest{path, QStringLiteral("dom_extract.js"), args, false},
                   [this, visit, jsonGone, path](Result<PageVisitResult> result) {
                       onConsultationPage(visit, jsonGone, path, std::move(result));
                   });
}

void VisitReads::onConsultationPage(qsizetype visit, bool jsonGone, const QString& path,
                                    Result<PageVisitResult> result)
{
    if (m_finished) {
        return;
    }
    if (!result) {
        itemFailed(visit, result.error());
        return;
    }
    const int status = result->httpStatus;
    if (status < 200 || status > 299) {
        // 404 here too: Neo does not know this consultation (both ways agree), one item's failure.
        itemFailed(visit, pageStatusError(status, dom_endpoint::kConsultationPage));
        return;
    }
    const QString id = *m_outcome.visits.at(visit).planned.consultationId;
    auto parsed = consultationFromDom(result->value, id);
    if (!parsed) {
        if (parsed.error().code == neo_extraction_error::kLayoutChanged) {
            stop(NeoStepFailure{parsed.error(), path, {}});
        } else {
            itemFailed(visit, parsed.error());
        }
        return;
    }
    if (jsonGone && !m_pageDataGone) {
        qCWarning(lcVisits) << "page-data is gone; reading consultations from their pages";
        m_pageDataGone = true;
    }
    m_outcome.consultationPagesUsed = true;
    m_outcome.warnings.append(parsed->warnings);
    m_outcome.consultations.emplace(id, std::move(parsed->value));
    m_outcome.visits[visit].consultationRead = true;
    partDone(visit);
}

void VisitReads::readDetail(qsizetype visit, int attempt)
{
    const QString id = m_outcome.visits.at(visit).planned.appointmentId;
    m_runner.get(
        QStringLiteral("/appointments/getAppointment?id=") + QString::fromLatin1(QUrl::toPercentEncoding(id)),
        [this, visit, attempt](Result<NeoResponse> result) { onDetail(visit, attempt, std::move(result)); });
}

void VisitReads::onDetail(qsizetype visit, int attempt, Result<NeoResponse> result)
{
    if (m_finished) {
        return;
    }
    if (!result) {
        itemFailed(visit, result.error());
        return;
    }
    const QString id = m_outcome.visits.at(visit).planned.appointmentId;
    NeoAnswerCheck check;
    auto parsed = parseNeoAppointment(*result, id, &check);
    if (!parsed && isUnparseable(parsed.error()) && attempt < 2) {
        readDetail(visit, attempt + 1);
        return;
    }
    if (!parsed) {
        answerFailed(visit, neo_endpoint::kAppointment, parsed.error(), check);
        return;
    }
    m_outcome.warnings.append(parsed->warnings);
    m_outcome.details.emplace(id, std::move(parsed->value));
    m_outcome.visits[visit].detailRead = true;
    partDone(visit);
}

void VisitReads::itemFailed(qsizetype visit, const Error& error)
{
    if (endsTheRead(error)) {
        stop(NeoStepFailure{error, {}, {}});
        return;
    }
    qCInfo(lcVisits) << "a visit read failed:" << error.code << "key"
                     << m_outcome.visits.at(visit).planned.key;
    if (!m_outcome.visits.at(visit).failure) {
        m_outcome.visits[visit].failure = error;
    }
    partDone(visit);
}

void VisitReads::partDone(qsizetype visit)
{
    if (--m_partsLeft[visit] > 0) {
        return;
    }
    --m_active;
    --m_visitsLeft;
    const int total = int(m_outcome.visits.size());
    const QPointer<VisitReads> self(this);
    Q_EMIT visitDone(total - int(m_visitsLeft), total);
    if (!self || m_finished) // a receiver dropped or stopped this read
        return;
    if (m_visitsLeft > 0) {
        fill();
        return;
    }
    m_finished = true;
    m_done(std::move(m_outcome));
}

void VisitReads::stop(NeoStepFailure failure)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_runner.cancelAll();
    m_done(std::unexpected(std::move(failure)));
}

} // namespace odis::sync
