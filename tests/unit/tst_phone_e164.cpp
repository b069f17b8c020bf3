// Phone numbers to E.164 (docs/discharge-rules.md, "Phones (E.164)"), and which of a visit's numbers is
// dialled.

#include "sync/core/phone_e164.h"

#include <QTest>

using namespace odis::sync;

Q_DECLARE_METATYPE(odis::sync::VisitPhones)

class TstPhoneE164 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalises_data();
    void normalises();
    void choosesFirstCandidateThatNormalises_data();
    void choosesFirstCandidateThatNormalises();
};

void TstPhoneE164::normalises_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("expected"); // empty: invalid

    // The forms clinics use (docs/idexx-neo.md).
    QTest::newRow("dashes") << "555-201-3344"
                            << "+15552013344";
    QTest::newRow("parentheses") << "(555) 201-3344"
                                 << "+15552013344";
    QTest::newRow("bare 10 digits") << "5552013344"
                                    << "+15552013344";
    QTest::newRow("plus one spaced") << "+1 555 201 3344"
                                     << "+15552013344";
    QTest::newRow("dots") << "555.201.3344"
                          << "+15552013344";
    QTest::newRow("slash") << "555/201-3344"
                           << "+15552013344";
    QTest::newRow("surrounding white space") << "  \t555 201 3344\n"
                                             << "+15552013344";
    QTest::newRow("non-breaking spaces") << QString::fromUtf16(u"555\u00a0201\u00a03344") << "+15552013344";
    // US/CA without '+'.
    QTest::newRow("11 digits with leading 1") << "1 (555) 201-3344"
                                              << "+15552013344";
    QTest::newRow("11 digits not starting with 1") << "25552013344"
                                                   << "";
    QTest::newRow("9 digits") << "555-201-334"
                              << "";
    QTest::newRow("7 digits (no area code)") << "201-3344"
                                             << "";
    QTest::newRow("12 digits without plus") << "445552013344"
                                            << "";
    // Written with '+': 8 to 15 digits are kept as they are.
    QTest::newRow("+44 London") << "+44 20 7946 0958"
                                << "+442079460958";
    QTest::newRow("+44 mobile") << "+44 7700 900123"
                                << "+447700900123";
    QTest::newRow("+61 Sydney") << "+61 2 9374 4000"
                                << "+61293744000";
    QTest::newRow("plus with 8 digits") << "+1234 5678"
                                        << "+12345678";
    QTest::newRow("plus with 7 digits") << "+123 4567"
                                        << "";
    QTest::newRow("plus with 15 digits") << "+123456789012345"
                                         << "+123456789012345";
    QTest::newRow("plus with 16 digits") << "+1234567890123456"
                                         << "";
    QTest::newRow("plus with 12 digits") << "+4412 3456 7890"
                                         << "+441234567890";
    QTest::newRow("plus alone") << "+"
                                << "";
    QTest::newRow("plus not first") << "1+5552013344"
                                    << "";
    QTest::newRow("two plus signs") << "++15552013344"
                                    << "";
    // Letters, extensions and other characters: refused, never reduced to their digits.
    QTest::newRow("letters (vanity)") << "1-800-FLOWERS"
                                      << "";
    QTest::newRow("letters around a valid number") << "Tel: 555-201-3344"
                                                   << "";
    QTest::newRow("extension x") << "555-201-3344 x12"
                                 << "";
    QTest::newRow("extension ext.") << "555-201-3344 ext. 12"
                                    << "";
    QTest::newRow("extension hash") << "555-201-3344 #12"
                                    << "";
    QTest::newRow("7 digits plus extension make 10") << "201-3344 x555"
                                                     << "";
    QTest::newRow("pause comma") << "5552013344,12"
                                 << "";
    QTest::newRow("two numbers") << "555-201-3344 / 555-201-9999"
                                 << "";
    QTest::newRow("non-ASCII digits")
        << QString::fromUtf16(u"\uff15\uff15\uff15\uff12\uff10\uff11\uff13\uff13\uff14\uff14") << "";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("white space only") << "   "
                                      << "";
}

void TstPhoneE164::normalises()
{
    QFETCH(QString, raw);
    QFETCH(QString, expected);
    const auto e164 = normalizePhoneE164(raw);
    QCOMPARE(e164.value_or(QString()), expected);
    QCOMPARE(e164.has_value(), !expected.isEmpty());
}

void TstPhoneE164::choosesFirstCandidateThatNormalises_data()
{
    QTest::addColumn<VisitPhones>("phones");
    QTest::addColumn<QString>("expected"); // empty: none
    QTest::addColumn<int>("source");

    const QString a = QStringLiteral("555-201-0001");
    const QString b = QStringLiteral("555-201-0002");
    const QString c = QStringLiteral("555-201-0003");
    const QString d = QStringLiteral("555-201-0004");
    const QString bad = QStringLiteral("201-3344");
    QTest::newRow("mobile first") << VisitPhones{a, b, c, d} << "+15552010001" << int(PhoneSource::Mobile);
    QTest::newRow("schedule row second")
        << VisitPhones{{}, b, c, d} << "+15552010002" << int(PhoneSource::ScheduleRow);
    QTest::newRow("consultation third")
        << VisitPhones{{}, {}, c, d} << "+15552010003" << int(PhoneSource::ConsultationClient);
    QTest::newRow("home last") << VisitPhones{{}, {}, {}, d} << "+15552010004" << int(PhoneSource::Home);
    QTest::newRow("invalid mobile is skipped")
        << VisitPhones{bad, b, c, d} << "+15552010002" << int(PhoneSource::ScheduleRow);
    QTest::newRow("only home valid") << VisitPhones{bad, bad, bad, d} << "+15552010004"
                                     << int(PhoneSource::Home);
    QTest::newRow("none valid") << VisitPhones{bad, bad, QStringLiteral("x"), bad} << "" << -1;
    QTest::newRow("all empty") << VisitPhones{} << "" << -1;
}

void TstPhoneE164::choosesFirstCandidateThatNormalises()
{
    QFETCH(VisitPhones, phones);
    QFETCH(QString, expected);
    QFETCH(int, source);
    const auto chosen = choosePhone(phones);
    QCOMPARE(chosen.has_value(), !expected.isEmpty());
    if (chosen) {
        QCOMPARE(chosen->e164, expected);
        QCOMPARE(int(chosen->source), source);
    }
}

QTEST_GUILESS_MAIN(TstPhoneE164)
#include "tst_phone_e164.moc"
