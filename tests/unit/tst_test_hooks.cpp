// The test hooks (agent/test_hooks.h) through the agent's own readers of them, set in the environment with
// values that would change something: compiled twice (tests/unit/CMakeLists.txt).
//   tst_test_hooks      this build's hooks (ODIS_TEST_HOOKS=ON for the tests): every variable takes effect,
//                       an invalid value is refused; so the checks below can fail
//   tst_test_hooks_off  the same readers linked with agent/test_hooks.cpp compiled as in a package
//                       (ODIS_TEST_HOOKS=0): no variable changes anything, not even an invalid one
#include "agent/agent_config.h"
#include "agent/resident/resident_agent.h"
#include "agent/resident/time_source.h"
#include "agent/run/clock_seam.h"
#include "agent/run/step_hold.h"
#include "agent/test_hooks.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

#ifndef ODIS_EXPECT_HOOKS
#error "ODIS_EXPECT_HOOKS must be 0 or 1"
#endif

using namespace odis;
using namespace odis::agent;
using namespace std::chrono_literals;

namespace {
constexpr bool kHooks = ODIS_EXPECT_HOOKS != 0;
const QDateTime kTestNow = QDateTime::fromString(QStringLiteral("2026-03-13T01:00:30Z"), Qt::ISODate);
} // namespace

class TestHooks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        for (const char* name :
             {"ODIS_TEST_NOW", "ODIS_TEST_HOLD_AT_STEP", "ODIS_TEST_CLOCK_FILE", "ODIS_TEST_TICK_MS",
              "ODIS_TEST_SETTLE_MS", "ODIS_TEST_HEARTBEAT_MS", "ODIS_MANAGED_CONFIG"})
            qunsetenv(name);
    }

    void buildSaysWhetherHooksAreIn() { QCOMPARE(testHooksEnabled(), kHooks); }

    void testNowSetsTheRunClockOnlyWithHooks()
    {
        qputenv("ODIS_TEST_NOW", kTestNow.toString(Qt::ISODate).toLatin1());
        auto clock = testClockFromEnvironment();
        QVERIFY(clock.has_value());
        if (!kHooks) {
            QVERIFY(*clock == nullptr); // the system clock
            return;
        }
        QVERIFY(*clock != nullptr);
        QVERIFY(qAbs((*clock)->nowUtc().msecsTo(kTestNow)) < 60'000);
    }

    void invalidTestNowIsRefusedOnlyWithHooks()
    {
        qputenv("ODIS_TEST_NOW", "yesterday");
        auto clock = testClockFromEnvironment();
        QCOMPARE(clock.has_value(), !kHooks);
        if (kHooks)
            QCOMPARE(clock.error().code, QStringLiteral("test_now_invalid"));
    }

    void holdAtStepOnlyWithHooks()
    {
        qputenv("ODIS_TEST_HOLD_AT_STEP", "schedule:2");
        auto hold = StepHold::fromEnvironment();
        QVERIFY(hold.has_value());
        QCOMPARE(hold->active(), kHooks);
        QVERIFY(!hold->holdAfterStoring(QStringLiteral("schedule")));
        QCOMPARE(hold->holdAfterStoring(QStringLiteral("schedule")), kHooks);

        qputenv("ODIS_TEST_HOLD_AT_STEP", "no_such_step");
        QCOMPARE(StepHold::fromEnvironment().has_value(), !kHooks);
    }

    void residentTimingOnlyWithHooks()
    {
        const ResidentOptions defaults;
        qputenv("ODIS_TEST_TICK_MS", "50");
        qputenv("ODIS_TEST_SETTLE_MS", "60");
        qputenv("ODIS_TEST_HEARTBEAT_MS", "70");
        auto options = ResidentOptions::fromEnvironment(QStringLiteral("odis-agent"));
        QVERIFY(options.has_value());
        QCOMPARE(options->tick, kHooks ? 50ms : defaults.tick);
        QCOMPARE(options->settle, kHooks ? 60ms : defaults.settle);
        QCOMPARE(options->heartbeatInterval, kHooks ? 70ms : defaults.heartbeatInterval);

        qputenv("ODIS_TEST_TICK_MS", "1");
        QCOMPARE(ResidentOptions::fromEnvironment(QStringLiteral("odis-agent")).has_value(), !kHooks);
    }

    // Replacing IT's managed settings by a file of one's choosing is for the tests and the demo only.
    void managedConfigFileOnlyWithHooks()
    {
        const QString platformFile = AgentConfigPaths::defaults().managedFile;
        qputenv("ODIS_MANAGED_CONFIG", "/tmp/odis-test-hooks-managed.json");
        const QString managed = AgentConfigPaths::defaults().managedFile;
        if (kHooks)
            QCOMPARE(managed, QStringLiteral("/tmp/odis-test-hooks-managed.json"));
        else
            QCOMPARE(managed, platformFile);
    }

    void clockFileOnlyWithHooks()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("clock.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"now": "2026-03-13T01:00:30Z", "monotonic_ms": 0})");
        file.close();
        qputenv("ODIS_TEST_CLOCK_FILE", QFile::encodeName(path));
        auto source = timeSourceFromEnvironment();
        QVERIFY(source.has_value());
        QCOMPARE((*source)->runsByItself(), !kHooks);
        if (kHooks)
            QCOMPARE((*source)->nowUtc(), kTestNow);
        else
            QVERIFY(qAbs((*source)->nowUtc().msecsTo(QDateTime::currentDateTimeUtc())) < 60'000);
    }
};

QTEST_GUILESS_MAIN(TestHooks)
#include "tst_test_hooks.moc"
