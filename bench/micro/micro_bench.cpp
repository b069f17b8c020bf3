// odis-micro-bench: Google Benchmark micro-benchmarks of a sync run's pure middle on a 20-vet hospital's
// two weeks, 10,000 visits (bench/README.md, "Micro-benchmarks"): parsing the schedule and the
// consultations' page-data, canonical JSON and its SHA-256, reconciling (a first sync against an empty
// store, and an unchanged re-sync against what the first one stored) and planning the discharge calls.
// The same code the run calls (agent/run/run_plan.h, sync/core), on made-up rows of the shape the
// parsers' fixtures have (tests/fixtures/neo). Each benchmark checks what it computed (every row parsed,
// every visit reconciled and decided) and otherwise stops with an error and exit status 1, so a smoke
// run proves the figures are of real work. No timing is asserted anywhere.
//   odis-micro-bench [--visits=N] [Google Benchmark options]; ODIS_SOURCE_DIR overrides the source tree.
// --visits=N (1..10000, default 10000): the first N visits of the same hospital. CTest's smoke runs 300
// visits once each (a few seconds): at 10,000, reconciling and planning take seconds per iteration and
// building the data set as much again, which is a measurement, not a smoke test.

#include "agent/run/clinic_reader.h"
#include "agent/run/run_plan.h"
#include "agent/run/stored_state.h"
#include "sync/core/canonical_json.h"
#include "sync/core/clinic_policy.h"
#include "sync/core/neo_consultation_parser.h"
#include "sync/core/neo_schedule_parser.h"
#include "sync/core/phone_e164.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>

namespace {

using namespace odis;

constexpr int kVets = 20;
constexpr int kDays = 14;
constexpr int kVisitsPerVetDay = 36; // 15-minute slots, 08:00 to 17:00
constexpr int kMaxVisits = 10'000;   // kVets x kDays x kVisitsPerVetDay = 10,080: the last 80 are dropped
int g_visits = kMaxVisits;           // --visits=N; set before anything is built
const QDate kFirstDay(2026, 3, 9);
// Sunday 2026-03-22 18:00:30 clinic time (PDT): every visit of the two weeks has happened.
const QDateTime kNow = QDateTime::fromString(QStringLiteral("2026-03-23T01:00:30Z"), Qt::ISODate);

// Google Benchmark reports a SkipWithError and still exits 0: a failed check also sets this, so that the
// process (and CTest's smoke) fails.
bool g_checkFailed = false;

void checkFailed(benchmark::State& state, const char* why)
{
    g_checkFailed = true;
    state.SkipWithError(why);
}

[[noreturn]] void die(const QString& why)
{
    std::fprintf(stderr, "odis-micro-bench: %s\n", qPrintable(why));
    std::exit(1);
}

QByteArray sourceFile(const QString& path)
{
    QString root = qEnvironmentVariable("ODIS_SOURCE_DIR");
    if (root.isEmpty())
        root = QStringLiteral(ODIS_SOURCE_DIR);
    QFile file(root + QLatin1Char('/') + path);
    if (!file.open(QIODevice::ReadOnly))
        die(QStringLiteral("cannot read %1 (set ODIS_SOURCE_DIR to the source tree)").arg(file.fileName()));
    return file.readAll();
}

QString phone(int n)
{
    // (415) 2xx-xxxx: San Francisco numbers of assigned exchanges, valid for libphonenumber; one row in
    // seven without a number, so that the planner's no-phone path is part of the work.
    if (n % 7 == 3)
        return {};
    return QStringLiteral("(415) %1-%2").arg(200 + n % 700).arg(1000 + (n * 37) % 9000);
}

// Everything the benchmarks share, built once.
struct Hospital
{
    QByteArray scheduleBody;
    QList<QPair<QString, QByteArray>> consultationBodies; // (consultation id, page-data body)
    QTimeZone zone{QByteArrayLiteral("America/Los_Angeles")};
    sync::PhoneCountry country;
    sync::ClinicPolicy policy;
    agent::ClinicRead read; // parsed
    agent::StoredState empty;
    agent::RunPlan firstPlan;      // reconciled against the empty store
    agent::StoredState afterFirst; // what the first sync stored
};

QJsonObject row(int index)
{
    static const QStringList types = {QStringLiteral("Exam"),    QStringLiteral("Vaccines"),
                                      QStringLiteral("Recheck"), QStringLiteral("Surgery"),
                                      QStringLiteral("Dental"),  QStringLiteral("Groomer")};
    // Mostly finished visits, a few no-shows and cancellations, as a real two weeks look afterwards.
    static const QStringList statuses = {QStringLiteral("Finalized"),  QStringLiteral("Ready to Pay"),
                                         QStringLiteral("Discharged"), QStringLiteral("Finalized"),
                                         QStringLiteral("Finalized"),  QStringLiteral("Ready to Pay"),
                                         QStringLiteral("Finalized"),  QStringLiteral("Discharged"),
                                         QStringLiteral("No Show"),    QStringLiteral("Cancelled")};
    const int day = index / (kVets * kVisitsPerVetDay);
    const int vet = index / kVisitsPerVetDay % kVets;
    const int slot = index % kVisitsPerVetDay;
    const QDateTime start(kFirstDay.addDays(day), QTime(8, 0).addSecs(slot * 15 * 60));
    const QString& status = statuses.at(index % statuses.size());
    const bool finished = index % statuses.size() < 8;
    QJsonObject r;
    r.insert(QStringLiteral("id"), 9'000'000 + index);
    r.insert(QStringLiteral("appointment_id"), 4'000'000 + index);
    r.insert(QStringLiteral("consultation_id"),
             finished ? QJsonValue(7'000'000 + index) : QJsonValue(QJsonValue::Null));
    r.insert(QStringLiteral("start"), start.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    r.insert(QStringLiteral("end"), start.addSecs(15 * 60).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    r.insert(QStringLiteral("patient_id"), 500'000 + index);
    r.insert(QStringLiteral("patient_name"), QStringLiteral("PET%1").arg(index));
    r.insert(QStringLiteral("client_id"), 300'000 + index / 2);
    r.insert(QStringLiteral("first_name"), QStringLiteral("Client"));
    r.insert(QStringLiteral("last_name"), QStringLiteral("Number%1").arg(index / 2));
    r.insert(QStringLiteral("email"), QStringLiteral("client%1@example.com").arg(index / 2));
    r.insert(QStringLiteral("phone_number"), phone(index));
    r.insert(QStringLiteral("provider"), QStringLiteral("Dr. Vet%1 Example").arg(vet));
    r.insert(QStringLiteral("resourceId"), QString::number(10 + vet));
    r.insert(QStringLiteral("title"), QStringLiteral("PET%1; NUMBER%2, CLIENT").arg(index).arg(index / 2));
    r.insert(QStringLiteral("type_description"), types.at(index % types.size()));
    r.insert(QStringLiteral("reason"), QStringLiteral("Visit reason %1").arg(index % 50));
    r.insert(QStringLiteral("current_status"), status);
    r.insert(QStringLiteral("status_label"), status);
    r.insert(QStringLiteral("is_block"), false);
    r.insert(QStringLiteral("is_roster"), false);
    return r;
}

QByteArray consultationBody(const QJsonObject& scheduleRow, const QJsonObject& fixture)
{
    QJsonObject page = fixture;
    QJsonObject consultation = page.value(QStringLiteral("consultation")).toObject();
    consultation.insert(QStringLiteral("id"), scheduleRow.value(QStringLiteral("consultation_id")));
    consultation.insert(QStringLiteral("date"), scheduleRow.value(QStringLiteral("start")));
    page.insert(QStringLiteral("consultation"), consultation);
    QJsonObject patient = page.value(QStringLiteral("patient")).toObject();
    patient.insert(QStringLiteral("id"), scheduleRow.value(QStringLiteral("patient_id")));
    patient.insert(QStringLiteral("name"), scheduleRow.value(QStringLiteral("patient_name")));
    page.insert(QStringLiteral("patient"), patient);
    QJsonObject client = page.value(QStringLiteral("client")).toObject();
    client.insert(QStringLiteral("id"), scheduleRow.value(QStringLiteral("client_id")));
    client.insert(QStringLiteral("phone"), scheduleRow.value(QStringLiteral("phone_number")));
    page.insert(QStringLiteral("client"), client);
    return QJsonDocument(page).toJson(QJsonDocument::Compact);
}

sync::NeoResponse json(const QByteArray& body)
{
    return sync::NeoResponse{200, QByteArrayLiteral("application/json"), body, {}};
}

sync::NeoSchedule parseSchedule(const QByteArray& body)
{
    auto parsed = sync::parseNeoSchedule(json(body));
    if (!parsed)
        die(QStringLiteral("the schedule does not parse: ") + parsed.error().toString());
    return std::move(parsed->value);
}

QHash<QString, sync::NeoConsultation> parseConsultations(const QList<QPair<QString, QByteArray>>& bodies)
{
    QHash<QString, sync::NeoConsultation> out;
    out.reserve(bodies.size());
    for (const auto& [id, body] : bodies) {
        auto parsed = sync::parseNeoConsultation(json(body), id);
        if (!parsed)
            die(QStringLiteral("consultation %1 does not parse: %2").arg(id, parsed.error().toString()));
        out.emplace(id, std::move(parsed->value));
    }
    return out;
}

agent::RunPlan reconcile(const Hospital& h, const agent::StoredState& stored)
{
    auto plan = agent::reconcileRead(h.read, stored, h.zone, h.country);
    if (!plan)
        die(QStringLiteral("reconcileRead failed: ") + plan.error().toString());
    return std::move(*plan);
}

agent::RunPlan planCalls(const Hospital& h, agent::RunPlan plan, const agent::StoredState& stored)
{
    auto planned = agent::planCalls(std::move(plan), stored, h.policy, kNow);
    if (!planned)
        die(QStringLiteral("planCalls failed: ") + planned.error().toString());
    return std::move(*planned);
}

// What a store holds after `plan` was committed: every item it queued, and its decisions.
agent::StoredState storedAfter(const agent::RunPlan& plan)
{
    agent::StoredState stored;
    for (const sync::ReconciledItem& item : plan.changes)
        stored.observations.insert(item.key, {item.version, item.canonical, item.removed, item.localDate});
    stored.decisions = plan.changedDecisions;
    return stored;
}

const Hospital& hospital()
{
    static const Hospital shared = [] {
        Hospital h;
        const QJsonObject fixture =
            QJsonDocument::fromJson(
                sourceFile(QStringLiteral("tests/fixtures/neo/consultation_current.json")))
                .object();
        const QJsonObject profile =
            QJsonDocument::fromJson(
                sourceFile(QStringLiteral("tests/sim/common/default-clinic-profile.json")))
                .object();
        auto policy = sync::parseClinicPolicy(profile);
        if (!policy)
            die(QStringLiteral("the clinic profile does not parse: ") + policy.error().toString());
        h.policy = std::move(*policy);
        h.country = *sync::PhoneCountry::fromIsoCode(u"US");
        QJsonArray rows;
        for (int i = 0; i < g_visits; ++i) {
            const QJsonObject r = row(i);
            rows.append(r);
            if (!r.value(QStringLiteral("consultation_id")).isNull())
                h.consultationBodies.append(
                    {QString::number(r.value(QStringLiteral("consultation_id")).toInteger()),
                     consultationBody(r, fixture)});
        }
        h.scheduleBody = QJsonDocument(rows).toJson(QJsonDocument::Compact);
        h.read.readAt = kNow;
        h.read.neo.window = {kFirstDay, kFirstDay.addDays(kDays), true};
        h.read.neo.events = parseSchedule(h.scheduleBody).events;
        h.read.neo.consultations = parseConsultations(h.consultationBodies);
        if (h.read.neo.events.size() != g_visits)
            die(QStringLiteral("%1 of %2 rows parsed").arg(h.read.neo.events.size()).arg(g_visits));
        h.firstPlan = planCalls(h, reconcile(h, h.empty), h.empty);
        h.afterFirst = storedAfter(h.firstPlan);
        return h;
    }();
    return shared;
}

void BM_ParseSchedule(benchmark::State& state)
{
    const Hospital& h = hospital();
    for (auto _ : state) {
        const sync::NeoSchedule schedule = parseSchedule(h.scheduleBody);
        if (schedule.events.size() != g_visits) {
            checkFailed(state, "not every row parsed");
            break;
        }
        benchmark::DoNotOptimize(schedule);
    }
    state.SetItemsProcessed(state.iterations() * g_visits);
    state.SetBytesProcessed(state.iterations() * h.scheduleBody.size());
}

void BM_ParseConsultations(benchmark::State& state)
{
    const Hospital& h = hospital();
    for (auto _ : state) {
        const auto consultations = parseConsultations(h.consultationBodies);
        if (consultations.size() != h.consultationBodies.size()) {
            checkFailed(state, "not every consultation parsed");
            break;
        }
        benchmark::DoNotOptimize(consultations);
    }
    state.SetItemsProcessed(state.iterations() * h.consultationBodies.size());
}

void BM_CanonicalHash(benchmark::State& state)
{
    const Hospital& h = hospital();
    for (auto _ : state) {
        qsizetype same = 0;
        for (const sync::ReconciledItem& item : h.firstPlan.changes)
            same += sync::sha256Hex(sync::canonicalJson(item.payload)) == item.version;
        if (same != h.firstPlan.changes.size()) {
            checkFailed(state, "a version is not the SHA-256 of the canonical payload");
            break;
        }
    }
    state.SetItemsProcessed(state.iterations() * h.firstPlan.changes.size());
}

void BM_ReconcileFirstSync(benchmark::State& state)
{
    const Hospital& h = hospital();
    for (auto _ : state) {
        const agent::RunPlan plan = reconcile(h, h.empty);
        if (plan.counts.appointmentsSeen != g_visits || plan.changes.isEmpty()) {
            checkFailed(state, "a first sync must queue every visit");
            break;
        }
        benchmark::DoNotOptimize(plan);
    }
    state.SetItemsProcessed(state.iterations() * g_visits);
}

void BM_ReconcileUnchanged(benchmark::State& state)
{
    const Hospital& h = hospital();
    for (auto _ : state) {
        const agent::RunPlan plan = reconcile(h, h.afterFirst);
        if (plan.counts.appointmentsSeen != g_visits || !plan.changes.isEmpty()) {
            checkFailed(state, "an unchanged re-sync must queue nothing");
            break;
        }
        benchmark::DoNotOptimize(plan);
    }
    state.SetItemsProcessed(state.iterations() * g_visits);
}

void BM_PlanCalls(benchmark::State& state)
{
    const Hospital& h = hospital();
    const agent::RunPlan reconciled = reconcile(h, h.empty);
    for (auto _ : state) {
        state.PauseTiming();
        agent::RunPlan input = reconciled; // copied outside the timing: planCalls takes its plan
        state.ResumeTiming();
        const agent::RunPlan plan = planCalls(h, std::move(input), h.empty);
        if (plan.visits.size() != g_visits || plan.counts.callsPlanned + plan.counts.callsExcluded +
                                                      plan.counts.callsWaiting + plan.counts.callsCancelled +
                                                      plan.counts.callsGrouped !=
                                                  g_visits) {
            checkFailed(state, "every visit must get one decision");
            break;
        }
        benchmark::DoNotOptimize(plan);
    }
    state.SetItemsProcessed(state.iterations() * g_visits);
}

BENCHMARK(BM_ParseSchedule)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseConsultations)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CanonicalHash)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReconcileFirstSync)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReconcileUnchanged)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PlanCalls)->Unit(benchmark::kMillisecond);

} // namespace

// Takes --visits=N out of argv (Google Benchmark refuses options it does not know).
bool takeVisits(int& argc, char** argv)
{
    const QByteArray prefix = QByteArrayLiteral("--visits=");
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (!arg.startsWith(prefix)) {
            argv[kept++] = argv[i];
            continue;
        }
        bool ok = false;
        const int n = arg.mid(prefix.size()).toInt(&ok);
        if (!ok || n < 1 || n > kMaxVisits) {
            std::fprintf(stderr, "odis-micro-bench: --visits takes 1..%d, not '%s'\n", kMaxVisits,
                         arg.mid(prefix.size()).constData());
            return false;
        }
        g_visits = n;
    }
    argc = kept;
    argv[argc] = nullptr;
    return true;
}

int main(int argc, char** argv)
{
    if (!takeVisits(argc, argv))
        return 2;
    QCoreApplication app(argc, argv); // time zones and libphonenumber need nothing more
    benchmark::Initialize(&argc, argv);
    benchmark::AddCustomContext("visits", std::to_string(g_visits));
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 2;
    hospital(); // built and checked before any timing starts
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    if (g_checkFailed) {
        std::fprintf(stderr, "odis-micro-bench: a benchmark's check failed (ERROR OCCURRED above)\n");
        return 1;
    }
    return 0;
}
