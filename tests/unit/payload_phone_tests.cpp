// Which phone an appointment payload shows (docs/discharge-rules.md, "Phones"), and what an earlier
// run's payload keeps when a source is not read again (the number, the species).

#include "sync/core/canonical_json.h"
#include "sync/core/visit_mapping.h"
#include "tests/unit/payload_tests.h"

using namespace odis::sync;
using namespace odis::test::payload;

void TstPayloads::phoneCandidateOrder_data()
{
    QTest::addColumn<QString>("mobile"); // detail, fetched when mobile or home is set
    QTest::addColumn<QString>("row");
    QTest::addColumn<QString>("consultationPhone"); // consultation read when set
    QTest::addColumn<QString>("home");
    QTest::addColumn<bool>("block");
    QTest::addColumn<QString>("e164"); // empty: null
    QTest::addColumn<QString>("raw");  // empty: null

    QTest::newRow("mobile first") << "+1 415 201 0001"
                                  << "415-201-0002"
                                  << "415 201 0003"
                                  << "(415) 201-0004" << false << "+14152010001"
                                  << "+1 415 201 0001";
    QTest::newRow("no mobile: schedule row") << ""
                                             << "415-201-0002"
                                             << "415 201 0003"
                                             << "(415) 201-0004" << false << "+14152010002"
                                             << "415-201-0002";
    QTest::newRow("mobile that is not valid: schedule row") << "555-CALL-NOW"
                                                            << "415-201-0002"
                                                            << "415 201 0003"
                                                            << "(415) 201-0004" << false << "+14152010002"
                                                            << "415-201-0002";
    QTest::newRow("no row phone: consultation client") << ""
                                                       << ""
                                                       << "415 201 0003"
                                                       << "(415) 201-0004" << false << "+14152010003"
                                                       << "415 201 0003";
    QTest::newRow("row without area code: home phone last") << ""
                                                            << "201-3344"
                                                            << ""
                                                            << "(415) 201-0004" << false << "+14152010004"
                                                            << "(415) 201-0004";
    QTest::newRow("domestic row before an international mobile") << "+44 20 7946 0958"
                                                                 << "415-201-0002"
                                                                 << ""
                                                                 << "" << false << "+14152010002"
                                                                 << "415-201-0002";
    QTest::newRow("international number when nothing domestic") << "+44 20 7946 0958"
                                                                << "201-3344"
                                                                << ""
                                                                << "" << false << "+442079460958"
                                                                << "+44 20 7946 0958";
    QTest::newRow("555 area code is no number") << ""
                                                << "555-201-0002"
                                                << ""
                                                << "" << false << ""
                                                << "555-201-0002";
    QTest::newRow("nothing valid: first non-empty raw") << ""
                                                        << "201-3344"
                                                        << "415-201-0003 x12"
                                                        << "" << false << ""
                                                        << "201-3344";
    QTest::newRow("blank candidates are not raw numbers") << "  "
                                                          << "ext. 12"
                                                          << ""
                                                          << "" << false << ""
                                                          << "ext. 12";
    QTest::newRow("no phone at all") << ""
                                     << ""
                                     << ""
                                     << "" << false << ""
                                     << "";
    QTest::newRow("block rows have no client phone") << ""
                                                     << "415-201-0002"
                                                     << ""
                                                     << "" << true << ""
                                                     << "";
}

void TstPayloads::phoneCandidateOrder()
{
    QFETCH(QString, mobile);
    QFETCH(QString, row);
    QFETCH(QString, consultationPhone);
    QFETCH(QString, home);
    QFETCH(bool, block);
    QFETCH(QString, e164);
    QFETCH(QString, raw);

    NeoScheduleEvent event = finishedVisit();
    event.phoneRaw = row;
    event.isBlock = block;
    NeoAppointmentDetail fetched;
    fetched.id = event.appointmentId;
    fetched.client.mobilePhone = mobile;
    fetched.client.homePhone = home;
    NeoConsultation read;
    read.id = *event.consultationId;
    read.client.phone = consultationPhone;
    const AppointmentSources sources{event, consultationPhone.isEmpty() ? nullptr : &read,
                                     mobile.isEmpty() && home.isEmpty() ? nullptr : &fetched, nullptr};

    QCOMPARE(appointmentPhone(sources, kUs), (PhoneFields{e164, raw}));
    // The planner dials what the payload shows.
    const std::optional<ChosenPhone> chosen = choosePhone(phoneCandidates(sources), kUs);
    QCOMPARE(chosen ? chosen->number.e164 : QString(), e164);

    const auto payload = appointmentPayload(sources, kZone, kUs);
    QVERIFY(payload);
    const QJsonObject client = payload->value(QStringLiteral("client")).toObject();
    QCOMPARE(client.value(QStringLiteral("phone_e164")), e164.isEmpty() ? QJsonValue() : QJsonValue(e164));
    QCOMPARE(client.value(QStringLiteral("phone_raw")), raw.isEmpty() ? QJsonValue() : QJsonValue(raw));
}

void TstPayloads::phoneKeptFromPreviousPayload_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("row");
    QTest::addColumn<bool>("detailFetched"); // with no phones
    QTest::addColumn<QString>("previousClient");
    QTest::addColumn<QString>("previousE164");
    QTest::addColumn<QString>("e164");
    QTest::addColumn<QString>("raw");

    const int finished = int(NeoStatus::Completed);
    QTest::newRow("finished, detail not fetched: earlier number kept") << finished << "" << false << "30000"
                                                                       << "+14152019999"
                                                                       << "+14152019999"
                                                                       << "415-201-9999";
    QTest::newRow("finished, row unusable, detail not fetched: earlier number kept")
        << finished << "201-3344" << false << "30000"
        << "+14152019999"
        << "+14152019999"
        << "415-201-9999";
    QTest::newRow("detail fetched without phones: the clinic has none now")
        << finished << "" << true << "30000"
        << "+14152019999"
        << ""
        << "";
    QTest::newRow("visit not finished: only its row counts")
        << int(NeoStatus::Scheduled) << "" << false << "30000"
        << "+14152019999"
        << ""
        << "";
    QTest::newRow("another client's number is never kept") << finished << "" << false << "30001"
                                                           << "+14152019999"
                                                           << ""
                                                           << "";
    QTest::newRow("a usable row wins over the earlier number")
        << finished << "415-201-0002" << false << "30000"
        << "+14152019999"
        << "+14152010002"
        << "415-201-0002";
    QTest::newRow("earlier raw number that never normalised is kept, not dropped")
        << finished << "" << false << "30000"
        << ""
        << ""
        << "415-201-9999";
    QTest::newRow("earlier raw number wins over an unusable row (it came with the detail)")
        << finished << "201-3344" << false << "30000"
        << ""
        << ""
        << "415-201-9999";
    QTest::newRow("earlier value that is not E.164 is not kept") << finished << "" << false << "30000"
                                                                 << "4152019999"
                                                                 << ""
                                                                 << "";
}

void TstPayloads::phoneKeptFromPreviousPayload()
{
    QFETCH(int, status);
    QFETCH(QString, row);
    QFETCH(bool, detailFetched);
    QFETCH(QString, previousClient);
    QFETCH(QString, previousE164);
    QFETCH(QString, e164);
    QFETCH(QString, raw);

    NeoScheduleEvent event = finishedVisit();
    event.status = NeoStatus(status);
    event.phoneRaw = row;
    NeoAppointmentDetail fetched;
    fetched.id = event.appointmentId;
    const QJsonObject previous{{QStringLiteral("client"),
                                QJsonObject{{QStringLiteral("id"), previousClient},
                                            {QStringLiteral("phone_e164"), previousE164},
                                            {QStringLiteral("phone_raw"), QStringLiteral("415-201-9999")}}}};
    const AppointmentSources sources{event, nullptr, detailFetched ? &fetched : nullptr, &previous};
    QCOMPARE(appointmentPhone(sources, kUs), (PhoneFields{e164, raw}));
}

void TstPayloads::phoneKeptWhenItRanksBetter_data()
{
    // A UK clinic: the detail's mobile, read in an earlier run, is kept while the row (a landline) does
    // not change and the detail is not read again; what ranks no better gives way to this run's number.
    QTest::addColumn<QString>("row");
    QTest::addColumn<QString>("detailHome"); // the detail is fetched when set
    QTest::addColumn<QString>("previousE164");
    QTest::addColumn<QString>("previousRaw");
    QTest::addColumn<QString>("e164");
    QTest::addColumn<QString>("raw");

    QTest::newRow("earlier mobile kept over a landline row") << "020 7946 0958"
                                                             << ""
                                                             << "+447400123456"
                                                             << "07400 123456"
                                                             << "+447400123456"
                                                             << "07400 123456";
    QTest::newRow("a mobile row wins over an earlier mobile") << "07956 123456"
                                                              << ""
                                                              << "+447400123456"
                                                              << "07400 123456"
                                                              << "+447956123456"
                                                              << "07956 123456";
    QTest::newRow("an earlier landline does not rank better") << "020 7946 0958"
                                                              << ""
                                                              << "+441614960000"
                                                              << "0161 496 0000"
                                                              << "+442079460958"
                                                              << "020 7946 0958";
    QTest::newRow("detail read again: its numbers decide") << "020 7946 0958"
                                                           << "07812 345678"
                                                           << "+447400123456"
                                                           << "07400 123456"
                                                           << "+447812345678"
                                                           << "07812 345678";
    QTest::newRow("an earlier foreign mobile does not beat a domestic landline") << "020 7946 0958"
                                                                                 << ""
                                                                                 << "+14152013344"
                                                                                 << "+1 415 201 3344"
                                                                                 << "+442079460958"
                                                                                 << "020 7946 0958";
}

void TstPayloads::phoneKeptWhenItRanksBetter()
{
    QFETCH(QString, row);
    QFETCH(QString, detailHome);
    QFETCH(QString, previousE164);
    QFETCH(QString, previousRaw);
    QFETCH(QString, e164);
    QFETCH(QString, raw);

    NeoScheduleEvent event = finishedVisit();
    event.phoneRaw = row;
    NeoAppointmentDetail fetched;
    fetched.id = event.appointmentId;
    fetched.client.mobilePhone = row;
    fetched.client.homePhone = detailHome;
    const QJsonObject previous{
        {QStringLiteral("client"), QJsonObject{{QStringLiteral("id"), event.clientId},
                                               {QStringLiteral("phone_e164"), previousE164},
                                               {QStringLiteral("phone_raw"), previousRaw}}}};
    const AppointmentSources sources{event, nullptr, detailHome.isEmpty() ? nullptr : &fetched, &previous};
    QCOMPARE(appointmentPhone(sources, kGb), (PhoneFields{e164, raw}));
    // The planner dials what the payload shows.
    const VisitInput visit = visitInput(sources, nullptr, kGb);
    const std::optional<ChosenPhone> chosen = choosePhone(visit.phones, kGb);
    QVERIFY(chosen.has_value());
    QCOMPARE(chosen->number.e164, e164);
}

void TstPayloads::speciesKeptFromPreviousPayload_data()
{
    QTest::addColumn<bool>("read");
    QTest::addColumn<QString>("readSpecies");
    QTest::addColumn<bool>("hasPrevious");
    QTest::addColumn<QString>("previousConsultation");
    QTest::addColumn<QString>("previousPatient");
    QTest::addColumn<QString>("expected"); // empty: null

    QTest::newRow("read in this run") << true << "Feline" << true << "700001"
                                      << "41000"
                                      << "Feline";
    QTest::newRow("read, no species") << true << "" << true << "700001"
                                      << "41000"
                                      << "";
    QTest::newRow("not read: kept from the same consultation") << false << "" << true << "700001"
                                                               << "41000"
                                                               << "Canine";
    QTest::newRow("not read, earlier payload of another consultation") << false << "" << true << "700002"
                                                                       << "41000"
                                                                       << "";
    QTest::newRow("not read, earlier payload of another patient") << false << "" << true << "700001"
                                                                  << "41001"
                                                                  << "";
    QTest::newRow("never read") << false << "" << false << ""
                                << ""
                                << "";
}

void TstPayloads::speciesKeptFromPreviousPayload()
{
    QFETCH(bool, read);
    QFETCH(QString, readSpecies);
    QFETCH(bool, hasPrevious);
    QFETCH(QString, previousConsultation);
    QFETCH(QString, previousPatient);
    QFETCH(QString, expected);

    const NeoScheduleEvent event = finishedVisit();
    NeoConsultation consultation;
    consultation.id = *event.consultationId;
    consultation.patient.species = readSpecies;
    const QJsonObject previous{
        {QStringLiteral("neo_consultation_id"), previousConsultation},
        {QStringLiteral("patient"), QJsonObject{{QStringLiteral("id"), previousPatient},
                                                {QStringLiteral("species"), QStringLiteral("Canine")}}}};
    const auto payload = appointmentPayload(
        AppointmentSources{event, read ? &consultation : nullptr, nullptr, hasPrevious ? &previous : nullptr},
        kZone, kUs);
    QVERIFY(payload);
    QCOMPARE(payload->value(QStringLiteral("patient")).toObject().value(QStringLiteral("species")),
             expected.isEmpty() ? QJsonValue() : QJsonValue(expected));
}
