#pragma once

// The resident agent's two clocks: the wall clock (due times, pause ends: what the store keeps) and a
// monotonic clock that does not count a suspended machine. A jump of one against the other is how a sleep
// (or a wall clock set by hand) is noticed on every platform (sleep_watch.h).
//
// SystemTimeSource is the real pair. FileTimeSource is a TEST SEAM, not a feature: with
// ODIS_TEST_CLOCK_FILE=<file> the resident agent's time is what that file says, and it stands still
// between writes, so that an end-to-end test can play days of the schedule in minutes, in step with the
// IDEXX Neo simulator's clock (which the test sets to the same instant). The file holds one JSON object:
//     {"now": "2026-03-09T17:00:30Z", "monotonic_ms": 0}
// A test moves both for time that passes while the machine is awake, and only "now" for a sleep. The file
// is watched; each change emits changed() (write it with a rename so that it is never read half-written).

#include "storage/clock.h"
#include "storage/result.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <memory>

class QFileSystemWatcher;

namespace odis::agent {

class TimeSource : public QObject, public Clock
{
    Q_OBJECT

public:
    using QObject::QObject;
    [[nodiscard]] virtual qint64 monotonicMs() const = 0;
    // Whether real timers measure this time (false: it only moves when changed() says so).
    [[nodiscard]] virtual bool runsByItself() const = 0;

Q_SIGNALS:
    // The time moved by itself in a way timers cannot see (only the test source emits it).
    void changed();
};

class SystemTimeSource final : public TimeSource
{
    Q_OBJECT

public:
    explicit SystemTimeSource(QObject* parent = nullptr);
    [[nodiscard]] QDateTime nowUtc() const override { return QDateTime::currentDateTimeUtc(); }
    [[nodiscard]] qint64 monotonicMs() const override { return m_monotonic.elapsed(); }
    [[nodiscard]] bool runsByItself() const override { return true; }

private:
    QElapsedTimer m_monotonic; // CLOCK_MONOTONIC on Linux: stands still while the machine sleeps
};

class FileTimeSource final : public TimeSource
{
    Q_OBJECT

public:
    static constexpr const char* kEnvironmentVariable = "ODIS_TEST_CLOCK_FILE";

    // Reads the file once; error test_clock_invalid when it is missing or does not hold a UTC "now".
    [[nodiscard]] static Result<std::unique_ptr<FileTimeSource>> open(const QString& path,
                                                                      QObject* parent = nullptr);
    ~FileTimeSource() override;

    [[nodiscard]] QDateTime nowUtc() const override { return m_now; }
    [[nodiscard]] qint64 monotonicMs() const override { return m_monotonicMs; }
    [[nodiscard]] bool runsByItself() const override { return false; }

private:
    explicit FileTimeSource(QString path, QObject* parent);
    [[nodiscard]] Status reload();
    void watch();

    QString m_path;
    QDateTime m_now;
    qint64 m_monotonicMs = 0;
    QFileSystemWatcher* m_watcher = nullptr; // child
};

// The test source when ODIS_TEST_CLOCK_FILE is set, else the system's.
[[nodiscard]] Result<std::unique_ptr<TimeSource>> timeSourceFromEnvironment();

} // namespace odis::agent
