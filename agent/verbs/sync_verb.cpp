#include "agent/verbs/sync_verb.h"

#include "agent/audit/audit_after_run.h"
#include "agent/resident/run_progress.h"
#include "agent/run/clock_seam.h"
#include "agent/run/neo_clinic_reader.h"
#include "agent/run/pacing_seam.h"
#include "agent/run/run_summary.h"
#include "agent/run/sync_run.h"
#include "agent/verbs/verb_support.h"
#include "sync/neo/selector_profile_source.h"
#include "sync/neo/session_handover.h"

#include <QFile>
#include <QTextStream>

#include <optional>
#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

const QString kVerb = QStringLiteral("sync");

struct SyncArguments
{
    RunTrigger trigger = RunTrigger::Manual;
    bool progressLines = false;  // the resident agent's child: progress and result as lines (run_progress.h)
    bool sessionOnStdin = false; // the setup window's Neo session on stdin (sync/neo/session_handover.h)
};

std::optional<SyncArguments> parseArguments(const QStringList& arguments)
{
    SyncArguments parsed;
    bool once = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& option = arguments.at(i);
        if (option == QLatin1String("--once")) {
            once = true;
        } else if (option == QLatin1String("--headless")) {
            // main() chose the platform from it (prepareGuiPlatform) before the application existed.
        } else if (option == QLatin1String("--progress-lines")) {
            parsed.progressLines = true;
        } else if (option == QLatin1String("--neo-session-stdin")) {
            parsed.sessionOnStdin = true;
        } else if (option == QLatin1String("--trigger") && i + 1 < arguments.size()) {
            const auto trigger = runTriggerFromName(arguments.at(++i));
            if (!trigger) {
                printUsageError(
                    kVerb, QStringLiteral("--trigger takes manual, schedule, remote, catch_up or startup"));
                return std::nullopt;
            }
            parsed.trigger = *trigger;
        } else {
            printUsageError(kVerb, QStringLiteral("unexpected argument '%1'").arg(option));
            return std::nullopt;
        }
    }
    if (!once) {
        // The scheduler that runs syncs every few hours is the agent's resident mode, not this verb.
        printUsageError(kVerb, QStringLiteral("only `sync --once` is available: one run, then exit"));
        return std::nullopt;
    }
    return parsed;
}

void writeRunLine(const QByteArray& line)
{
    QTextStream out(stdout);
    out << QString::fromUtf8(line);
    out.flush();
}

// The handed session, read whole before the run starts: the agent writes it and closes the pipe. A
// handover that cannot be read is not fatal: the run logs in as it always does.
QList<QNetworkCookie> readHandedSession()
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly)) {
        spdlog::warn("the handed IDEXX Neo session cannot be read: stdin is not open");
        return {};
    }
    QByteArray bytes = in.read(sync::kMaxSessionHandoverBytes + 1);
    auto cookies = sync::decodeSessionHandover(bytes);
    sync::wipeBytes(bytes);
    if (!cookies) {
        spdlog::warn("{}: the run logs in by itself", cookies.error().code.toStdString());
        return {};
    }
    return *cookies;
}

RunResultLine syncResultLine(const SyncRunResult& result, int exitCode)
{
    RunResultLine line;
    if (result.run) {
        line.runId = result.run->runId;
        line.trigger = runTriggerName(result.run->trigger);
        line.status = runStatusName(result.run->status);
    }
    line.exitCode = exitCode;
    if (result.error) {
        line.errorCode = result.error->code;
        line.errorMessage = result.error->message;
    }
    line.summary = syncSummaryText(result);
    return line;
}

} // namespace

bool syncArgumentsHeadless(const QStringList& arguments)
{
    return arguments.contains(QStringLiteral("--headless"));
}

void runSyncVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    const auto parsed = parseArguments(arguments);
    auto hold = StepHold::fromEnvironment();
    auto testClock = testClockFromEnvironment();
    auto testPacing = testPacingFromEnvironment();
    if (!parsed || !hold || !testClock || !testPacing) {
        if (!hold || !testClock || !testPacing)
            printVerbError(kVerb, QStringLiteral("test seam"),
                           !hold        ? hold.error()
                           : !testClock ? testClock.error()
                                        : testPacing.error());
        exit(exit_code::kUsage);
        return;
    }
    std::shared_ptr<Clock> fixedClock = std::move(*testClock);
    QList<QNetworkCookie> handed = parsed->sessionOnStdin ? readHandedSession() : QList<QNetworkCookie>();
    startVerb(
        kVerb, exit,
        [args = *parsed, hold = *hold, fixedClock, pacing = *testPacing, exit,
         handed = std::move(handed)](AgentContext& ctx, const AgentConfig& config) mutable {
            // The run holds its clock by reference: kept until the process ends, like the context.
            if (fixedClock)
                keepUntilExitImpl(fixedClock);
            const Clock& clock = fixedClock ? *fixedClock : static_cast<const Clock&>(ctx.clock);
            auto profile = sync::loadSelectorProfile(config.selectorProfileFile);
            if (!profile) {
                printVerbError(kVerb, QStringLiteral("the selector profile cannot be used"), profile.error());
                exit(exit_code::kCannotRun);
                return;
            }
            SyncRunOptions options;
            options.trigger = args.trigger;
            options.hold = hold;
            for (const QNetworkCookie& cookie : std::as_const(handed))
                ctx.logging->redactor().addSensitiveValue(QString::fromLatin1(cookie.value()));
            options.neo.handedCookies = std::exchange(handed, {});
            // The benchmark seam's pacing when set (pacing_seam.h), else the shipped one.
            auto reader = std::make_unique<NeoClinicReader>(ctx.db(), *ctx.secrets, clock,
                                                            std::move(*profile), &ctx.logging->redactor(),
                                                            pacing.value_or(sync::PacerSettings{}));
            if (args.progressLines) {
                options.stepStored = [](const QString& runId, const QString& step) {
                    writeRunLine(stepLine(runId, step));
                };
                reader->setVisitProgress([](int done, int total) {
                    writeRunLine(progressLine(QString(run_step::kConsultations), done, total));
                });
            }
            SyncRun& run =
                keepUntilExit(std::make_unique<SyncRun>(ctx, config, clock, std::move(reader), options));
            run.start([exit, &ctx, &config, clock = &clock,
                       progressLines = args.progressLines](SyncRunResult result) {
                const int code = syncExitCode(result);
                auto report = [exit, code, progressLines, result] {
                    if (progressLines) {
                        writeRunLine(resultLine(syncResultLine(result, code)));
                    } else {
                        QTextStream out(stdout);
                        out << syncSummaryText(result);
                        out.flush();
                    }
                    exit(code);
                };
                // The audit log goes to the backend after each run that reached it (audit_after_run.h).
                if (result.run && result.run->succeeded())
                    shipAuditAfterRun(ctx, config, *clock, report);
                else
                    report();
            });
        });
}

} // namespace odis::agent
