#include "agent/provisioning/provisioned_enrollment.h"

#include "agent/verbs/verb_support.h"
#include "storage/codes/backend_codes.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/enrollment.h"
#include "sync/backend/utc_text.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

QString fingerprint(const QString& code)
{
    return QString::fromLatin1(QCryptographicHash::hash(code.toUtf8(), QCryptographicHash::Sha256).toHex());
}

void say(const QString& line)
{
    QTextStream(stderr) << "odis-agent: " << line << Qt::endl;
}

void audit(AgentContext& ctx, const QString& action, const QString& target, const QString& outcome)
{
    if (auto appended = ctx.audit->append(QStringLiteral("provisioning"), action, target, outcome); !appended)
        spdlog::error("cannot write the audit log: {}", appended.error().code.toStdString());
}

// Takes the used (or refused) code out of its file when this user may rewrite that file; a policy
// store is IT's and is left alone.
void removeFromSource(const AgentConfig& config)
{
    const QFileInfo source(config.enrollmentCodeSource);
    if (!source.isFile())
        return;
    if (!source.isWritable()) {
        spdlog::info("the pre-provisioned enrollment code stays in {} (read-only for this user); the backend "
                     "accepts a code only once",
                     config.enrollmentCodeSource.toStdString());
        return;
    }
    if (auto removed = removeEnrollmentCode(config.enrollmentCodeSource); !removed)
        spdlog::warn("the pre-provisioned enrollment code could not be removed from {}: {}",
                     config.enrollmentCodeSource.toStdString(), removed.error().code.toStdString());
    else
        spdlog::info("the pre-provisioned enrollment code was removed from {}",
                     config.enrollmentCodeSource.toStdString());
}

[[nodiscard]] Status putKv(AgentContext& ctx, const QString& key, const QString& value)
{
    auto written = ctx.db().execute(
        QStringLiteral("INSERT OR REPLACE INTO kv (key, value, updated_at) VALUES (?, ?, ?)"),
        {key, value, sync::utcText(ctx.clock.nowUtc())});
    if (!written)
        return propagate(written);
    return ok();
}

} // namespace

void useProvisionedEnrollment(AgentContext& ctx, const AgentConfig& config,
                              std::function<void(ProvisionedOutcome)> done)
{
    if (config.enrollmentCode.isEmpty()) {
        done(ProvisionedOutcome::None);
        return;
    }
    // Before anything could log it.
    ctx.logging->redactor().addSensitiveValue(config.enrollmentCode);
    const QString from = config.enrollmentCodeSource;

    auto client = sync::BackendClient::create(config.backend(), ctx.clock);
    if (!client) {
        say(QStringLiteral(
                "the pre-provisioned enrollment code from %1 was not used: invalid backend settings [%2]")
                .arg(from, client.error().code));
        done(ProvisionedOutcome::NotTried);
        return;
    }
    sync::BackendClient& http = keepUntilExit(std::move(*client));
    auto& enrollment = keepUntilExit(
        std::make_unique<sync::Enrollment>(http, ctx.db(), *ctx.secrets, ctx.logging->redactor(), ctx.clock));
    const auto enrolled = enrollment.storedIdentity();
    if (!enrolled) {
        say(QStringLiteral(
                "the pre-provisioned enrollment code was not used: cannot read the enrollment [%1]")
                .arg(enrolled.error().code));
        done(ProvisionedOutcome::NotTried);
        return;
    }
    if (*enrolled) {
        removeFromSource(config);
        done(ProvisionedOutcome::AlreadyEnrolled);
        return;
    }
    const auto refused = ctx.db().scalar(QStringLiteral("SELECT value FROM kv WHERE key = ?"),
                                         {provisioning_kv::kRefusedCode});
    if (refused && refused->toString() == fingerprint(config.enrollmentCode)) {
        say(QStringLiteral("this install is not enrolled: the pre-provisioned enrollment code from %1 was "
                           "refused by the backend at an earlier start; give it a new code")
                .arg(from));
        done(ProvisionedOutcome::Refused);
        return;
    }

    spdlog::info("enrolling with the pre-provisioned enrollment code from {}", from.toStdString());
    enrollment.enroll(
        sync::EnrollmentRequest{config.enrollmentCode, {}, {}, {}},
        [&ctx, config, from, done = std::move(done)](Result<sync::AgentIdentity> identity) {
            if (identity) {
                audit(ctx, QStringLiteral("enrollment.completed"),
                      QStringLiteral("agent:") + identity->agentId, QStringLiteral("pre-provisioned code"));
                say(QStringLiteral(
                        "enrolled with the pre-provisioned enrollment code from %1: agent %2, clinic %3")
                        .arg(from, identity->agentId, identity->clinicId));
                removeFromSource(config);
                done(ProvisionedOutcome::Enrolled);
                return;
            }
            audit(ctx, QStringLiteral("enrollment.failed"), QStringLiteral("backend"), identity.error().code);
            if (identity.error().code == codes::kEnrollmentCodeInvalid) {
                if (auto kept = putKv(ctx, provisioning_kv::kRefusedCode, fingerprint(config.enrollmentCode));
                    !kept)
                    spdlog::error("cannot remember the refused enrollment code: {}",
                                  kept.error().code.toStdString());
                say(QStringLiteral(
                        "the backend refused the pre-provisioned enrollment code from %1 (unknown or "
                        "already used) [%2]; it is not tried again: give this install a new code")
                        .arg(from, identity.error().code));
                removeFromSource(config);
                done(ProvisionedOutcome::Refused);
                return;
            }
            say(QStringLiteral(
                    "enrollment with the pre-provisioned code from %1 did not go through [%2]; it is "
                    "tried again at the next start")
                    .arg(from, identity.error().code));
            done(ProvisionedOutcome::NotTried);
        });
}

Status removeEnrollmentCode(const QString& file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return fail(QString(kConfigInvalid),
                    QStringLiteral("%1: cannot be read (%2)").arg(file, in.errorString()));
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll());
    in.close();
    if (!document.isObject())
        return fail(QString(kConfigInvalid), QStringLiteral("%1: must hold a JSON object").arg(file));
    QJsonObject root = document.object();
    QJsonObject enrollment = root.value(QStringLiteral("enrollment")).toObject();
    if (!enrollment.contains(QStringLiteral("code")))
        return ok();
    enrollment.remove(QStringLiteral("code"));
    if (enrollment.isEmpty())
        root.remove(QStringLiteral("enrollment"));
    else
        root.insert(QStringLiteral("enrollment"), enrollment);
    // QSaveFile keeps the file's permissions; a folder this user cannot write gets the file rewritten in
    // place instead.
    QSaveFile out(file);
    out.setDirectWriteFallback(true);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(root).toJson()) < 0 || !out.commit())
        return fail(QString(kConfigInvalid),
                    QStringLiteral("%1: cannot be written (%2)").arg(file, out.errorString()));
    return ok();
}

} // namespace odis::agent
