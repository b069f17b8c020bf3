#include "tests/reliability/clinic_month.h"

#include "tests/e2e/e2e_checks.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace odis::test {

namespace {

// The status each simulator's fault plan answers with: one no handler of theirs returns, so that counting
// it counts injected faults only.
constexpr int kNeoFaultStatus = 503;
constexpr int kBackendFaultStatus = 502;

QDateTime halfMinuteFrom(const QDateTime& t)
{
    QDateTime half = QDateTime(t.date(), QTime(t.time().hour(), t.time().minute(), 30), Qt::UTC);
    if (half < t)
        half = half.addSecs(60);
    return half;
}

qint64 procField(qint64 pid, const char* file, const QByteArray& field)
{
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1StringView(file)));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

qint64 treeBytes(const QString& root)
{
    qint64 total = 0;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

qint64 faultAnswersOf(const sim::test::HttpResult& requests, int status)
{
    qint64 n = 0;
    const QJsonObject statuses = requests.json().value(QStringLiteral("statuses")).toObject();
    for (auto it = statuses.begin(); it != statuses.end(); ++it)
        n += it.value().toObject().value(QString::number(status)).toInteger();
    return n;
}

} // namespace

Result<std::unique_ptr<ClinicMonth>> ClinicMonth::start(const MonthPlan& plan)
{
    std::unique_ptr<ClinicMonth> month(new ClinicMonth);
    month->m_wall.start();
    month->m_plan = plan;
    month->m_record.seed = plan.seed;
    month->m_record.days = plan.days;
    month->m_record.start = kMondayMorning;
    WorldOptions options;
    options.seed = plan.seed;
    options.days = plan.days + 2;
    options.neoNow = kMondayMorning;
    options.phoneChanges = true;
    auto world = SyncWorld::create(options);
    if (!world)
        return std::unexpected(world.error());
    month->m_world = std::move(*world);
    if (auto installed = month->m_world->install(); !installed)
        return std::unexpected(installed.error());
    QDir().mkpath(month->agentTempDir());
    month->m_agent = std::make_unique<ResidentWorld>(*month->m_world);
    if (auto clock = month->m_agent->startClock(kMondayMorning); !clock)
        return std::unexpected(clock.error());
    QProcessEnvironment env;
    // Its own temporary folder, so that the leak scan can read all of it and only it.
    env.insert(QStringLiteral("TMPDIR"), month->agentTempDir());
    if (auto started = month->m_agent->start(600'000, env); !started)
        return std::unexpected(started.error());
    // Credentials saved but never used: the first sync is a person's (tst_resident_e2e), before the faults
    // (a person would simply try again; the month is about what the agent does on its own).
    const AgentRun now = month->m_world->agent({QStringLiteral("sync-now")});
    if (now.exitCode != 0)
        return fail(QStringLiteral("reliability_first_sync"), QString::fromUtf8(now.describe()));
    if (auto sampled = month->settleAndSample(false); !sampled)
        return std::unexpected(sampled.error());
    if (auto faults = month->applyFaults(); !faults)
        return std::unexpected(faults.error());
    return month;
}

ClinicMonth::~ClinicMonth()
{
    if (m_agent && m_agent->running())
        m_agent->quit();
}

Status ClinicMonth::applyFaults()
{
    const auto plan = [](double rate, int status, bool afterHandler) {
        return QJsonObject{
            {QStringLiteral("*"), QJsonObject{{QStringLiteral("error_rate"), rate},
                                              {QStringLiteral("error_status"), status},
                                              {QStringLiteral("after_handler"), afterHandler}}}};
    };
    const QString seed = QStringLiteral("/faults?seed=%1").arg(m_plan.seed);
    if (m_world->neoAdmin("PUT", seed, plan(m_plan.errorRate, kNeoFaultStatus, false)).status != 200)
        return fail(QStringLiteral("reliability_faults"), QStringLiteral("Neo refused the fault plan"));
    // On the backend the error strikes after the handler ran: stored, and the agent never learns it.
    if (m_world->backendAdmin("PUT", seed, plan(m_plan.errorRate, kBackendFaultStatus, true)).status != 200)
        return fail(QStringLiteral("reliability_faults"),
                    QStringLiteral("the backend refused the fault plan"));
    return {};
}

void ClinicMonth::countFaultAnswers()
{
    m_record.faultAnswers +=
        faultAnswersOf(m_world->neoAdmin("GET", QStringLiteral("/requests")), kNeoFaultStatus);
    m_world->neoAdmin("DELETE", QStringLiteral("/requests"));
    if (!m_backendDown) {
        m_record.faultAnswers +=
            faultAnswersOf(m_world->backendAdmin("GET", QStringLiteral("/requests")), kBackendFaultStatus);
        m_world->backendAdmin("DELETE", QStringLiteral("/requests"));
    }
}

void ClinicMonth::recordAcknowledgedNotes(const QDateTime& at)
{
    if (m_backendDown)
        return; // what the agent sends meanwhile is acknowledged after the backend is back
    const auto r = m_world->backendAdmin("GET", QStringLiteral("/items?kind=consultation"));
    for (const QJsonValue v : r.json().value(QStringLiteral("items")).toArray()) {
        const QJsonObject payload = v.toObject().value(QStringLiteral("payload")).toObject();
        if (!payload.value(QStringLiteral("has_notes")).toBool())
            continue;
        const QString id = payload.value(QStringLiteral("neo_consultation_id")).toString();
        if (!m_record.notesAckedAt.contains(id))
            m_record.notesAckedAt.insert(id, at);
    }
}

Status ClinicMonth::settleAndSample(bool disturbed)
{
    auto status = m_agent->settle();
    if (!status)
        return std::unexpected(status.error());
    const QJsonObject delivery = status->value(QStringLiteral("last_delivery")).toObject();
    const QString deliveryAt = delivery.value(QStringLiteral("at")).toString();
    if (!deliveryAt.isEmpty() && deliveryAt != m_lastDeliveryAt) {
        m_lastDeliveryAt = deliveryAt;
        ++m_record.deliveries;
        if (delivery.value(QStringLiteral("outcome")).toString() == QLatin1String("drained"))
            ++m_record.deliveriesDrained;
        recordAcknowledgedNotes(m_agent->now());
    }
    const QJsonObject last = status->value(QStringLiteral("last_run")).toObject();
    const QString runId = last.value(QStringLiteral("run_id")).toString();
    if (runId.isEmpty() || runId == m_lastRunId)
        return {};
    m_lastRunId = runId;
    RunSample sample;
    sample.at = m_agent->now();
    sample.runId = runId;
    sample.trigger = last.value(QStringLiteral("trigger")).toString();
    sample.status = last.value(QStringLiteral("status")).toString();
    sample.disturbed = disturbed || m_backendDown || m_justWoke;
    m_justWoke = false;
    sample.rssKb = procField(m_agent->pid(), "status", "VmRSS:");
    sample.pssKb = procField(m_agent->pid(), "smaps_rollup", "Pss:");
    const QString store = m_world->path(QStringLiteral("data/Odis/odis-agent/agent.db"));
    sample.storeBytes = QFileInfo(store).size() + QFileInfo(store + QStringLiteral("-wal")).size();
    sample.logBytes = treeBytes(m_world->path(QStringLiteral("data/Odis/odis-agent/logs")));
    m_record.runs.append(sample);
    recordAcknowledgedNotes(sample.at);
    countFaultAnswers();
    return {};
}

QList<ClinicMonth::Event> ClinicMonth::events() const
{
    QList<Event> out;
    const QDateTime day0 = kMondayMorning; // 10:00:30 clinic time
    for (int d = 0; d < m_plan.days; ++d)
        out.append({day0.addDays(d).addSecs(3 * 3600 + 1800), EventKind::ExpireSession});
    const int outage1 = int(std::floor(0.3 * m_plan.days));
    const int sleep = int(std::floor(0.5 * m_plan.days));
    const int outage2 = int(std::floor(0.7 * m_plan.days));
    out.append({day0.addDays(outage1).addSecs(5 * 3600), EventKind::OutageStart});
    out.append({day0.addDays(outage1).addSecs(10 * 3600), EventKind::OutageEnd});
    out.append({day0.addDays(sleep).addSecs(12 * 3600), EventKind::Sleep});
    out.append({day0.addDays(outage2).addSecs(4 * 3600), EventKind::OutageStart});
    out.append({day0.addDays(outage2).addSecs(10 * 3600), EventKind::OutageEnd});
    std::stable_sort(out.begin(), out.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
    return out;
}

Status ClinicMonth::apply(const Event& event)
{
    switch (event.kind) {
    case EventKind::ExpireSession:
        m_expireDuringNextRun = true; // caught at the next run's consultations step
        ++m_record.sessionExpiries;
        return {};
    case EventKind::OutageStart:
        countFaultAnswers(); // the request log goes with the process
        if (!m_world->stopBackend())
            return fail(QStringLiteral("reliability_outage"),
                        QStringLiteral("the backend did not stop cleanly"));
        m_backendDown = true;
        m_outageStartedAt = m_agent->now();
        ++m_record.backendOutages;
        return {};
    case EventKind::OutageEnd: {
        if (auto back = m_world->restartBackend(); !back)
            return back;
        m_backendDown = false;
        m_record.backendOutageSeconds += m_outageStartedAt.secsTo(m_agent->now());
        return applyFaults(); // a new process: its fault plan is new too
    }
    case EventKind::Sleep:
        ++m_record.sleeps;
        m_justWoke = true;
        return m_agent->setNow(m_agent->now().addSecs(9 * 3600), false);
    }
    return {};
}

Status ClinicMonth::play()
{
    QList<Event> pending = events();
    const QDateTime end = kMondayMorning.addDays(m_plan.days);
    for (int guard = 0; guard < m_plan.days * 400; ++guard) {
        const QJsonObject now = m_agent->status();
        QDateTime due = statusInstant(now, "next_run_at");
        if (!due.isValid())
            return fail(QStringLiteral("reliability_no_next_run"), QStringLiteral("the agent plans no run"));
        // A delivery-only attempt due before the next run is a step of its own (the agent's retry after
        // an undelivered outbox).
        const QDateTime delivery = statusInstant(now, "next_delivery_at");
        const bool delivering = delivery.isValid() && delivery < due;
        if (delivering)
            due = delivery;
        if (!pending.isEmpty() && pending.first().at <= due) {
            const Event event = pending.takeFirst();
            if (event.at > m_agent->now()) {
                if (auto moved = m_agent->setNow(event.at); !moved)
                    return moved;
            }
            if (auto applied = apply(event); !applied)
                return applied;
            if (auto settled = settleAndSample(false); !settled)
                return settled;
            continue;
        }
        if (due > end)
            break;
        QDateTime at = halfMinuteFrom(due);
        if (at <= m_agent->now())
            at = m_agent->now().addSecs(60);
        if (auto moved = m_agent->setNow(at); !moved)
            return moved;
        if (delivering) {
            if (auto settled = settleAndSample(false); !settled)
                return settled;
            continue;
        }
        if (m_expireDuringNextRun) {
            m_expireDuringNextRun = false;
            const QString before = m_lastRunId;
            auto caught = m_agent->waitFor(
                [&before](const QJsonObject& s) {
                    const QString step =
                        s.value(QStringLiteral("run")).toObject().value(QStringLiteral("step")).toString();
                    const QString last = s.value(QStringLiteral("last_run"))
                                             .toObject()
                                             .value(QStringLiteral("run_id"))
                                             .toString();
                    return step == QLatin1String("consultations") || (!last.isEmpty() && last != before);
                },
                QStringLiteral("a run to expire the session in"), 120'000);
            if (caught && caught->value(QStringLiteral("run")).isObject())
                ++m_record.sessionExpiriesDuringARun;
            m_world->neoAdmin("POST", QStringLiteral("/session/expire"));
        }
        if (auto settled = settleAndSample(false); !settled)
            return settled;
        m_record.lastRunAt = m_agent->now();
    }
    m_record.wallSeconds = double(m_wall.elapsed()) / 1000.0;
    return {};
}

Status ClinicMonth::finish()
{
    if (m_backendDown) {
        if (auto back = m_world->restartBackend(); !back)
            return back;
        m_backendDown = false;
    }
    const QString at = m_record.lastRunAt.toString(Qt::ISODate);
    const auto truth = m_world->neoAdmin("GET", QStringLiteral("/ground-truth?at=") + at);
    if (truth.status != 200)
        return fail(QStringLiteral("reliability_truth"), QString::fromUtf8(truth.body));
    m_record.truthAtLastRun = truth.json();
    auto items = m_world->backendItems();
    if (!items)
        return std::unexpected(items.error());
    m_record.itemsAtLastRun = *items;
    m_record.noteTimes = m_world->neoAdmin("GET", QStringLiteral("/note-times"))
                             .json()
                             .value(QStringLiteral("notes"))
                             .toArray();
    countFaultAnswers();

    // A clean run: whatever the faults held back must be there now, nothing extra and nothing twice.
    m_world->neoAdmin("DELETE", QStringLiteral("/faults"));
    m_world->backendAdmin("DELETE", QStringLiteral("/faults"));
    if (auto moved = m_agent->setNow(m_agent->now().addSecs(600)); !moved)
        return moved;
    if (auto settled = m_agent->settle(); !settled)
        return std::unexpected(settled.error());
    const AgentRun now = m_world->agent({QStringLiteral("sync-now")});
    if (now.exitCode != 0)
        return fail(QStringLiteral("reliability_clean_run"), QString::fromUtf8(now.describe()));
    if (auto settled = m_agent->settle(); !settled)
        return std::unexpected(settled.error());
    const auto finalTruth = m_world->groundTruth();
    if (!finalTruth)
        return std::unexpected(finalTruth.error());
    auto finalItems = m_world->backendItems();
    if (!finalItems)
        return std::unexpected(finalItems.error());
    const QStringList differences = truthDifferences(*finalTruth, *finalItems);
    m_record.differencesAfterCleanRun = int(differences.size());
    m_record.differencesSample = differences.mid(0, 20);
    const QJsonObject summary = m_world->backendSummary();
    m_record.duplicates = summary.value(QStringLiteral("duplicates")).toInteger();
    m_record.rejectedItems = summary.value(QStringLiteral("rejected_items")).toInteger();
    m_record.wallSeconds = double(m_wall.elapsed()) / 1000.0;
    return {};
}

} // namespace odis::test
