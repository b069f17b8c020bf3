#pragma once

// A simulated clinic month (issue 16, item 1): the resident agent (`odis-agent --headless`, resident_world.h)
// and both simulators on the test clock for `days` clinic days at the 4-hour schedule, under 1 % random
// error answers on every route of both simulators, one Neo session expiry a day (during a run when the
// test catches one at its consultations step), two backend outages of several hours and one 9-hour machine
// sleep (the wall clock jumps, the monotonic one does not). What happens is recorded by the test itself
// (month_figures.h); the figures are computed against the Neo simulator's ground truth.
//
// Where the disturbances fall, for `days` clinic days from Monday 10:00:30 clinic time (kMondayMorning):
//   session expiry     every day at 13:30:30
//   backend outage 1   day floor(0.3 * days) 15:00:30 to 20:00:30 (5 h)
//   machine sleep      day floor(0.5 * days) 22:00:30 to 07:00:30 the next day (9 h)
//   backend outage 2   day floor(0.7 * days) 14:00:30 to 20:00:30 (6 h)

#include "storage/result.h"
#include "tests/e2e/resident_world.h"
#include "tests/e2e/sync_world.h"
#include "tests/reliability/month_figures.h"

#include <QElapsedTimer>

#include <memory>

namespace odis::test {

struct MonthPlan
{
    quint32 seed = 7;
    int days = 3;
    double errorRate = 0.01; // of every route of both simulators
};

class ClinicMonth
{
public:
    // Both simulators (the clinic generated for days + 2), the install, the resident agent started with
    // its own TMPDIR inside the world, and its first sync asked for by a person.
    static Result<std::unique_ptr<ClinicMonth>> start(const MonthPlan& plan);
    ~ClinicMonth();

    // The month itself, up to its last scheduled run.
    [[nodiscard]] Status play();
    // Faults off, one clean run asked for by a person, then what the backend holds against the ground
    // truth (items lost), duplicates and rejected items.
    [[nodiscard]] Status finish();

    [[nodiscard]] const MonthRecord& record() const { return m_record; }
    [[nodiscard]] SyncWorld& world() { return *m_world; }
    [[nodiscard]] ResidentWorld& agent() { return *m_agent; }
    [[nodiscard]] QString agentTempDir() const { return m_world->path(QStringLiteral("tmp")); }

private:
    ClinicMonth() = default;
    enum class EventKind
    {
        ExpireSession,
        OutageStart,
        OutageEnd,
        Sleep
    };
    struct Event
    {
        QDateTime at;
        EventKind kind;
    };

    [[nodiscard]] Status applyFaults();
    [[nodiscard]] Status apply(const Event& event);
    // Settles the agent and, when a run ended since the last sample, records it; a delivery-only attempt
    // that ended since is counted, and what the backend holds after it recorded.
    [[nodiscard]] Status settleAndSample(bool disturbed);
    void countFaultAnswers();
    void recordAcknowledgedNotes(const QDateTime& at);
    [[nodiscard]] QList<Event> events() const;

    MonthPlan m_plan;
    std::unique_ptr<SyncWorld> m_world;
    std::unique_ptr<ResidentWorld> m_agent;
    MonthRecord m_record;
    QString m_lastRunId;
    QString m_lastDeliveryAt; // the agent's last_delivery.at the test saw
    bool m_backendDown = false;
    bool m_expireDuringNextRun = false;
    bool m_justWoke = false;
    QDateTime m_outageStartedAt;
    QElapsedTimer m_wall;
};

} // namespace odis::test
