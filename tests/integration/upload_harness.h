#pragma once

// What the outbox upload tests share: an enrolled agent over the backend double (backend_fixture.h), its
// outbox, an uploader run to its end, and the check every fault ends with: nothing lost (every queued
// item acknowledged by the double in its version, or still in the outbox) and nothing duplicated (the
// double's duplicate count is 0).

#include "sync/backend/install_wipe.h"
#include "sync/backend/outbox_uploader.h"
#include "tests/integration/backend_fixture.h"

#include <QHash>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

// Runs a verifying helper and leaves the test function when it failed.
#define ODIS_CHECK(call)                                                                                     \
    do {                                                                                                     \
        call;                                                                                                \
        if (QTest::currentTestFailed())                                                                      \
            return;                                                                                          \
    } while (false)

namespace odis::test {

// Waits the full ceiling every time: retries are spaced predictably, so the fault windows below close
// before the resend (the jitter itself is tst_backoff's).
class NoJitter final : public odis::sync::RandomSource
{
public:
    quint64 upTo(quint64 bound) override { return bound; }
};

// Clears a route's faults once the double has counted `requests` more requests on it. Everything runs
// on this thread, and the check runs every few milliseconds: well before the uploader's next send,
// which waits at least one backoff step.
class FaultWindow : public QObject
{
public:
    FaultWindow(odis::sim::SimHttpServer& server, const QString& route, qint64 requests)
        : m_server(server)
        , m_route(route)
        , m_until(server.requestLog().count(route) + requests)
    {
        connect(&m_timer, &QTimer::timeout, this, [this] {
            if (m_server.requestLog().count(m_route) >= m_until) {
                m_server.faults().clearRoute(m_route);
                m_timer.stop();
            }
        });
        m_timer.start(2);
    }

private:
    odis::sim::SimHttpServer& m_server;
    QString m_route;
    qint64 m_until;
    QTimer m_timer;
};

class RecordingDeprovision final : public odis::sync::DeprovisionHandler
{
public:
    explicit RecordingDeprovision(odis::sync::DeprovisionHandler& inner)
        : m_inner(inner)
    {}
    void deprovision(std::function<void(odis::Status)> done) override
    {
        ++calls;
        m_inner.deprovision(std::move(done));
    }
    int calls = 0;

private:
    odis::sync::DeprovisionHandler& m_inner;
};

class UploadHarness
{
protected:
    using OutboxItem = sync::OutboxItem;
    using UploadReport = sync::UploadReport;
    using Outcome = sync::UploadReport::Outcome;

    std::unique_ptr<odis::test::BackendFixture> f;
    odis::sync::AgentIdentity m_identity;
    std::unique_ptr<odis::sync::BackendClient> m_client;
    std::unique_ptr<odis::sync::Outbox> m_outbox;
    std::unique_ptr<odis::sync::InstallWipe> m_wipe;
    std::unique_ptr<RecordingDeprovision> m_deprovision;
    NoJitter m_noJitter;
    odis::sync::SystemRandom m_systemRandom;
    QList<OutboxItem> m_queued; // everything this test queued, latest version per key last

    odis::sync::UploadSettings settings(int maxAttempts = 8) const
    {
        odis::sync::UploadSettings s;
        s.backoff.base = std::chrono::milliseconds(50);
        s.backoff.cap = std::chrono::milliseconds(400);
        s.backoff.maxAttempts = maxAttempts;
        s.backoff.maxTotal = std::chrono::milliseconds(20'000);
        return s;
    }

    void queue(const QList<OutboxItem>& items)
    {
        const auto queued = odis::test::enqueueAll(*f->db, *m_outbox, items);
        if (!queued)
            qFatal("%s", qPrintable(queued.error().toString()));
        m_queued.append(items);
    }
    void queueAppointments(int first, int count)
    {
        QList<OutboxItem> items;
        for (int i = 0; i < count; ++i)
            items.append(appointmentItem(first + i, f->clock.nowUtc()));
        queue(items);
    }

    UploadReport upload(odis::sync::RandomSource& random, odis::sync::UploadSettings s,
                        const odis::Clock* clock = nullptr)
    {
        odis::sync::OutboxUploader uploader(*m_client, *f->db, *m_deprovision, clock ? *clock : f->clock,
                                            random, s);
        QSignalSpy finished(&uploader, &odis::sync::OutboxUploader::finished);
        const auto started = uploader.start(QStringLiteral("run-1"), m_identity.clinicId);
        if (!started)
            qFatal("%s", qPrintable(started.error().toString()));
        if (!finished.wait(60'000))
            qFatal("the upload did not finish");
        return finished.first().first().value<UploadReport>();
    }
    UploadReport upload(int maxAttempts = 8) { return upload(m_noJitter, settings(maxAttempts)); }

    // Every queued item is either stored at the double in its version or still in the outbox, and the
    // double never stored one observation twice.
    void verifyNothingLostNothingDuplicated()
    {
        QHash<QString, QString> stored;
        for (const QJsonValue row : f->storedItems()) {
            const QJsonObject item = row.toObject();
            stored.insert(item.value(QStringLiteral("key")).toString(),
                          item.value(QStringLiteral("version")).toString());
        }
        QHash<QString, QString> latest;
        for (const OutboxItem& item : std::as_const(m_queued))
            latest.insert(item.key, item.version);
        for (auto it = latest.cbegin(); it != latest.cend(); ++it) {
            if (stored.value(it.key()) == it.value())
                continue;
            auto kept =
                f->db->scalar(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE key = ? AND version = ?"),
                              {it.key(), it.value()});
            QVERIFY(kept);
            QVERIFY2(kept->toInt() == 1, qPrintable(QStringLiteral("lost: ") + it.key()));
        }
        QCOMPARE(f->duplicates(), 0);
    }
    void verifyDrained(const UploadReport& report, int expectedUploaded)
    {
        QVERIFY2(report.outcome == Outcome::Drained,
                 qPrintable(odis::sync::uploadOutcomeName(report.outcome) + u' ' +
                            (report.error ? report.error->toString() : QString())));
        QCOMPARE(report.uploaded, expectedUploaded);
        QCOMPARE(report.pending, 0);
        QCOMPARE(f->outboxRows(), 0);
        QCOMPARE(f->frozenBatches(), 0);
        ODIS_CHECK(verifyNothingLostNothingDuplicated());
    }

    // The agent's store objects over f->db again, after the fixture reopened it (a restart).
    void restart()
    {
        m_deprovision.reset();
        m_wipe.reset();
        m_outbox.reset();
        const auto reopened = f->reopenStore();
        QVERIFY2(reopened, qPrintable(reopened ? QString() : reopened.error().toString()));
        m_outbox = std::make_unique<odis::sync::Outbox>(*f->db, f->clock);
        m_wipe = std::make_unique<odis::sync::InstallWipe>(*f->db, *f->keychain);
        m_deprovision = std::make_unique<RecordingDeprovision>(*m_wipe);
    }

    // Call from the test's init(): a started double, an enrolled agent, an empty outbox.
    void startHarness()
    {
        f = std::make_unique<odis::test::BackendFixture>();
        const auto started = f->start();
        QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
        const auto identity = f->enroll();
        QVERIFY2(identity, qPrintable(identity ? QString() : identity.error().toString()));
        m_identity = *identity;
        auto client = f->makeClient([](auto& c) { c.transferTimeout = std::chrono::milliseconds(3000); });
        QVERIFY(client);
        m_client = std::move(*client);
        m_client->setIdentity(f->client->agentId(), QString()); // replaced by the keychain's token below
        odis::sync::Enrollment loader(*m_client, *f->db, *f->keychain, f->redactor, f->clock);
        auto loaded =
            awaitCallback<odis::Result<odis::sync::AgentIdentity>>([&](auto done) { loader.load(done); });
        QVERIFY(loaded && *loaded);
        m_outbox = std::make_unique<odis::sync::Outbox>(*f->db, f->clock);
        m_wipe = std::make_unique<odis::sync::InstallWipe>(*f->db, *f->keychain);
        m_deprovision = std::make_unique<RecordingDeprovision>(*m_wipe);
        m_queued.clear();
    }
    void stopHarness()
    {
        m_deprovision.reset();
        m_wipe.reset();
        m_outbox.reset();
        m_client.reset();
        f.reset();
    }
};

} // namespace odis::test
