// The clinic profile's time zone, country, business hours and discharge_policy (docs/backend-api.md,
// `GET /v1/clinic`): the reference profile, defaults, and a typed error for every kind of bad value.

#include "sync/core/clinic_policy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace odis::sync;

namespace {

QJsonObject referenceProfile()
{
    QFile file(qEnvironmentVariable("ODIS_SOURCE_DIR") +
               QStringLiteral("/tests/sim/common/default-clinic-profile.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("reference clinic profile not found (ODIS_SOURCE_DIR is set by CTest)");
    return QJsonDocument::fromJson(file.readAll()).object();
}

// Sets (or, with an undefined value, removes) the member at a dotted path.
QJsonObject withMember(QJsonObject object, QStringView path, const QJsonValue& value)
{
    const qsizetype dot = path.indexOf(u'.');
    const QString key = path.first(dot < 0 ? path.size() : dot).toString();
    if (dot >= 0) {
        object.insert(key, withMember(object.value(key).toObject(), path.sliced(dot + 1), value));
    } else if (value.isUndefined()) {
        object.remove(key);
    } else {
        object.insert(key, value);
    }
    return object;
}

QJsonValue json(const char* text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

} // namespace

class TstClinicPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesReferenceProfile();
    void takesDefaultsForAbsentMembers();
    void closedEveryDayOnlyWithoutSkipping();
    void callsOutsideHours();
    void refusesBadValues_data();
    void refusesBadValues();
    void ianaZoneIds_data();
    void ianaZoneIds();
    void countries_data();
    void countries();
};

void TstClinicPolicy::parsesReferenceProfile()
{
    const auto policy = parseClinicPolicy(referenceProfile());
    QVERIFY2(policy.has_value(), qPrintable(policy ? QString() : policy.error().toString()));
    QCOMPARE(policy->zone.id(), QByteArray("America/Los_Angeles"));
    QCOMPARE(policy->country.isoCode(), QStringLiteral("US"));
    QCOMPARE(policy->country.callingCode(), 1);
    QCOMPARE(policy->businessHours.days[0],
             (OpeningHours{QTime(8, 0), QTime(18, 0), QTime(12, 0), QTime(13, 0)}));
    QCOMPARE(policy->businessHours.days[5], (OpeningHours{QTime(9, 0), QTime(13, 0), QTime(), QTime()}));
    QVERIFY(!policy->businessHours.days[6].has_value());
    QVERIFY(policy->businessHours.isOpenOn(QDate(2026, 3, 14)));  // Saturday
    QVERIFY(!policy->businessHours.isOpenOn(QDate(2026, 3, 15))); // Sunday
    const DischargePolicy& discharge = policy->discharge;
    QVERIFY(discharge.enabled);
    QCOMPARE(discharge.callDelayDays, 2);
    QCOMPARE(discharge.callTime, QTime(16, 0));
    QCOMPARE(discharge.callWindow.start, QTime(9, 0));
    QCOMPARE(discharge.callWindow.end, QTime(20, 0));
    QVERIFY(discharge.skipClosedDays);
    QCOMPARE(discharge.staggerMinutes, 2);
    QCOMPARE(discharge.maxVisitAgeDays, 3);
    QCOMPARE(discharge.excludedAppointmentTypes, (QStringList{"Groomer", "Boarding"}));
    QCOMPARE(discharge.blockedKeywords, (QStringList{"euthanasia", "memorial"}));
    QVERIFY(!discharge.callsOutsideHours);
}

void TstClinicPolicy::takesDefaultsForAbsentMembers()
{
    const QJsonObject profile = QJsonDocument::fromJson(R"({
        "timezone": "Europe/London",
        "country": "GB",
        "business_hours": {"monday": {"open": "08:00", "close": "18:00"}, "sunday": null},
        "discharge_policy": {"enabled": false, "call_time": null,
                             "excluded_appointment_types": ["  Groomer ", "", " "]}
    })")
                                    .object();
    const auto policy = parseClinicPolicy(profile);
    QVERIFY2(policy.has_value(), qPrintable(policy ? QString() : policy.error().toString()));
    QVERIFY(!policy->discharge.enabled);
    QCOMPARE(policy->discharge.callDelayDays, 2);
    QCOMPARE(policy->discharge.callTime, QTime(16, 0));
    QCOMPARE(policy->discharge.callWindow.start, QTime(9, 0));
    QCOMPARE(policy->discharge.callWindow.end, QTime(20, 0));
    QVERIFY(policy->discharge.skipClosedDays);
    QCOMPARE(policy->discharge.staggerMinutes, 2);
    QCOMPARE(policy->discharge.maxVisitAgeDays, 3);
    QCOMPARE(policy->discharge.excludedAppointmentTypes, QStringList{QStringLiteral("Groomer")});
    QVERIFY(policy->discharge.blockedKeywords.isEmpty());
    QVERIFY(policy->businessHours.days[0].has_value());
    for (std::size_t day = 1; day < 7; ++day)
        QVERIFY(!policy->businessHours.days[day].has_value());
}

void TstClinicPolicy::closedEveryDayOnlyWithoutSkipping()
{
    QJsonObject profile = withMember(referenceProfile(), u"business_hours", QJsonObject());
    const auto skipping = parseClinicPolicy(profile);
    QVERIFY(!skipping.has_value());
    QCOMPARE(skipping.error().code, QString(kClinicPolicyOutOfRange));
    profile = withMember(profile, u"discharge_policy.skip_closed_days", false);
    // Closed every day, calls only while open: no call could ever be placed.
    QCOMPARE(parseClinicPolicy(profile).error().code, QString(kClinicPolicyOutOfRange));
    profile = withMember(profile, u"discharge_policy.calls_outside_hours", true);
    QVERIFY(parseClinicPolicy(profile).has_value());
}

void TstClinicPolicy::callsOutsideHours()
{
    const auto absent = parseClinicPolicy(referenceProfile());
    QVERIFY(absent && !absent->discharge.callsOutsideHours); // calls while the clinic can answer
    const auto set =
        parseClinicPolicy(withMember(referenceProfile(), u"discharge_policy.calls_outside_hours", true));
    QVERIFY(set && set->discharge.callsOutsideHours);
    // Opening hours that never meet the window, with calls only while open: refused.
    QJsonObject early = referenceProfile();
    for (const char* day : {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday"})
        early = withMember(early, QStringLiteral("business_hours.%1").arg(QLatin1String(day)),
                           json(R"({"open": "05:00", "close": "09:00"})"));
    QCOMPARE(parseClinicPolicy(early).error().code, QString(kClinicPolicyOutOfRange));
    QVERIFY(parseClinicPolicy(withMember(early, u"discharge_policy.calls_outside_hours", true)).has_value());
}

void TstClinicPolicy::refusesBadValues_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("value"); // undefined: the member is removed
    QTest::addColumn<QString>("code");

    const QString invalid = kClinicProfileInvalid;
    const QString zone = kClinicTimezoneUnknown;
    const QString country = kClinicCountryUnknown;
    const QString time = kClinicTimeInvalid;
    const QString range = kClinicPolicyOutOfRange;
    const QJsonValue removed(QJsonValue::Undefined);
    const auto row = [](const char* name, const char* path, const QJsonValue& value, const QString& code) {
        QTest::newRow(name) << QString::fromLatin1(path) << value << code;
    };
    row("unknown zone", "timezone", json(R"("Mars/Olympus_Mons")"), zone);
    row("empty zone", "timezone", json(R"("")"), zone);
    row("Qt offset id", "timezone", json(R"("UTC+05:00")"), zone);
    row("POSIX rule", "timezone", json(R"("PST8PDT,M3.2.0,M11.1.0")"), zone);
    row("bare word", "timezone", json(R"("Pacific")"), zone);
    row("wrong case", "timezone", json(R"("america/los_angeles")"), zone);
    row("zone not a string", "timezone", json("-8"), invalid);
    row("zone missing", "timezone", removed, invalid);
    row("country missing", "country", removed, invalid);
    row("country null", "country", json("null"), invalid);
    row("country not a string", "country", json("1"), invalid);
    row("country empty", "country", json(R"("")"), country);
    row("country UK is not ISO 3166-1", "country", json(R"("UK")"), country);
    row("country lower case", "country", json(R"("us")"), country);
    row("country alpha-3", "country", json(R"("USA")"), country);
    row("country unknown", "country", json(R"("ZZ")"), country);
    row("country padded", "country", json(R"(" US")"), country);
    row("country name", "country", json(R"("United States")"), country);
    row("business hours missing", "business_hours", removed, invalid);
    row("business hours not an object", "business_hours", json("[]"), invalid);
    row("unknown day", "business_hours.munday", json(R"({"open": "08:00", "close": "18:00"})"), invalid);
    row("day not an object", "business_hours.monday", json(R"("closed")"), invalid);
    row("day without close", "business_hours.monday.close", removed, invalid);
    row("hour without leading zero", "business_hours.monday.open", json(R"("8:00")"), time);
    row("hour 24", "business_hours.monday.open", json(R"("24:00")"), time);
    row("time with seconds", "business_hours.monday.close", json(R"("18:00:00")"), time);
    row("time as number", "business_hours.monday.close", json("1800"), time);
    row("closes before it opens", "business_hours.monday.close", json(R"("07:00")"), range);
    row("half a lunch break", "business_hours.monday.lunch_end", removed, range);
    row("policy missing", "discharge_policy", removed, invalid);
    row("enabled missing", "discharge_policy.enabled", removed, invalid);
    row("enabled not a boolean", "discharge_policy.enabled", json(R"("yes")"), invalid);
    row("negative delay", "discharge_policy.call_delay_days", json("-1"), range);
    row("fractional delay", "discharge_policy.call_delay_days", json("1.5"), invalid);
    row("delay as text", "discharge_policy.call_delay_days", json(R"("2")"), invalid);
    row("max age zero", "discharge_policy.max_visit_age_days", json("0"), range);
    row("negative max age", "discharge_policy.max_visit_age_days", json("-3"), range);
    row("stagger zero", "discharge_policy.stagger_minutes", json("0"), range);
    row("absurd stagger", "discharge_policy.stagger_minutes", json("1e9"), invalid);
    row("call time 4pm", "discharge_policy.call_time", json(R"("4pm")"), time);
    row("call time minute 60", "discharge_policy.call_time", json(R"("16:60")"), time);
    row("window reversed", "discharge_policy.call_window", json(R"({"start": "20:00", "end": "09:00"})"),
        range);
    row("window empty", "discharge_policy.call_window", json(R"({"start": "09:00", "end": "09:00"})"), range);
    row("window bad time", "discharge_policy.call_window.end", json(R"("8pm")"), time);
    row("window not an object", "discharge_policy.call_window", json(R"("09:00-20:00")"), invalid);
    row("skip closed days as text", "discharge_policy.skip_closed_days", json(R"("true")"), invalid);
    row("calls outside hours as text", "discharge_policy.calls_outside_hours", json(R"("no")"), invalid);
    row("excluded types not a list", "discharge_policy.excluded_appointment_types", json(R"("Groomer")"),
        invalid);
    row("keyword not a string", "discharge_policy.blocked_keywords", json(R"(["pts", 1])"), invalid);
}

void TstClinicPolicy::refusesBadValues()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, code);
    const QJsonObject profile = withMember(referenceProfile(), path, value);
    const auto policy = parseClinicPolicy(profile);
    QVERIFY(!policy.has_value());
    QCOMPARE(policy.error().code, code);
    QVERIFY(!policy.error().message.isEmpty());
}

void TstClinicPolicy::ianaZoneIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("LA") << "America/Los_Angeles" << true;
    QTest::newRow("Sydney") << "Australia/Sydney" << true;
    QTest::newRow("three levels") << "America/Argentina/Buenos_Aires" << true;
    QTest::newRow("UTC") << "UTC" << true;
    QTest::newRow("Etc/GMT+5") << "Etc/GMT+5" << true;
    QTest::newRow("unknown area") << "Europe/Atlantis" << false;
    QTest::newRow("padded") << " America/Los_Angeles" << false;
    QTest::newRow("offset") << "UTC-08:00" << false;
    QTest::newRow("POSIX abbreviation") << "ABC5" << false;
}

void TstClinicPolicy::ianaZoneIds()
{
    QFETCH(QString, id);
    QFETCH(bool, accepted);
    QCOMPARE(isIanaZoneId(id), accepted);
}

void TstClinicPolicy::countries_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("callingCode");
    QTest::newRow("United States") << "US" << 1;
    QTest::newRow("Canada") << "CA" << 1;
    QTest::newRow("United Kingdom") << "GB" << 44;
    QTest::newRow("Ireland") << "IE" << 353;
    QTest::newRow("Australia") << "AU" << 61;
}

void TstClinicPolicy::countries()
{
    QFETCH(QString, code);
    QFETCH(int, callingCode);
    const auto policy = parseClinicPolicy(withMember(referenceProfile(), u"country", code));
    QVERIFY2(policy.has_value(), qPrintable(policy ? QString() : policy.error().toString()));
    QCOMPARE(policy->country.isoCode(), code);
    QCOMPARE(policy->country.callingCode(), callingCode);
    QVERIFY(policy->country.isValid());

    ClinicPolicy noCountry = *policy;
    noCountry.country = PhoneCountry();
    QCOMPARE(validateClinicPolicy(noCountry).error().code, QString(kClinicCountryUnknown));
}

QTEST_GUILESS_MAIN(TstClinicPolicy)
#include "tst_clinic_policy.moc"
