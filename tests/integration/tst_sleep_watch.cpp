// Sleep noticed (agent/resident/sleep_watch.h): by the wall clock jumping against the monotonic one (a test
// clock file moved forward without its monotonic time: a sleep; both together: time passing awake; backwards:
// a clock set back), and on Linux by logind's PrepareForSleep signal, played here on the private session bus
// by a test service that owns the name org.freedesktop.login1.

#include "agent/resident/sleep_watch.h"
#include "agent/resident/time_source.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace odis::agent;

namespace {

const QDateTime kStart(QDate(2026, 3, 10), QTime(12, 0, 30), Qt::UTC);

bool writeClock(const QString& path, const QDateTime& now, qint64 monotonicMs)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) &&
           file.write(QJsonDocument(QJsonObject{{QStringLiteral("now"), now.toString(Qt::ISODateWithMs)},
                                                {QStringLiteral("monotonic_ms"), monotonicMs}})
                          .toJson()) > 0 &&
           file.commit();
}

} // namespace

class SleepWatchTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wallAgainstMonotonic()
    {
        QTemporaryDir dir;
        const QString clock = dir.filePath(QStringLiteral("clock.json"));
        QVERIFY(writeClock(clock, kStart, 0));
        auto time = FileTimeSource::open(clock);
        QVERIFY2(time, qPrintable(time ? QString() : time.error().toString()));
        SleepWatch watch(**time, std::chrono::hours(1)); // the tick never fires here: the file drives it
        QSignalSpy resumed(&watch, &SleepWatch::resumed);
        QSignalSpy checked(&watch, &SleepWatch::checked);

        // An hour awake: both clocks move; no sleep.
        QVERIFY(writeClock(clock, kStart.addSecs(3600), 3'600'000));
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 1, 10'000);
        QCOMPARE(resumed.size(), 0);
        QCOMPARE((*time)->nowUtc(), kStart.addSecs(3600));

        // Nine hours asleep: the wall clock alone moves.
        QVERIFY(writeClock(clock, kStart.addSecs(10 * 3600), 3'600'000));
        QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 1, 10'000);
        QCOMPARE(resumed.first().first().toString(), QStringLiteral("clock_jump"));

        // A minute's drift (NTP) is no jump; a clock set back two hours is one.
        QVERIFY(writeClock(clock, kStart.addSecs(10 * 3600 + 90), 3'600'000 + 60'000));
        QTRY_VERIFY_WITH_TIMEOUT(checked.size() >= 3, 10'000);
        QCOMPARE(resumed.size(), 1);
        QVERIFY(writeClock(clock, kStart.addSecs(8 * 3600), 3'600'000 + 120'000));
        QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 2, 10'000);
    }

    void aBadClockFileIsRefused()
    {
        QTemporaryDir dir;
        const QString clock = dir.filePath(QStringLiteral("clock.json"));
        QVERIFY(!FileTimeSource::open(clock)); // missing
        QSaveFile file(clock);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"now\": \"2026-03-10T12:00:30\"}"); // not UTC
        QVERIFY(file.commit());
        auto time = FileTimeSource::open(clock);
        QVERIFY(!time);
        QCOMPARE(time.error().code, QStringLiteral("test_clock_invalid"));
    }

    void logindSaysItAtOnce()
    {
        QDBusConnection bus = QDBusConnection::sessionBus();
        QVERIFY2(bus.isConnected(), "no session bus: run inside scripts/in-private-session.sh");
        QVERIFY2(bus.registerService(QStringLiteral("org.freedesktop.login1")),
                 qPrintable(bus.lastError().message()));
        SystemTimeSource time;
        SleepWatch watch(time, std::chrono::hours(1));
        QVERIFY(watch.listenToLogind(bus));
        QSignalSpy resumed(&watch, &SleepWatch::resumed);
        QSignalSpy suspending(&watch, &SleepWatch::suspending);

        auto prepare = [&bus](bool start) {
            QDBusMessage signal = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/login1"),
                                                             QStringLiteral("org.freedesktop.login1.Manager"),
                                                             QStringLiteral("PrepareForSleep"));
            signal << start;
            return bus.send(signal);
        };
        QVERIFY(prepare(true));
        QTRY_COMPARE_WITH_TIMEOUT(suspending.size(), 1, 10'000);
        QCOMPARE(resumed.size(), 0);
        QVERIFY(prepare(false));
        QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 1, 10'000);
        QCOMPARE(resumed.first().first().toString(), QStringLiteral("logind"));
        bus.unregisterService(QStringLiteral("org.freedesktop.login1"));

        // Another sender of the same signal is not logind: ignored.
        QDBusConnection other =
            QDBusConnection::connectToBus(QDBusConnection::SessionBus, QStringLiteral("other"));
        QDBusMessage spoof = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/login1"),
                                                        QStringLiteral("org.freedesktop.login1.Manager"),
                                                        QStringLiteral("PrepareForSleep"));
        spoof << false;
        QVERIFY(other.send(spoof));
        QTest::qWait(500);
        QCOMPARE(resumed.size(), 1);
        QDBusConnection::disconnectFromBus(QStringLiteral("other"));
    }
};

QTEST_GUILESS_MAIN(SleepWatchTest)
#include "tst_sleep_watch.moc"
