// The ground truth's decisions on hand-made clinics (every rule and reason code, end-of-life whole-word
// matching, phones), its output formats, and its determinism on a generated week.

#include "tests/sim/neo/gt_test_clinic.h"

#include <QHash>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace odis::sim::neo;
using namespace odis::sim::neo::test;

class TestGroundTruth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decision_data();
    void decision();
    void outputFormats();
    void sortedByNumericId();
    void profileErrors();
    void generatedWeek();
};

void TestGroundTruth::decision_data()
{
    QTest::addColumn<VisitSpec>("visit");
    QTest::addColumn<QJsonObject>("policy");
    QTest::addColumn<QDateTime>("sync");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("phone"); // customer_phone; empty = null

    const QDateTime evening = at(QDate(2026, 3, 9), QTime(20, 0));
    const QString mobile = QStringLiteral("+14152013344");
    const auto row = [&](const char* name, const VisitSpec& v, const char* reason,
                         const QString& phone = QStringLiteral("+14152013344"),
                         const QJsonObject& policy = {}, const QDateTime& sync = QDateTime()) {
        QTest::newRow(name) << v << policy << (sync.isValid() ? sync : evening) << QString::fromLatin1(reason)
                            << phone;
    };
    const auto with = [](auto change) {
        VisitSpec v;
        change(v);
        return v;
    };
    row("planned", VisitSpec{}, "planned");
    row("ready to pay is finished", with([](VisitSpec& v) { v.status = "Ready to Pay"; }), "planned");
    row("discharged is finished", with([](VisitSpec& v) { v.status = "Discharged"; }), "planned");
    row("block", with([](VisitSpec& v) { v.block = true; }), "excluded:block", QString());
    row("roster", with([](VisitSpec& v) { v.roster = true; }), "excluded:block", QString());
    row("cancelled", with([](VisitSpec& v) { v.status = "Cancelled"; }), "excluded:cancelled");
    row("canceled", with([](VisitSpec& v) { v.status = "canceled"; }), "excluded:cancelled");
    row("no show", with([](VisitSpec& v) { v.status = "No Show"; }), "excluded:no_show");
    row("checked in", with([](VisitSpec& v) { v.status = "Checked In"; }), "excluded:not_finished");
    row("in progress", with([](VisitSpec& v) { v.status = "In Progress"; }), "excluded:not_finished");
    row("not arrived", with([](VisitSpec& v) { v.status = "not arrived"; }), "excluded:not_finished");
    row("unknown status", with([](VisitSpec& v) { v.status = "Waiting Room"; }), "excluded:not_finished");
    row("cancelled before end of life", with([](VisitSpec& v) {
            v.status = "Cancelled";
            v.type = "Euthanasia";
        }),
        "excluded:cancelled");
    row("not finished before end of life", with([](VisitSpec& v) {
            v.status = "Checked In";
            v.type = "Euthanasia";
        }),
        "excluded:not_finished");
    row("eol type", with([](VisitSpec& v) { v.type = "Euthanasia"; }), "excluded:end_of_life");
    row("eol reason", with([](VisitSpec& v) { v.reason = "PTS today"; }), "excluded:end_of_life");
    row("eol notes in html", with([](VisitSpec& v) { v.notes = "<p>Owner elected <b>euthanasia</b>.</p>"; }),
        "excluded:end_of_life");
    row("eol across a line break", with([](VisitSpec& v) { v.notes = "Patient passed<br>away"; }),
        "excluded:end_of_life");
    row("eol entity-spaced", with([](VisitSpec& v) { v.notes = "put&nbsp;to sleep"; }),
        "excluded:end_of_life");
    row("eol upper case", with([](VisitSpec& v) { v.notes = "EUTHANIZED"; }), "excluded:end_of_life");
    row("eol DOA", with([](VisitSpec& v) { v.notes = "DOA."; }), "excluded:end_of_life");
    row("eol summary", with([](VisitSpec& v) { v.summary = "Private cremation arranged"; }),
        "excluded:end_of_life");
    row("eol declined line", with([](VisitSpec& v) {
            v.lines = {{1, "Cremation - Private", 1, true}};
        }),
        "excluded:end_of_life");
    row("eol blocked keyword", with([](VisitSpec& v) {
            v.lines = {{1, "Memorial paw print", 1, false}};
        }),
        "excluded:end_of_life");
    row("clinic keyword", with([](VisitSpec& v) { v.notes = "Hospice care discussed"; }),
        "excluded:end_of_life", mobile, QJsonObject{{"blocked_keywords", QJsonArray{"hospice"}}});
    row("look-alikes are not end of life", with([](VisitSpec& v) {
            v.notes =
                "Owner kept receipts. PTSD-like anxiety; doable plan per Dr Leuthardt and Dr Doane. Stepts.";
        }),
        "planned");
    row("end of life before type", with([](VisitSpec& v) {
            v.type = "Groomer";
            v.notes = "passed away";
        }),
        "excluded:end_of_life");
    row("excluded type", with([](VisitSpec& v) { v.type = "Groomer"; }), "excluded:type");
    row("excluded type trimmed, any case", with([](VisitSpec& v) { v.type = " boarding "; }),
        "excluded:type");
    row("similar type is not excluded", with([](VisitSpec& v) { v.type = "Grooming"; }), "planned");
    row("clinic's excluded types", with([](VisitSpec& v) { v.type = "Vaccines"; }), "excluded:type", mobile,
        QJsonObject{{"excluded_appointment_types", QJsonArray{"Vaccines"}}});
    row("type before phone", with([](VisitSpec& v) {
            v.type = "Groomer";
            v.mobile = {};
        }),
        "excluded:type", QString());
    row("no phone", with([](VisitSpec& v) { v.mobile = {}; }), "excluded:no_phone", QString());
    row("invalid mobile only", with([](VisitSpec& v) { v.mobile = invalidPhone("555-0199"); }),
        "excluded:no_phone", QString());
    row("invalid mobile, home phone", with([](VisitSpec& v) {
            v.mobile = invalidPhone("555-201-0199");
            v.home = nanpPhone("(212) 867-5309", "+12128675309");
        }),
        "planned", QStringLiteral("+12128675309"));
    row("hidden row phone, mobile", with([](VisitSpec& v) {
            v.mobile = nanpPhone("4152013344", "+14152013344");
            v.phoneHidden = true;
        }),
        "planned");
    row("home only", with([](VisitSpec& v) {
            v.mobile = {};
            v.home = nanpPhone("+1 415 201 3344", "+14152013344");
        }),
        "planned");
    row("international", with([](VisitSpec& v) {
            v.mobile = ukPhone("+44 20 7946 0958", "+442079460958", SimPhoneKind::FixedLine);
            v.mobile.international = true;
        }),
        "planned", QStringLiteral("+442079460958"));
    row("domestic home before an international mobile", with([](VisitSpec& v) {
            v.mobile = ukPhone("+44 7400 123456", "+447400123456", SimPhoneKind::Mobile);
            v.mobile.international = true;
            v.home = nanpPhone("(212) 867-5309", "+12128675309");
        }),
        "planned", QStringLiteral("+12128675309"));
    row("UK: mobile at home before a landline in the mobile field", with([](VisitSpec& v) {
            v.mobile = ukPhone("020 7946 0958", "+442079460958", SimPhoneKind::FixedLine);
            v.home = ukPhone("07400 123456", "+447400123456", SimPhoneKind::Mobile);
        }),
        "planned", QStringLiteral("+447400123456"));
    row("UK: landline when the mobile is invalid", with([](VisitSpec& v) {
            v.mobile = invalidPhone("07700 900123");
            v.home = ukPhone("0161 496 0000", "+441614960000", SimPhoneKind::FixedLine);
        }),
        "planned", QStringLiteral("+441614960000"));
    row("unassigned area code", with([](VisitSpec& v) { v.mobile = invalidPhone("555-201-3344"); }),
        "excluded:no_phone", QString());
    // Rule 7 measures the age at the call: here the late-notes time, the sync + 15 minutes.
    row("too old at the call", VisitSpec{}, "excluded:too_old", mobile, {},
        at(QDate(2026, 3, 12), QTime(10, 16)));
    row("exactly max age at the call is not too old", VisitSpec{}, "planned", mobile, {},
        at(QDate(2026, 3, 12), QTime(10, 15)));
    row("too old at the proposed call, not at the sync",
        with([](VisitSpec& v) { v.date = QDate(2026, 3, 13); }), "excluded:too_old", mobile, {},
        at(QDate(2026, 3, 13), QTime(20, 0)));
    row("possible end of life in the reason",
        with([](VisitSpec& v) { v.reason = "Quality of life consult"; }), "excluded:end_of_life_possible");
    row("possible end of life in the notes",
        with([](VisitSpec& v) { v.notes = "<p>Hospice care options</p>"; }), "excluded:end_of_life_possible");
    row("possible in a product line", with([](VisitSpec& v) {
            v.lines = {{1, "Palliative care kit", 1, false}};
        }),
        "excluded:end_of_life_possible");
    row("end of life wins over possible", with([](VisitSpec& v) {
            v.reason = "QOL";
            v.notes = "Crossed the rainbow bridge";
        }),
        "excluded:end_of_life");
    row("possible before type", with([](VisitSpec& v) {
            v.type = "Groomer";
            v.notes = "palliative";
        }),
        "excluded:end_of_life_possible");
    row("no phone before too old", with([](VisitSpec& v) { v.mobile = {}; }), "excluded:no_phone", QString(),
        {}, at(QDate(2026, 3, 13), QTime(10, 31)));
    row("disabled", VisitSpec{}, "excluded:disabled", mobile, QJsonObject{{"enabled", false}});
    row("too old before disabled", VisitSpec{}, "excluded:too_old", mobile, QJsonObject{{"enabled", false}},
        at(QDate(2026, 3, 13), QTime(10, 0)));
    row("no notes", with([](VisitSpec& v) { v.notes.clear(); }), "waiting_for_notes");
    row("blank html notes", with([](VisitSpec& v) { v.notes = "<p>&nbsp;</p><br>\n"; }), "waiting_for_notes");
    row("no consultation", with([](VisitSpec& v) { v.withConsultation = false; }), "waiting_for_notes");
    row("summary only", with([](VisitSpec& v) {
            v.notes.clear();
            v.summary = "Rest for two days";
        }),
        "planned");
    row("disabled before waiting", with([](VisitSpec& v) { v.notes.clear(); }), "excluded:disabled", mobile,
        QJsonObject{{"enabled", false}});
}

void TestGroundTruth::decision()
{
    QFETCH(VisitSpec, visit);
    QFETCH(QJsonObject, policy);
    QFETCH(QDateTime, sync);
    QFETCH(QString, reason);
    QFETCH(QString, phone);
    const QJsonObject truth = truthOf(clinicOf({visit}), {sync}, profileWith(policy));
    const QJsonObject call = callOf(truth, visit.id);
    QVERIFY2(!call.isEmpty(), qPrintable(QJsonDocument(truth).toJson()));
    QCOMPARE(call.value("reason").toString(), reason);
    const QString decision =
        reason.startsWith(QLatin1String("excluded:")) ? QStringLiteral("excluded") : reason;
    QCOMPARE(call.value("decision").toString(), decision);
    QCOMPARE(call.value("customer_phone").toString(), phone);
    QCOMPARE(call.value("customer_phone").isNull(), phone.isEmpty());
    QCOMPARE(call.value("scheduled_for").isNull(), decision != QLatin1String("planned"));
    QCOMPARE(call.value("scheduled_for_local").isNull(), decision != QLatin1String("planned"));
}

void TestGroundTruth::outputFormats()
{
    VisitSpec v;
    v.lines = {{1, "Rabies vaccine 3yr", 1, false},
               {2, "Dental prophylaxis", 1, true},
               {3, "Carprofen 75mg tab", 14, false}};
    v.notes = "<p>Doing &amp; eating well.</p><ul><li>Recheck</li></ul>";
    v.summary = "<p>Rest</p>";
    v.mobile = nanpPhone("(415) 201-3344", "+14152013344");
    SimAppointment visit = appointmentOf(v);
    visit.client.firstName = QString::fromUtf8("  Zoe\u0308 ");
    visit.client.lastName = QString::fromUtf8("García  López");
    visit.client.email = QStringLiteral("zoe@example.net");
    VisitSpec b;
    b.id = 500002;
    b.block = true;
    ClinicModel model;
    model.addAppointment(visit);
    model.addAppointment(appointmentOf(b));
    const QJsonObject truth = truthOf(model, {at(QDate(2026, 3, 9), QTime(20, 0))});

    QCOMPARE(truth.value("sync_times").toArray(), (QJsonArray{"2026-03-10T03:00:00Z"}));
    const QJsonObject a = appointmentEntry(truth, v.id);
    QCOMPARE(a.value("neo_appointment_id"), QJsonValue("500001"));
    QCOMPARE(a.value("neo_consultation_id"), QJsonValue("800001"));
    QCOMPARE(a.value("date"), QJsonValue("2026-03-09"));
    QCOMPARE(a.value("start_time"), QJsonValue("10:00"));
    QCOMPARE(a.value("end_time"), QJsonValue("10:30"));
    QCOMPARE(a.value("status"), QJsonValue("completed"));
    QCOMPARE(a.value("status_raw"), QJsonValue("Finalized"));
    QCOMPARE(a.value("appointment_type"), QJsonValue("Exam"));
    QCOMPARE(a.value("is_block"), QJsonValue(false));
    QCOMPARE(a.value("room_id"), QJsonValue("9"));
    QCOMPARE(a.value("removed"), QJsonValue(false));
    QCOMPARE(a.value("patient").toObject(), (QJsonObject{{"id", "40001"}, {"name", "BISCUIT"}}));
    QCOMPARE(a.value("client").toObject(), (QJsonObject{{"id", "50001"},
                                                        {"first_name", QString::fromUtf8("Zo\u00EB")},
                                                        {"last_name", QString::fromUtf8("García López")},
                                                        {"email", "zoe@example.net"},
                                                        {"phone_e164", "+14152013344"},
                                                        {"phone_raw", "(415) 201-3344"}}));

    const QJsonObject block = appointmentEntry(truth, b.id);
    QCOMPARE(block.value("is_block"), QJsonValue(true));
    QCOMPARE(block.value("neo_consultation_id"), QJsonValue());
    QCOMPARE(block.value("patient").toObject(), (QJsonObject{{"id", QJsonValue()}, {"name", ""}}));
    QCOMPARE(block.value("client").toObject(), (QJsonObject{{"id", QJsonValue()},
                                                            {"first_name", ""},
                                                            {"last_name", ""},
                                                            {"email", QJsonValue()},
                                                            {"phone_e164", QJsonValue()},
                                                            {"phone_raw", QJsonValue()}}));

    const QJsonObject c = consultationEntry(truth, 800001);
    QCOMPARE(c.value("neo_appointment_id"), QJsonValue("500001"));
    QCOMPARE(c.value("has_notes"), QJsonValue(true));
    QCOMPARE(c.value("notes_text"), QJsonValue("Doing & eating well.\nRecheck"));
    QCOMPARE(c.value("discharge_summary"), QJsonValue("Rest"));
    QCOMPARE(c.value("products_services").toArray(),
             (QJsonArray{QJsonObject{{"name", "Rabies vaccine 3yr"}, {"quantity", 1}},
                         QJsonObject{{"name", "Carprofen 75mg tab"}, {"quantity", 14}}}));
    QCOMPARE(c.value("declined_products_services").toArray(),
             (QJsonArray{QJsonObject{{"name", "Dental prophylaxis"}, {"quantity", 1}}}));
    QCOMPARE(
        QJsonDocument(c.value("products_services").toArray()).toJson(QJsonDocument::Compact),
        QByteArray(
            R"([{"name":"Rabies vaccine 3yr","quantity":1},{"name":"Carprofen 75mg tab","quantity":14}])"));

    const QJsonObject call = callOf(truth, v.id);
    QCOMPARE(call, (QJsonObject{{"neo_appointment_id", "500001"},
                                {"neo_consultation_id", "800001"},
                                {"decision", "planned"},
                                {"reason", "planned"},
                                {"scheduled_for", "2026-03-11T23:00:00Z"},
                                {"scheduled_for_local", "2026-03-11T16:00:00-07:00"},
                                {"customer_phone", "+14152013344"},
                                {"group", QJsonValue()},
                                {"grouped_into", QJsonValue()}}));
}

void TestGroundTruth::sortedByNumericId()
{
    VisitSpec a, b, c;
    a.id = 500001;
    b.id = 99999;
    c.id = 100000;
    const QJsonObject truth = truthOf(clinicOf({a, b, c}), {at(QDate(2026, 3, 9), QTime(20, 0))});
    for (const char* list : {"appointments", "discharge_calls"}) {
        QStringList ids;
        for (const QJsonValue v : truth.value(QLatin1String(list)).toArray())
            ids.append(v.toObject().value("neo_appointment_id").toString());
        QCOMPARE(ids, (QStringList{"99999", "100000", "500001"}));
    }
    QStringList consultations;
    for (const QJsonValue v : truth.value("consultations").toArray())
        consultations.append(v.toObject().value("neo_consultation_id").toString());
    QCOMPARE(consultations, (QStringList{"399999", "400000", "800001"}));
}

void TestGroundTruth::profileErrors()
{
    const ClinicModel model = clinicOf({VisitSpec{}});
    QJsonObject otherZone = defaultClinicProfile();
    otherZone.insert("timezone", "America/New_York");
    const auto mismatch = computeGroundTruth(model, otherZone, {at(QDate(2026, 3, 9), QTime(20, 0))});
    QVERIFY(!mismatch);
    QCOMPARE(mismatch.error().code, QStringLiteral("clinic_zone_mismatch"));
    QJsonObject broken = defaultClinicProfile();
    broken.insert("discharge_policy", QJsonObject{{"call_time", "4pm"}});
    const auto invalid = computeGroundTruth(model, broken, {});
    QVERIFY(!invalid);
    QCOMPARE(invalid.error().code, QStringLiteral("invalid_clinic_profile"));
}

// A week of seed 7 synced every four hours: deterministic, every reason code that a real week produces,
// and calls that never share a minute, on whole minutes, while the clinic is open (not at lunch), one a
// day per number, grouped calls pointing at their carrier.
void TestGroundTruth::generatedWeek()
{
    const ClinicModel model = ClinicModel::generate(ClinicOptions{});
    QList<QDateTime> syncs;
    for (QDateTime t = at(QDate(2026, 3, 9), QTime(7, 0)); t < at(QDate(2026, 3, 16), QTime(0, 0));
         t = t.addSecs(4 * 3600))
        syncs.append(t);
    const QJsonObject truth = truthOf(model, syncs);
    QCOMPARE(truthOf(ClinicModel::generate(ClinicOptions{}), syncs), truth);
    QCOMPARE(truthOf(model, QList<QDateTime>(syncs.crbegin(), syncs.crend())),
             truth); // order does not matter

    QSet<QString> reasons;
    QSet<QString> minutes;
    QSet<QString> withNotes;
    for (const QJsonValue v : truth.value("consultations").toArray()) {
        if (v.toObject().value("has_notes").toBool())
            withNotes.insert(v.toObject().value("neo_consultation_id").toString());
    }
    QHash<QString, QJsonObject> calls;
    for (const QJsonValue v : truth.value("discharge_calls").toArray())
        calls.insert(v.toObject().value("neo_appointment_id").toString(), v.toObject());
    QSet<QString> ownerDays;
    for (const QJsonObject& call : std::as_const(calls)) {
        reasons.insert(call.value("reason").toString());
        const QString decision = call.value("decision").toString();
        if (decision != QLatin1String("planned") && decision != QLatin1String("grouped"))
            continue;
        QVERIFY(withNotes.contains(call.value("neo_consultation_id").toString()));
        const QDateTime local =
            QDateTime::fromString(call.value("scheduled_for_local").toString(), Qt::ISODate);
        if (decision == QLatin1String("grouped")) {
            const QJsonObject carrier = calls.value(call.value("grouped_into").toString());
            QCOMPARE(carrier.value("scheduled_for"), call.value("scheduled_for"));
            QCOMPARE(carrier.value("customer_phone"), call.value("customer_phone"));
            QVERIFY(carrier.value("group").toArray().contains(call.value("neo_appointment_id")));
            continue;
        }
        const QString minute = call.value("scheduled_for").toString();
        QVERIFY2(!minutes.contains(minute), qPrintable(minute));
        minutes.insert(minute);
        const QString ownerDay = call.value("customer_phone").toString() + local.date().toString(Qt::ISODate);
        QVERIFY2(!ownerDays.contains(ownerDay), qPrintable(ownerDay));
        ownerDays.insert(ownerDay);
        QVERIFY(minute.endsWith(QLatin1String(":00Z")));
        // The reference clinic: weekdays 08:00-18:00 with lunch 12:00-13:00, Saturday 09:00-13:00.
        const QTime t = local.time();
        const bool saturday = local.date().dayOfWeek() == 6;
        QVERIFY2(t >= QTime(9, 0) && t < (saturday ? QTime(13, 0) : QTime(18, 0)) &&
                     (saturday || t < QTime(12, 0) || t >= QTime(13, 0)),
                 qPrintable(local.toString(Qt::ISODate)));
        QVERIFY(local.date().dayOfWeek() != 7);
    }
    QVERIFY(minutes.size() > 60);
    for (const char* reason :
         {"planned", "grouped", "excluded:block", "excluded:cancelled", "excluded:no_show",
          "excluded:not_finished", "excluded:end_of_life", "excluded:end_of_life_possible",
          "excluded:end_of_life_patient", "excluded:type", "excluded:no_phone", "excluded:too_old",
          "waiting_for_notes", "cancelled:end_of_life", "cancelled:end_of_life_patient", "cancelled:removed"})
        QVERIFY2(reasons.contains(QLatin1String(reason)), reason);
}

QTEST_GUILESS_MAIN(TestGroundTruth)
#include "tst_ground_truth.moc"
