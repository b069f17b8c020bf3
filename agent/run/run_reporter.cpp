#include "agent/run/run_reporter.h"

#include "storage/codes/backend_codes.h"
#include "sync/backend/backend_client.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

namespace odis::agent {

namespace {

Q_LOGGING_CATEGORY(lcReports, "odis.agent.run.reports")

const QString kInvalidRequest = codes::kBackendInvalidRequest;

} // namespace

RunReporter::RunReporter(sync::BackendClient& client, RunLog& log, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_log(log)
{}

void RunReporter::send(const RunRecord& run, RunReportKind kind, std::function<void(Status)> done)
{
    auto body = runReportJson(run, kind);
    if (!body) {
        QTimer::singleShot(0, this,
                           [done = std::move(done), error = body.error()] { done(std::unexpected(error)); });
        return;
    }
    sync::BackendRequest request;
    request.method = QByteArrayLiteral("PUT");
    request.path = runReportPath(run.runId);
    request.body = QJsonDocument(*body).toJson(QJsonDocument::Compact);
    request.idempotencyKey = runReportIdempotencyKey(run.runId, kind);
    QPointer<RunReporter> self(this);
    m_client.send(request,
                  [self, runId = run.runId, kind, done = std::move(done)](const sync::BackendReply& reply) {
                      if (!self)
                          return;
                      if (!reply.ok()) {
                          qCInfo(lcReports) << "run report" << runReportKindName(kind) << "of" << runId
                                            << "not stored:" << reply.error.code << "status" << reply.status;
                          done(std::unexpected(reply.error));
                          return;
                      }
                      done(self->m_log.markReported(runId, kind));
                  });
}

void RunReporter::sendPending(std::function<void(RunReportsSent)> done)
{
    auto pending = m_log.pendingReports();
    if (!pending) {
        QTimer::singleShot(0, this, [done = std::move(done), error = pending.error()] {
            RunReportsSent sent;
            sent.error = error;
            done(sent);
        });
        return;
    }
    // From the event loop even when nothing is owed, like every other answer of this class.
    QTimer::singleShot(0, this, [this, pending = std::move(*pending), done = std::move(done)]() mutable {
        sendNextPending(std::move(pending), {}, std::move(done));
    });
}

void RunReporter::sendNextPending(QList<PendingRunReport> pending, RunReportsSent sent,
                                  std::function<void(RunReportsSent)> done)
{
    if (pending.isEmpty()) {
        done(sent);
        return;
    }
    const PendingRunReport next = pending.takeFirst();
    send(next.run, next.kind,
         [this, pending = std::move(pending), sent, done = std::move(done)](Status result) mutable {
             if (result) {
                 ++sent.sent;
             } else if (result.error().code == kInvalidRequest ||
                        result.error().code.startsWith(QStringLiteral("run_report_"))) {
                 ++sent.rejected;
             } else {
                 sent.error = result.error();
                 done(sent);
                 return;
             }
             sendNextPending(std::move(pending), sent, std::move(done));
         });
}

} // namespace odis::agent
