#include "sync/neo/removal_checks.h"

#include "sync/core/neo_appointment_parser.h"
#include "sync/core/neo_extraction_errors.h"
#include "sync/neo/neo_request_runner.h"

#include <QLoggingCategory>
#include <QMetaObject>
#include <QUrl>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcRemovals, "odis.sync.neo.removals")
} // namespace

RemovalChecks::RemovalChecks(NeoRequestRunner& runner, QObject* parent)
    : QObject(parent)
    , m_runner(runner)
{}

void RemovalChecks::start(const QList<HeldRemoval>& candidates, const QString& controlId,
                          const ReconcileWindow& window, Callback done)
{
    m_candidates = candidates;
    m_controlId = controlId;
    m_window = window;
    m_done = std::move(done);
    if (m_candidates.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this] { finish(std::move(m_outcome)); }, Qt::QueuedConnection);
        return;
    }
    const qsizetype requests = m_candidates.size() + (m_controlId.isEmpty() ? 0 : 1);
    m_answers = QList<Answer>(requests, Answer::Pending);
    m_left = requests;
    for (qsizetype i = 0; i < requests; ++i)
        request(i, 1);
}

void RemovalChecks::request(qsizetype index, int attempt)
{
    const QString id = index < m_candidates.size() ? m_candidates.at(index).appointmentId : m_controlId;
    m_runner.get(
        QStringLiteral("/appointments/getAppointment?id=") + QString::fromLatin1(QUrl::toPercentEncoding(id)),
        [this, index, attempt](Result<NeoResponse> result) { onAnswer(index, attempt, std::move(result)); });
}

void RemovalChecks::onAnswer(qsizetype index, int attempt, Result<NeoResponse> result)
{
    if (m_finished)
        return;
    if (!result) {
        if (endsTheRead(result.error())) {
            finish(std::unexpected(NeoStepFailure{result.error(), {}, {}}));
            return;
        }
        settle(index, Answer::Failed);
        return;
    }
    if (isGoneStatus(result->httpStatus)) {
        settle(index, Answer::NotFound);
        return;
    }
    const QString id = index < m_candidates.size() ? m_candidates.at(index).appointmentId : m_controlId;
    NeoAnswerCheck check;
    auto parsed = parseNeoAppointment(*result, id, &check);
    if (!parsed && isUnparseable(parsed.error()) && attempt < 2) {
        request(index, attempt + 1);
        return;
    }
    if (!parsed && parsed.error().code == neo_extraction_error::kLayoutChanged) {
        finish(std::unexpected(NeoStepFailure{
            parsed.error(), {}, refusalOf(neo_endpoint::kAppointment, parsed.error(), check)}));
        return;
    }
    if (!parsed) {
        m_outcome.refusals.append(itemRefusalWarnings(neo_endpoint::kAppointment, check.refusals));
        settle(index, Answer::Failed);
        return;
    }
    m_outcome.warnings.append(parsed->warnings);
    settle(index, removalVerdict(parsed->value, m_window) == RemovalVerdict::Gone ? Answer::Gone
                                                                                  : Answer::StillThere);
}

void RemovalChecks::settle(qsizetype index, Answer answer)
{
    m_answers[index] = answer;
    if (--m_left > 0)
        return;
    // A 404 is proof only when the endpoint answered for the appointment that the schedule does show.
    const bool controlAnswered = !m_controlId.isEmpty() && m_answers.last() == Answer::StillThere;
    for (qsizetype i = 0; i < m_candidates.size(); ++i) {
        HeldRemoval held = m_candidates.at(i);
        switch (m_answers.at(i)) {
        case Answer::Gone:
            m_outcome.gone.insert(held.appointmentId);
            continue;
        case Answer::NotFound:
            if (controlAnswered) {
                m_outcome.gone.insert(held.appointmentId);
                continue;
            }
            held.reason = QString(removal_hold::kCannotConfirm);
            break;
        case Answer::StillThere:
            held.reason = QString(removal_hold::kStillInNeo);
            break;
        case Answer::Pending:
        case Answer::Failed:
            held.reason = QString(removal_hold::kNotConfirmed);
            break;
        }
        m_outcome.held.append(held);
    }
    qCInfo(lcRemovals) << "removal checks:" << m_outcome.gone.size() << "proven," << m_outcome.held.size()
                       << "held back";
    finish(std::move(m_outcome));
}

void RemovalChecks::finish(NeoStepResult<RemovalChecksOutcome> result)
{
    if (m_finished)
        return;
    m_finished = true;
    if (!result)
        m_runner.cancelAll();
    m_done(std::move(result));
}

} // namespace odis::sync
