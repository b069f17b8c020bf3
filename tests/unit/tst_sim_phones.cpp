// The simulator's phone numbers by the book: every number the Neo simulator generates for a clinic in
// the US, Canada or the UK means, by libphonenumber's metadata on this system, what the generator says
// it means (valid or not, the E.164 number, mobile or fixed line, domestic or not). The simulator itself
// never reads numbers back (its ground truth is its own); this test is where the two meet, so that an
// end-to-end difference can only come from the agent.

#include "sync/core/phone_e164.h"
#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/clinic_profile.h"

#include <QTest>

using namespace odis::sim::neo;
using odis::sync::PhoneCountry;
using odis::sync::PhoneKind;

class TstSimPhones : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedNumbersMeanWhatTheGeneratorSays_data();
    void generatedNumbersMeanWhatTheGeneratorSays();
};

void TstSimPhones::generatedNumbersMeanWhatTheGeneratorSays_data()
{
    QTest::addColumn<QString>("country");
    QTest::addColumn<QByteArray>("zone");
    QTest::addColumn<quint32>("seed");
    for (const quint32 seed : {7u, 11u, 23u}) {
        QTest::addRow("US seed %u", seed) << "US" << QByteArray("America/Los_Angeles") << seed;
        QTest::addRow("CA seed %u", seed) << "CA" << QByteArray("America/Toronto") << seed;
        QTest::addRow("GB seed %u", seed) << "GB" << QByteArray("Europe/London") << seed;
    }
}

void TstSimPhones::generatedNumbersMeanWhatTheGeneratorSays()
{
    QFETCH(QString, country);
    QFETCH(QByteArray, zone);
    QFETCH(quint32, seed);

    ClinicOptions options;
    options.seed = seed;
    options.zone = QTimeZone(zone);
    options.clinicProfile = defaultClinicProfile();
    options.clinicProfile.insert(QStringLiteral("country"), country);
    options.clinicProfile.insert(QStringLiteral("timezone"), QString::fromLatin1(zone));
    const ClinicModel model = ClinicModel::generate(options);
    const PhoneCountry clinicCountry = *PhoneCountry::fromIsoCode(country);

    int valid = 0;
    int invalid = 0;
    for (const qint64 id : model.appointmentIds()) {
        const SimClient client = model.initialState(id)->client;
        for (const SimPhone* phone : {&client.mobilePhone, &client.homePhone}) {
            if (phone->isEmpty())
                continue;
            const auto parsed = odis::sync::parsePhone(phone->raw, clinicCountry);
            const QByteArray context = (country + QStringLiteral(": ") + phone->raw).toUtf8();
            QVERIFY2(parsed.has_value() == phone->isValid(), context.constData());
            if (!parsed) {
                QCOMPARE(parsed.error().code, QString(odis::sync::kPhoneInvalid));
                ++invalid;
                continue;
            }
            ++valid;
            QVERIFY2(parsed->e164 == phone->e164, context.constData());
            QVERIFY2(parsed->domestic == !phone->international, context.constData());
            const PhoneKind expected = phone->kind == SimPhoneKind::Mobile      ? PhoneKind::Mobile
                                       : phone->kind == SimPhoneKind::FixedLine ? PhoneKind::FixedLine
                                                                                : PhoneKind::MobileOrFixed;
            QVERIFY2(parsed->kind == expected, context.constData());
            QCOMPARE(odis::sync::phonePreference(*parsed), phone->preference());
        }
    }
    QVERIFY(valid > 50);
    QVERIFY(invalid > 0);
}

QTEST_APPLESS_MAIN(TstSimPhones)
#include "tst_sim_phones.moc"
