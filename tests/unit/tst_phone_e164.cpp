// Phone numbers by the book (docs/discharge-rules.md, "Phones (E.164)"): numbers as clinics in the US,
// Canada and the UK write them, read with libphonenumber in the clinic's country; invalid numbers
// (unassigned codes, wrong lengths, letters, extensions) and service numbers refused, never guessed into
// shape; and which of a visit's numbers is dialled (domestic first, mobile before fixed line).

#include "sync/core/phone_e164.h"

#include <QRegularExpression>
#include <QTest>

using namespace odis::sync;
using odis::Result;

Q_DECLARE_METATYPE(odis::sync::VisitPhones)

namespace {

PhoneCountry country(const QString& code)
{
    const std::optional<PhoneCountry> parsed = PhoneCountry::fromIsoCode(code);
    if (!parsed)
        qFatal("test country %s unknown", qPrintable(code));
    return *parsed;
}

} // namespace

class TstPhoneE164 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countries_data();
    void countries();
    void parses_data();
    void parses();
    void refuses_data();
    void refuses();
    void noCountryNoNumber();
    void preference_data();
    void preference();
    void chooses_data();
    void chooses();
};

void TstPhoneE164::countries_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("callingCode"); // 0: refused
    QTest::newRow("US") << "US" << 1;
    QTest::newRow("CA") << "CA" << 1;
    QTest::newRow("GB") << "GB" << 44;
    QTest::newRow("UK is not ISO 3166-1") << "UK" << 0;
    QTest::newRow("lower case") << "gb" << 0;
    QTest::newRow("alpha-3") << "GBR" << 0;
    QTest::newRow("unknown") << "ZZ" << 0;
    QTest::newRow("non-geographic 001") << "001" << 0;
    QTest::newRow("empty") << "" << 0;
}

void TstPhoneE164::countries()
{
    QFETCH(QString, code);
    QFETCH(int, callingCode);
    const std::optional<PhoneCountry> parsed = PhoneCountry::fromIsoCode(code);
    QCOMPARE(parsed.has_value(), callingCode > 0);
    if (parsed) {
        QCOMPARE(parsed->isoCode(), code);
        QCOMPARE(parsed->callingCode(), callingCode);
    }
}

void TstPhoneE164::parses_data()
{
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("e164");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("domestic");
    const int mobileOrFixed = int(PhoneKind::MobileOrFixed);
    const int mobile = int(PhoneKind::Mobile);
    const int fixed = int(PhoneKind::FixedLine);
    const auto row = [](const char* name, const char* country, const QString& raw, const char* e164, int kind,
                        bool domestic = true) {
        QTest::newRow(name) << QString::fromLatin1(country) << raw << QString::fromLatin1(e164) << kind
                            << domestic;
    };
    const auto text = [](const char* s) { return QString::fromUtf8(s); };

    // United States: the forms front desks type.
    row("US dashes", "US", text("415-201-3344"), "+14152013344", mobileOrFixed);
    row("US parentheses", "US", text("(415) 201-3344"), "+14152013344", mobileOrFixed);
    row("US bare 10 digits", "US", text("4152013344"), "+14152013344", mobileOrFixed);
    row("US dots", "US", text("415.201.3344"), "+14152013344", mobileOrFixed);
    row("US slash", "US", text("415/201-3344"), "+14152013344", mobileOrFixed);
    row("US leading 1", "US", text("1-415-201-3344"), "+14152013344", mobileOrFixed);
    row("US leading 1 and parentheses", "US", text("1 (415) 201-3344"), "+14152013344", mobileOrFixed);
    row("US plus one", "US", text("+1 415 201 3344"), "+14152013344", mobileOrFixed);
    row("US surrounding white space", "US", text("  \t415 201 3344\n"), "+14152013344", mobileOrFixed);
    row("US non-breaking spaces", "US", QString::fromUtf16(u"415\u00a0201\u00a03344"), "+14152013344",
        mobileOrFixed);
    row("US fictional 555-01xx line is assigned", "US", text("(212) 555-0123"), "+12125550123",
        mobileOrFixed);
    row("US clinic, Canadian number: same +1 plan", "US", text("416-967-1111"), "+14169671111",
        mobileOrFixed);
    row("US clinic, UK number with plus", "US", text("+44 20 7946 0958"), "+442079460958", fixed, false);
    row("US clinic, UK mobile with plus", "US", text("+44 7400 123456"), "+447400123456", mobile, false);
    row("US clinic, international prefix 011", "US", text("011 44 20 7946 0958"), "+442079460958", fixed,
        false);

    // Canada.
    row("CA Vancouver", "CA", text("(604) 681-2345"), "+16046812345", mobileOrFixed);
    row("CA Montreal dots", "CA", text("514.987.6543"), "+15149876543", mobileOrFixed);
    row("CA Ottawa leading 1", "CA", text("1-613-555-0123"), "+16135550123", mobileOrFixed);
    row("CA Calgary plus one", "CA", text("+1 403 262 1234"), "+14032621234", mobileOrFixed);
    row("CA newer overlay 236", "CA", text("(236) 555-0199"), "+12365550199", mobileOrFixed);
    row("CA clinic, US number: same +1 plan", "CA", text("415-201-3344"), "+14152013344", mobileOrFixed);

    // United Kingdom.
    row("GB mobile", "GB", text("07400 123456"), "+447400123456", mobile);
    row("GB mobile unspaced", "GB", text("07812345678"), "+447812345678", mobile);
    row("GB mobile dashed", "GB", text("07956-123-456"), "+447956123456", mobile);
    row("GB mobile plus", "GB", text("+44 7723 456789"), "+447723456789", mobile);
    row("GB mobile plus and (0)", "GB", text("+44 (0)7723 456789"), "+447723456789", mobile);
    row("GB mobile international prefix 00", "GB", text("0044 7723 456789"), "+447723456789", mobile);
    row("GB Guernsey mobile: +44 too", "GB", text("07911 123456"), "+447911123456", mobile);
    row("GB London", "GB", text("020 7946 0958"), "+442079460958", fixed);
    row("GB London parentheses", "GB", text("(020) 8123 4567"), "+442081234567", fixed);
    row("GB Manchester", "GB", text("0161 496 0000"), "+441614960000", fixed);
    row("GB Cardiff", "GB", text("029 2018 0000"), "+442920180000", fixed);
    row("GB Jersey landline", "GB", text("01534 123456"), "+441534123456", fixed);
    row("GB VoIP", "GB", text("0560 123 4567"), "+445601234567", int(PhoneKind::Voip));
    row("GB clinic, US number with plus", "GB", text("+1 415 201 3344"), "+14152013344", mobileOrFixed,
        false);
}

void TstPhoneE164::parses()
{
    QFETCH(QString, country);
    QFETCH(QString, raw);
    QFETCH(QString, e164);
    QFETCH(int, kind);
    QFETCH(bool, domestic);
    const Result<PhoneNumber> number = parsePhone(raw, ::country(country));
    QVERIFY2(number.has_value(), qPrintable(number ? QString() : number.error().toString()));
    QCOMPARE(number->e164, e164);
    QCOMPARE(int(number->kind), kind);
    QCOMPARE(number->domestic, domestic);
    // An E.164 number reads as itself, in any clinic country.
    for (const char* code : {"US", "CA", "GB"}) {
        const Result<PhoneNumber> again = parsePhone(e164, ::country(QString::fromLatin1(code)));
        QVERIFY(again.has_value());
        QCOMPARE(again->e164, e164);
    }
}

void TstPhoneE164::refuses_data()
{
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("code");
    const QString invalid = kPhoneInvalid;
    const QString notNumber = kPhoneNotANumber;
    const QString service = kPhoneNotPersonal;
    const auto row = [](const char* name, const char* country, const QString& raw, const QString& code) {
        QTest::newRow(name) << QString::fromLatin1(country) << raw << code;
    };
    const auto text = [](const char* s) { return QString::fromUtf8(s); };

    // Not valid by the numbering plan: never guessed.
    row("US 555 is not an area code", "US", text("555-201-3344"), invalid);
    row("US N11 area code", "US", text("311-555-1234"), invalid);
    row("US unassigned area code 999", "US", text("999-555-0123"), invalid);
    row("US exchange starting with 1", "US", text("415-123-4567"), invalid);
    row("US 7 digits, no area code", "US", text("201-3344"), invalid);
    row("US 9 digits", "US", text("415-201-334"), invalid);
    row("US 11 digits not starting with 1", "US", text("24152013344"), invalid);
    row("US 12 digits", "US", text("415-201-334412"), invalid);
    row("US plus with too few digits", "US", text("+1 415 201 334"), invalid);
    row("US plus alone", "US", text("+"), invalid);
    row("US plus, unknown country code", "US", text("+999 1234 5678"), invalid);
    row("CA unassigned area code", "CA", text("999-555-0123"), invalid);
    row("CA 9 digits", "CA", text("416-967-111"), invalid);
    row("CA 976 is not assigned", "CA", text("1-976-555-0123"), invalid);
    row("GB drama mobile range", "GB", text("07700 900123"), invalid);
    row("GB drama landline range", "GB", text("01632 960000"), invalid);
    row("GB mobile one digit short", "GB", text("07911 12345"), invalid);
    row("GB mobile one digit long", "GB", text("07911 1234567"), invalid);
    row("GB pager range", "GB", text("076 1234 5678"), invalid);
    row("GB clinic, US number without plus", "GB", text("415-201-3344"), invalid);

    // Valid, but not a person's phone.
    row("US toll-free", "US", text("800-463-6868"), service);
    row("US premium rate", "US", text("900-555-1212"), service);
    row("CA toll-free", "CA", text("1 800 463 6868"), service);
    row("GB freephone", "GB", text("0800 123 4567"), service);
    row("GB premium rate", "GB", text("09065 123456"), service);
    row("GB personal number", "GB", text("070 1234 5678"), service);
    row("GB non-geographic 03", "GB", text("0300 123 4567"), service);

    // Not a plain number: letters, extensions, other characters; their digits would dial someone else.
    row("vanity letters", "US", text("1-800-FLOWERS"), notNumber);
    row("letters around a valid number", "US", text("Tel: 415-201-3344"), notNumber);
    row("note after the number", "GB", text("07400 123456 (wife)"), notNumber);
    row("extension x", "US", text("415-201-3344 x12"), notNumber);
    row("extension ext.", "US", text("415-201-3344 ext. 12"), notNumber);
    row("extension hash", "US", text("415-201-3344 #12"), notNumber);
    row("7 digits plus extension make 10", "US", text("201-3344 x555"), notNumber);
    row("pause comma", "US", text("4152013344,12"), notNumber);
    row("semicolon extension", "US", text("4152013344;ext=12"), notNumber);
    row("plus not first", "US", text("1+4152013344"), notNumber);
    row("two plus signs", "US", text("++14152013344"), notNumber);
    row("non-ASCII digits", "US",
        QString::fromUtf16(u"\uff14\uff11\uff15\uff12\uff10\uff11\uff13\uff13\uff14\uff14"), notNumber);
    row("two numbers", "US", text("415-201-3344 / 415-201-9999"), invalid);

    row("empty", "US", QString(), QString(kPhoneEmpty));
    row("white space only", "GB", text("   "), QString(kPhoneEmpty));
}

void TstPhoneE164::refuses()
{
    QFETCH(QString, country);
    QFETCH(QString, raw);
    QFETCH(QString, code);
    const Result<PhoneNumber> number = parsePhone(raw, ::country(country));
    QVERIFY2(!number.has_value(), qPrintable(number ? number->e164 : QString()));
    QCOMPARE(number.error().code, code);
    // The message may be logged: it never quotes the number.
    const QString digits = QString(raw).remove(QRegularExpression(QStringLiteral("\\D")));
    if (digits.size() >= 4)
        QVERIFY(!number.error().message.contains(digits.right(4)));
    QVERIFY(!isFirstChoicePhone(raw, ::country(country)));
}

void TstPhoneE164::noCountryNoNumber()
{
    const Result<PhoneNumber> number = parsePhone(u"+1 415 201 3344", PhoneCountry());
    QVERIFY(!number.has_value());
    QCOMPARE(number.error().code, QString(kPhoneNoCountry));
    QVERIFY(!choosePhone(VisitPhones{QStringLiteral("+1 415 201 3344"), {}, {}, {}}, PhoneCountry()));
}

void TstPhoneE164::preference_data()
{
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("raw");
    QTest::addColumn<int>("preference");
    QTest::newRow("US number") << "US"
                               << "415-201-3344" << 0;
    QTest::newRow("GB mobile") << "GB"
                               << "07400 123456" << 0;
    QTest::newRow("GB landline") << "GB"
                                 << "020 7946 0958" << 1;
    QTest::newRow("GB VoIP") << "GB"
                             << "0560 123 4567" << 1;
    QTest::newRow("US clinic, UK mobile") << "US"
                                          << "+44 7400 123456" << 2;
    QTest::newRow("US clinic, UK landline") << "US"
                                            << "+44 20 7946 0958" << 3;
    QTest::newRow("GB clinic, US number") << "GB"
                                          << "+1 415 201 3344" << 2;
}

void TstPhoneE164::preference()
{
    QFETCH(QString, country);
    QFETCH(QString, raw);
    QFETCH(int, preference);
    const Result<PhoneNumber> number = parsePhone(raw, ::country(country));
    QVERIFY(number.has_value());
    QCOMPARE(phonePreference(*number), preference);
    QCOMPARE(isFirstChoicePhone(raw, ::country(country)), preference == 0);
}

void TstPhoneE164::chooses_data()
{
    QTest::addColumn<QString>("country");
    QTest::addColumn<VisitPhones>("phones");
    QTest::addColumn<QString>("expected"); // empty: none
    QTest::addColumn<int>("source");
    const int mobile = int(PhoneSource::Mobile);
    const int row = int(PhoneSource::ScheduleRow);
    const int consultation = int(PhoneSource::ConsultationClient);
    const int home = int(PhoneSource::Home);

    // North America: the plan cannot tell mobiles, so the order of the sources decides.
    const QString a = QStringLiteral("415-201-0001");
    const QString b = QStringLiteral("415-201-0002");
    const QString c = QStringLiteral("415-201-0003");
    const QString d = QStringLiteral("415-201-0004");
    const QString bad = QStringLiteral("201-3344");
    QTest::newRow("US mobile first") << "US" << VisitPhones{a, b, c, d} << "+14152010001" << mobile;
    QTest::newRow("US schedule row second") << "US" << VisitPhones{{}, b, c, d} << "+14152010002" << row;
    QTest::newRow("US consultation third")
        << "US" << VisitPhones{{}, {}, c, d} << "+14152010003" << consultation;
    QTest::newRow("US home last") << "US" << VisitPhones{{}, {}, {}, d} << "+14152010004" << home;
    QTest::newRow("US invalid mobile skipped") << "US" << VisitPhones{bad, b, c, d} << "+14152010002" << row;
    QTest::newRow("US 555 area code skipped")
        << "US" << VisitPhones{QStringLiteral("555-201-0001"), {}, {}, d} << "+14152010004" << home;
    QTest::newRow("US only home valid") << "US" << VisitPhones{bad, bad, bad, d} << "+14152010004" << home;
    QTest::newRow("US domestic home before international mobile")
        << "US" << VisitPhones{QStringLiteral("+44 7400 123456"), {}, {}, d} << "+14152010004" << home;
    QTest::newRow("US international when nothing domestic")
        << "US" << VisitPhones{QStringLiteral("+44 20 7946 0958"), bad, {}, QStringLiteral("+44 7400 123456")}
        << "+447400123456" << home;
    QTest::newRow("US toll-free skipped")
        << "US" << VisitPhones{QStringLiteral("800-463-6868"), b, {}, {}} << "+14152010002" << row;
    QTest::newRow("US none valid") << "US" << VisitPhones{bad, bad, QStringLiteral("x"), bad} << "" << -1;
    QTest::newRow("US all empty") << "US" << VisitPhones{} << "" << -1;
    QTest::newRow("CA Toronto") << "CA" << VisitPhones{{}, QStringLiteral("(416) 967-1111"), {}, {}}
                                << "+14169671111" << row;

    // UK: a mobile by its type wins over a landline, whichever field it is in.
    const QString landline = QStringLiteral("020 7946 0958");
    const QString mobileNumber = QStringLiteral("07400 123456");
    QTest::newRow("GB mobile in the mobile field")
        << "GB" << VisitPhones{mobileNumber, landline, {}, landline} << "+447400123456" << mobile;
    QTest::newRow("GB landline in the mobile field, mobile at home")
        << "GB" << VisitPhones{landline, landline, landline, mobileNumber} << "+447400123456" << home;
    QTest::newRow("GB landlines only: first")
        << "GB" << VisitPhones{{}, landline, {}, QStringLiteral("0161 496 0000")} << "+442079460958" << row;
    QTest::newRow("GB invalid mobile, landline")
        << "GB" << VisitPhones{QStringLiteral("07700 900123"), {}, {}, landline} << "+442079460958" << home;
    QTest::newRow("GB two mobiles: first")
        << "GB" << VisitPhones{{}, QStringLiteral("07956 123456"), {}, mobileNumber} << "+447956123456"
        << row;
    QTest::newRow("GB domestic landline before a foreign mobile")
        << "GB" << VisitPhones{QStringLiteral("+1 415 201 3344"), landline, {}, {}} << "+442079460958" << row;
}

void TstPhoneE164::chooses()
{
    QFETCH(QString, country);
    QFETCH(VisitPhones, phones);
    QFETCH(QString, expected);
    QFETCH(int, source);
    const auto chosen = choosePhone(phones, ::country(country));
    QCOMPARE(chosen.has_value(), !expected.isEmpty());
    if (chosen) {
        QCOMPARE(chosen->number.e164, expected);
        QCOMPARE(int(chosen->source), source);
        const QString* raws[] = {&phones.mobile, &phones.scheduleRow, &phones.consultationClient,
                                 &phones.home};
        QCOMPARE(chosen->raw, *raws[source]);
    }
}

QTEST_GUILESS_MAIN(TstPhoneE164)
#include "tst_phone_e164.moc"
