// The "done when" of the IDEXX Neo simulator: a generated clinic week, logged into over real HTTPS, whose
// schedule and consultations match the ground truth of a perfect agent that synced at that moment; and the
// odis-neo-sim executable, started, logged into, and stopped with SIGTERM.

#include "tests/sim/neo/neo_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <csignal>

using namespace odis::sim::neo;
using namespace odis::sim::neo::test;

namespace {

QJsonValue idText(const QJsonValue& id)
{
    return id.isNull() ? QJsonValue() : QJsonValue(QString::number(id.toInteger()));
}

QJsonValue textOrNull(const QJsonValue& v)
{
    return v.isNull() || v.toString().isEmpty() ? QJsonValue() : v;
}

// The payload form of a name (docs/backend-api.md): trimmed, inner white space collapsed, Unicode NFC.
QJsonValue payloadName(const QJsonValue& v)
{
    return v.toString().normalized(QString::NormalizationForm_C).simplified();
}

QHash<QString, QJsonObject> indexBy(const QJsonArray& items, const QString& key)
{
    QHash<QString, QJsonObject> index;
    for (const QJsonValue v : items) {
        index.insert(v.toObject().value(key).toString(), v.toObject());
    }
    return index;
}

QJsonArray productLines(const QJsonArray& lines, bool declined)
{
    QJsonArray out;
    for (const QJsonValue v : lines) {
        const QJsonObject line = v.toObject();
        if (line.value(QStringLiteral("isDeclined")).toBool() == declined) {
            out.append(QJsonObject{{QStringLiteral("name"), line.value(QStringLiteral("productService"))},
                                   {QStringLiteral("quantity"), line.value(QStringLiteral("quantity"))}});
        }
    }
    return out;
}

} // namespace

class TstNeoSimEndToEnd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scheduleAndConsultationsMatchTheGroundTruth();
    void executableServesAWeekAndStopsOnSigterm();
    void executableEmailLoginVariantPrintsAnAddress();
};

void TstNeoSimEndToEnd::scheduleAndConsultationsMatchTheGroundTruth()
{
    ClinicOptions options;
    options.seed = 7;
    options.days = 7;
    NeoServerConfig config{ClinicModel::generate(options)};
    config.startUtc = QDateTime(QDate(2026, 3, 11), QTime(19, 0), Qt::UTC); // Wednesday noon at the clinic
    NeoFixture neo(std::move(config));
    QVERIFY(neo.isUp());

    const QJsonObject credentials = neo.admin("GET", QStringLiteral("/credentials")).json();
    const HttpResult login =
        neo.postLogin(neo.client(), credentials.value(QStringLiteral("company_id")).toString(),
                      credentials.value(QStringLiteral("username")).toString(),
                      credentials.value(QStringLiteral("password")).toString());
    QCOMPARE(login.status, 302);
    QVERIFY(neo.client().get(neo.url(QStringLiteral("/dashboard"))).body.contains("dashboard_shell"));

    // The settled window: reconcile_days (7) back, lookahead_days (1) ahead, whole clinic-local days.
    const HttpResult schedule =
        neo.getJson(neo.client(), QStringLiteral("/appointments/getCalendarEventData?"
                                                 "start=2026-03-04+00:00:00&end=2026-03-12+23:59:59"));
    QCOMPARE(schedule.status, 200);
    const QJsonArray events = QJsonDocument::fromJson(schedule.body).array();
    QVERIFY2(events.size() >= 100, "a clinic week and a half has well over a hundred rows");

    const HttpResult truthReply = neo.admin("GET", QStringLiteral("/ground-truth"));
    QCOMPARE(truthReply.status, 200);
    const QJsonObject truth = truthReply.json();
    QCOMPARE(truth.value(QStringLiteral("sync_times")).toArray(),
             QJsonArray{QStringLiteral("2026-03-11T19:00:00Z")});
    const auto appointments =
        indexBy(truth.value(QStringLiteral("appointments")).toArray(), QStringLiteral("neo_appointment_id"));
    QCOMPARE(appointments.size(), events.size());

    QHash<QString, QString> appointmentOfConsultation;
    int phonesFromAppointment = 0;
    for (const QJsonValue v : events) {
        const QJsonObject e = v.toObject();
        const QString id = QString::number(e.value(QStringLiteral("appointment_id")).toInteger());
        QVERIFY2(appointments.contains(id), qPrintable(id));
        const QJsonObject t = appointments.value(id);
        const QString start = e.value(QStringLiteral("start")).toString();
        QCOMPARE(t.value(QStringLiteral("date")).toString(), start.left(10));
        QCOMPARE(t.value(QStringLiteral("start_time")).toString(), start.mid(11, 5));
        QCOMPARE(t.value(QStringLiteral("end_time")).toString(),
                 e.value(QStringLiteral("end")).toString().mid(11, 5));
        QCOMPARE(t.value(QStringLiteral("status_raw")), e.value(QStringLiteral("current_status")));
        QCOMPARE(t.value(QStringLiteral("appointment_type")), e.value(QStringLiteral("type_description")));
        QCOMPARE(t.value(QStringLiteral("reason")), e.value(QStringLiteral("reason")));
        QCOMPARE(t.value(QStringLiteral("is_block")).toBool(),
                 e.value(QStringLiteral("is_block")).toBool() ||
                     e.value(QStringLiteral("is_roster")).toBool());
        QCOMPARE(t.value(QStringLiteral("room_id")), e.value(QStringLiteral("resourceId")));
        QCOMPARE(t.value(QStringLiteral("neo_consultation_id")),
                 idText(e.value(QStringLiteral("consultation_id"))));
        QCOMPARE(t.value(QStringLiteral("removed")).toBool(), false);
        const QJsonObject patient = t.value(QStringLiteral("patient")).toObject();
        QCOMPARE(patient.value(QStringLiteral("id")), idText(e.value(QStringLiteral("patient_id"))));
        QCOMPARE(patient.value(QStringLiteral("name")), payloadName(e.value(QStringLiteral("patient_name"))));
        const QJsonObject client = t.value(QStringLiteral("client")).toObject();
        QCOMPARE(client.value(QStringLiteral("id")), idText(e.value(QStringLiteral("client_id"))));
        QCOMPARE(client.value(QStringLiteral("first_name")),
                 payloadName(e.value(QStringLiteral("first_name"))));
        QCOMPARE(client.value(QStringLiteral("last_name")),
                 payloadName(e.value(QStringLiteral("last_name"))));
        QCOMPARE(client.value(QStringLiteral("email")), textOrNull(e.value(QStringLiteral("email"))));
        const QJsonValue rowPhone = textOrNull(e.value(QStringLiteral("phone_number")));
        if (client.value(QStringLiteral("phone_raw")) != rowPhone) {
            // A finished visit whose row number is not the best there is: the agent asks getAppointment.
            const QJsonObject detail =
                neo.getJson(neo.client(), QStringLiteral("/appointments/getAppointment?id=") + id)
                    .json()
                    .value(QStringLiteral("appointment"))
                    .toObject()
                    .value(QStringLiteral("patient"))
                    .toObject()
                    .value(QStringLiteral("client"))
                    .toObject();
            const QJsonValue truthPhone = client.value(QStringLiteral("phone_raw"));
            QVERIFY2(truthPhone == detail.value(QStringLiteral("mobilePhone")) ||
                         truthPhone == detail.value(QStringLiteral("homePhone")),
                     qPrintable(id));
            ++phonesFromAppointment;
        }
        if (!e.value(QStringLiteral("consultation_id")).isNull()) {
            appointmentOfConsultation.insert(idText(e.value(QStringLiteral("consultation_id"))).toString(),
                                             id);
        }
    }

    qInfo("%d phones came from getAppointment", phonesFromAppointment);

    // The consultations the perfect agent read, each read here through page-data.
    const QJsonArray consultations = truth.value(QStringLiteral("consultations")).toArray();
    QVERIFY(consultations.size() >= 10);
    int withDeclined = 0;
    for (const QJsonValue v : consultations) {
        const QJsonObject t = v.toObject();
        const QString id = t.value(QStringLiteral("neo_consultation_id")).toString();
        const HttpResult read =
            neo.getJson(neo.client(), QStringLiteral("/consultations/%1/page-data").arg(id));
        QCOMPARE(read.status, 200);
        const QJsonObject page = read.json();
        const QJsonObject consultation = page.value(QStringLiteral("consultation")).toObject();
        QCOMPARE(QString::number(consultation.value(QStringLiteral("id")).toInteger()), id);
        QCOMPARE(t.value(QStringLiteral("neo_appointment_id")).toString(),
                 appointmentOfConsultation.value(id));
        const QJsonArray lines = page.value(QStringLiteral("consultationLines")).toArray();
        QCOMPARE(t.value(QStringLiteral("products_services")).toArray(), productLines(lines, false));
        QCOMPARE(t.value(QStringLiteral("declined_products_services")).toArray(), productLines(lines, true));
        withDeclined += productLines(lines, true).isEmpty() ? 0 : 1;
        const QString summary = consultation.contains(QStringLiteral("dischargeSummary"))
                                    ? consultation.value(QStringLiteral("dischargeSummary")).toString()
                                    : page.value(QStringLiteral("consultationNotes"))
                                          .toObject()
                                          .value(QStringLiteral("notes"))
                                          .toString();
        QCOMPARE(t.value(QStringLiteral("discharge_summary")).toString().isEmpty(),
                 summary.trimmed().isEmpty());
        QCOMPARE(t.value(QStringLiteral("notes_text")).toString().isEmpty(),
                 consultation.value(QStringLiteral("notes")).toString().trimmed().isEmpty());
    }
    QVERIFY(withDeclined > 0);
}

void TstNeoSimEndToEnd::executableServesAWeekAndStopsOnSigterm()
{
    QTemporaryDir dir;
    QProcess sim;
    sim.start(QStringLiteral(ODIS_NEO_SIM_EXECUTABLE),
              {QStringLiteral("--seed"), QStringLiteral("7"), QStringLiteral("--days"), QStringLiteral("7"),
               QStringLiteral("--tls-dir"), dir.path()});
    QVERIFY(sim.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(sim.canReadLine(), 20000);
    const QString ready = QString::fromUtf8(sim.readLine()).trimmed();
    QVERIFY2(ready.startsWith(QStringLiteral("READY https://127.0.0.1:")), qPrintable(ready));
    const QString base = ready.mid(6);
    const QString printed = QString::fromUtf8(sim.readAllStandardError());
    const auto value = [&printed](const QString& label) {
        const QRegularExpression line(label + QStringLiteral(":\\s+(\\S+)"));
        return line.match(printed).captured(1);
    };
    QVERIFY2(!value(QStringLiteral("login user name")).isEmpty(), qPrintable(printed));
    QVERIFY(printed.contains(QStringLiteral("CA certificate")));

    auto pki = odis::sim::TestPki::loadOrCreate(dir.path());
    QVERIFY(pki);
    SimTestClient client(pki->clientConfiguration());
    const QByteArray form =
        formBody({{QStringLiteral("company_id"), value(QStringLiteral("login company id"))},
                  {QStringLiteral("username"), value(QStringLiteral("login user name"))},
                  {QStringLiteral("password"), value(QStringLiteral("login password"))}});
    const HttpResult login = client.send("POST", QUrl(base + QStringLiteral("/login")), form,
                                         {{"Content-Type", "application/x-www-form-urlencoded"}});
    QCOMPARE(login.status, 302);
    QCOMPARE(login.header("Location"), QByteArray("/dashboard"));
    QVERIFY(client.get(QUrl(base + QStringLiteral("/dashboard"))).body.contains("dashboard_shell"));
    const HttpResult schedule = client.get(QUrl(base + QStringLiteral("/schedule?date=2026-03-10")));
    QCOMPARE(schedule.status, 200);
    QVERIFY(schedule.body.count("data-appointment-id=") >= 10); // a clinic day, not an empty page

    ::kill(static_cast<pid_t>(sim.processId()), SIGTERM);
    QVERIFY(sim.waitForFinished(10000));
    QCOMPARE(sim.exitStatus(), QProcess::NormalExit);
    QCOMPARE(sim.exitCode(), 0);
}

void TstNeoSimEndToEnd::executableEmailLoginVariantPrintsAnAddress()
{
    QTemporaryDir dir;
    QProcess sim;
    sim.start(QStringLiteral(ODIS_NEO_SIM_EXECUTABLE),
              {QStringLiteral("--seed"), QStringLiteral("7"), QStringLiteral("--username-field"),
               QStringLiteral("email"), QStringLiteral("--tls-dir"), dir.path()});
    QVERIFY(sim.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(sim.canReadLine(), 20000);
    const QString ready = QString::fromUtf8(sim.readLine()).trimmed();
    QVERIFY2(ready.startsWith(QStringLiteral("READY https://127.0.0.1:")), qPrintable(ready));
    const QString printed = QString::fromUtf8(sim.readAllStandardError());
    const QString username =
        QRegularExpression(QStringLiteral("login user name:\\s+(\\S+)")).match(printed).captured(1);
    QVERIFY2(username.contains(u'@'), qPrintable(printed));
    auto pki = odis::sim::TestPki::loadOrCreate(dir.path());
    QVERIFY(pki);
    SimTestClient client(pki->clientConfiguration());
    const QByteArray form = formBody(
        {{QStringLiteral("company_id"),
          QRegularExpression(QStringLiteral("login company id:\\s+(\\S+)")).match(printed).captured(1)},
         {QStringLiteral("email"), username},
         {QStringLiteral("password"),
          QRegularExpression(QStringLiteral("login password:\\s+(\\S+)")).match(printed).captured(1)}});
    const HttpResult login = client.send("POST", QUrl(ready.mid(6) + QStringLiteral("/login")), form,
                                         {{"Content-Type", "application/x-www-form-urlencoded"}});
    QCOMPARE(login.status, 302);
    ::kill(static_cast<pid_t>(sim.processId()), SIGTERM);
    QVERIFY(sim.waitForFinished(10000));
    QCOMPARE(sim.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TstNeoSimEndToEnd)
#include "tst_neo_sim_e2e.moc"
