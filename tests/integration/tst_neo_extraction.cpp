// Neo's drift, over real HTTPS against the simulator: a JSON endpoint that is gone (404/410) is read
// through Neo's HTML pages and the shipped selector profile with the same result (the ground truth),
// and the read says so; when neither the JSON nor the pages can be read (an unknown layout) the read
// fails with neo_layout_changed, hands nothing on and keeps sealed diagnostics (the page's PDF print and
// DOM outline, in the diagnostics table for 7 days); a collapsed day is reported, and holds its removals.

#include "storage/database.h"
#include "storage/field_cipher.h"
#include "storage/key_provisioning.h"
#include "storage/keychain_store.h"
#include "storage/schema.h"
#include "sync/core/neo_extraction_errors.h"
#include "sync/core/neo_json.h"
#include "sync/neo/layout_diagnostics.h"
#include "tests/integration/neo_extraction_fixture.h"
#include "tests/support/webengine_test_main.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QUuid>

using namespace odis;
using namespace odis::sync;
using odis::test::ClinicSetup;
using odis::test::describe;
using odis::test::NeoExtractionFixture;
using odis::test::UploadedState;

namespace {

// How a route is made to look gone: the fault plan's `removed` (404) or an answer of 410 Gone.
QJsonObject gone(int status)
{
    return status == 404
               ? QJsonObject{{QStringLiteral("removed"), true}}
               : QJsonObject{{QStringLiteral("error_rate"), 1.0}, {QStringLiteral("error_status"), status}};
}

// What a row of the /schedule page shows (docs/idexx-neo.md "HTML pages"): no patient or client id, no
// e-mail, no reason.
const QStringList kSchedulePageFields{QStringLiteral("neo_appointment_id"),
                                      QStringLiteral("neo_consultation_id"),
                                      QStringLiteral("date"),
                                      QStringLiteral("start_time"),
                                      QStringLiteral("end_time"),
                                      QStringLiteral("status"),
                                      QStringLiteral("status_raw"),
                                      QStringLiteral("appointment_type"),
                                      QStringLiteral("is_block"),
                                      QStringLiteral("room_id"),
                                      QStringLiteral("patient.name"),
                                      QStringLiteral("client.first_name"),
                                      QStringLiteral("client.last_name"),
                                      QStringLiteral("client.phone_e164"),
                                      QStringLiteral("client.phone_raw"),
                                      QStringLiteral("removed")};

// Where `uploaded` differs from `truth` on the ground truth's fields (appointments on `appointmentFields`
// when given); ids and field names only in the message.
QStringList differences(const UploadedState& uploaded, const QJsonObject& truth,
                        const QStringList& appointmentFields = {})
{
    QStringList out;
    const auto compare = [&](const QString& list, const QString& idField,
                             const QHash<QString, QJsonObject>& ours, const QStringList& fields) {
        const auto expected = test::byId(truth.value(list).toArray(), idField);
        const QSet<QString> a(ours.keyBegin(), ours.keyEnd());
        const QSet<QString> b(expected.keyBegin(), expected.keyEnd());
        if (a != b) {
            out << list + QStringLiteral(": ") + QString::fromUtf8(test::idsDiff(a, b));
        }
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            const QJsonObject theirs = fields.isEmpty() ? it.value() : test::project(it.value(), fields);
            const QJsonObject mine = fields.isEmpty() ? test::projectOnto(ours.value(it.key()), it.value())
                                                      : test::project(ours.value(it.key()), fields);
            for (auto f = theirs.begin(); f != theirs.end(); ++f) {
                if (mine.value(f.key()) != f.value()) {
                    out << QStringLiteral("%1 %2: %3").arg(list, it.key(), f.key());
                }
            }
        }
    };
    compare(QStringLiteral("appointments"), QStringLiteral("neo_appointment_id"), uploaded.appointments,
            appointmentFields);
    compare(QStringLiteral("consultations"), QStringLiteral("neo_consultation_id"), uploaded.consultations,
            {});
    return out;
}

// The agent's store and keychain as a run has them, for LayoutDiagnostics.
struct DiagnosticsStore
{
    QTemporaryDir dir;
    std::unique_ptr<storage::Database> db;
    storage::KeychainStore keys{QUuid::createUuid()};
    test::ManualClock clock;
    std::unique_ptr<LayoutDiagnostics> diagnostics;

    Status open()
    {
        QByteArray key(storage::Database::kKeySize, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()), key.size() / 4);
        auto opened = storage::Database::open(dir.filePath(QStringLiteral("agent.db")), key,
                                              storage::agentMigrations());
        if (!opened) {
            return std::unexpected(opened.error());
        }
        db = std::move(*opened);
        diagnostics = std::make_unique<LayoutDiagnostics>(keys, *db, clock);
        return ok();
    }

    std::optional<storage::FieldCipher> cipher()
    {
        std::optional<Result<storage::FieldKeyRing>> ring;
        QEventLoop loop;
        storage::loadOrCreateFieldKeys(keys, [&](Result<storage::FieldKeyRing> r) {
            ring = std::move(r);
            loop.quit();
        });
        if (!ring) {
            loop.exec();
        }
        if (!*ring) {
            qWarning("field keys: %s", qPrintable(ring->error().toString()));
            return std::nullopt;
        }
        return storage::FieldCipher(std::move(**ring));
    }
};

} // namespace

class TstNeoExtraction : public QObject
{
    Q_OBJECT

private:
    NeoExtractionFixture m_fixture;

private Q_SLOTS:
    void initTestCase()
    {
        const Status trusted = m_fixture.init();
        QVERIFY2(trusted, qPrintable(trusted ? QString() : trusted.error().toString()));
    }

    void removedEndpointIsReadFromThePages_data()
    {
        QTest::addColumn<QString>("route");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("endpoint");
        QTest::newRow("schedule 404") << "schedule" << 404 << QString(neo_endpoint::kSchedule);
        QTest::newRow("schedule 410") << "schedule" << 410 << QString(neo_endpoint::kSchedule);
        QTest::newRow("page-data 404") << "consultation" << 404 << QString(neo_endpoint::kConsultation);
        QTest::newRow("page-data 410") << "consultation" << 410 << QString(neo_endpoint::kConsultation);
    }

    void removedEndpointIsReadFromThePages()
    {
        QFETCH(QString, route);
        QFETCH(int, status);
        QFETCH(QString, endpoint);
        auto world = m_fixture.start(ClinicSetup{});
        QVERIFY(world);
        QVERIFY(world->setFault(route, gone(status)));
        const NeoReadSettings settings = world->readSettings();
        const auto read = test::runRead(*world, settings);
        QVERIFY2(read && *read, qPrintable(describe(read)));
        const NeoRead& neo = **read;
        QCOMPARE(neo.domFallbackEndpoints, QStringList{endpoint});
        QCOMPARE(neo.scheduleSource,
                 route == QLatin1String("schedule") ? NeoReadSource::Dom : NeoReadSource::Json);
        QCOMPARE(neo.failedVisits(), 0);
        QVERIFY(neo.finishedVisits > 5);
        QCOMPARE(neo.consultations.size(), neo.finishedVisits);
        // Gone means gone: one answer was enough to turn to the pages.
        QVERIFY2(world->requests(route) <= settings.pacing.maxInFlight,
                 qPrintable(QString::number(world->requests(route))));

        // The same as the JSON would have given: the ground truth of this sync.
        UploadedState uploaded;
        const QStringList errors = uploaded.apply(neo, settings);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        const bool schedulePages = route == QLatin1String("schedule");
        const QStringList diff = differences(uploaded, world->admin("GET", QStringLiteral("/ground-truth")),
                                             schedulePages ? kSchedulePageFields : QStringList());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void unknownLayoutKeepsDiagnostics_data()
    {
        QTest::addColumn<QString>("route");
        QTest::addColumn<QJsonObject>("fault");
        QTest::addColumn<QString>("page"); // the page whose diagnostics are kept, record ids masked
        QTest::newRow("schedule gone, pages changed") << "schedule" << gone(404) << "/schedule";
        QTest::newRow("page-data gone, pages changed")
            << "consultation" << gone(410) << "/consultations/#/details";
    }

    void unknownLayoutKeepsDiagnostics()
    {
        QFETCH(QString, route);
        QFETCH(QJsonObject, fault);
        QFETCH(QString, page);
        ClinicSetup setup;
        setup.variants.layout = sim::neo::PageLayout::Changed;
        auto world = m_fixture.start(setup);
        QVERIFY(world);
        DiagnosticsStore store;
        const Status opened = store.open();
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().toString()));
        store.clock.set(world->sim->state().now());
        QVERIFY(world->setFault(route, fault));
        world->clearRequests();

        const QString runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const auto read = test::runRead(*world, world->readSettings(), NeoReadInput{runId, {}, {}},
                                        store.diagnostics.get());
        QVERIFY(read);
        QVERIFY2(!*read, "nothing is handed on from a layout the agent cannot read");
        QCOMPARE(read->error().code, QString(neo_extraction_error::kLayoutChanged));
        if (route == QLatin1String("schedule")) {
            QCOMPARE(world->requests(QStringLiteral("consultation")), 0); // the read stopped at the schedule
        }

        // Kept: an outline and a PDF of the page, sealed, for 7 days, under the run.
        const auto rows = store.db->query(QStringLiteral("SELECT kind, sealed, created_at, expires_at FROM "
                                                         "diagnostics WHERE run_id = ? ORDER BY kind"),
                                          {runId});
        QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().toString()));
        QCOMPARE(rows->size(), 2);
        const auto cipher = store.cipher();
        QVERIFY(cipher);
        QStringList kinds;
        for (const QVariantList& row : *rows) {
            const QString kind = row.at(0).toString();
            kinds << kind;
            const QByteArray sealed = row.at(1).toByteArray();
            const QDateTime created = QDateTime::fromString(row.at(2).toString(), Qt::ISODateWithMs);
            const QDateTime expires = QDateTime::fromString(row.at(3).toString(), Qt::ISODateWithMs);
            QCOMPARE(created.daysTo(expires), qint64(kDiagnosticsRetention.count()));
            const auto plain = cipher->open(sealed, diagnosticsPurpose(QLatin1StringView(kind.toLatin1())));
            QVERIFY2(plain, qPrintable(plain ? QString() : plain.error().toString()));
            if (kind == diagnostics_kind::kPagePdf) {
                QVERIFY(plain->startsWith("%PDF-"));
                QVERIFY(!sealed.contains("%PDF-"));
            } else {
                const QString outline = QString::fromUtf8(*plain);
                QVERIFY2(outline.contains(page), qPrintable(outline.left(300)));
                QVERIFY2(outline.contains(QStringLiteral("neo_layout_changed")),
                         qPrintable(outline.left(300)));
                QVERIFY(!sealed.contains("neo_layout_changed"));
                // The structure, never the clinic's text: no patient name of the clinic appears.
                for (const auto& a : world->sim->state().model.snapshotAt(world->sim->state().now())) {
                    if (a.patient.name.size() > 3) {
                        QVERIFY2(!outline.contains(a.patient.name, Qt::CaseInsensitive),
                                 "a patient name in the outline");
                    }
                }
            }
        }
        QCOMPARE(kinds,
                 (QStringList{QString(diagnostics_kind::kDomOutline), QString(diagnostics_kind::kPagePdf)}));
    }

    void volumeCollapseIsAWarning()
    {
        auto world = m_fixture.start(ClinicSetup{});
        QVERIFY(world);
        // The window starts a week before the clinic's first day, where there are no appointments; a
        // week earlier that weekday had 25, the next day 8 (too few to judge).
        const QDate windowStart(2026, 3, 2);
        NeoReadInput input;
        input.volumeBaseline = QMap<QDate, int>{{windowStart.addDays(-7), 25}, {windowStart.addDays(-6), 8}};
        const auto read = test::runRead(*world, world->readSettings(), input);
        QVERIFY2(read && *read, qPrintable(describe(read))); // handed on: a warning, not a failure
        QCOMPARE((*read)->window.first, windowStart);
        QCOMPARE((*read)->volumeWarnings.size(), 1);
        QCOMPARE((*read)->volumeWarnings.first(),
                 (VolumeWarning{windowStart, 0, windowStart.addDays(-7), 25}));
        QVERIFY(!(*read)->events.isEmpty());
        QCOMPARE((*read)->consultations.size(), (*read)->finishedVisits);
        QCOMPARE((*read)->appointmentsPerDay.value(windowStart), 0);
        QVERIFY((*read)->appointmentsPerDay.value(QDate(2026, 3, 9)) > 10);
    }
};

ODIS_WEBENGINE_TEST_MAIN(TstNeoExtraction)
#include "tst_neo_extraction.moc"
