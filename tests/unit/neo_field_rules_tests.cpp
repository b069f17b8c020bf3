// The rules the Neo parsers share: status mapping, id normalisation, clinic-local times, client name
// splitting, drift collection.

#include "sync/core/neo_fields.h"
#include "sync/core/neo_status.h"
#include "tests/unit/neo_parser_tests.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace odis::sync;

void NeoResponseTest::statusMapping_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("expected");
    const QList<std::pair<const char*, const char*>> rows{{"not arrived", "scheduled"},
                                                          {"Not Arrived", "scheduled"},
                                                          {"Scheduled", "scheduled"},
                                                          {"Confirmed", "scheduled"},
                                                          {"booked", "scheduled"},
                                                          {"not_arrived", "scheduled"},
                                                          {"Checked In", "checked_in"},
                                                          {"checked_in", "checked_in"},
                                                          {"checked-in", "checked_in"},
                                                          {"Arrived", "checked_in"},
                                                          {"In Progress", "in_progress"},
                                                          {"in_progress", "in_progress"},
                                                          {"With Doctor", "in_progress"},
                                                          {"Finalized", "completed"},
                                                          {"FINALIZED", "completed"},
                                                          {"Ready to Pay", "completed"},
                                                          {"ready-to-pay", "completed"},
                                                          {"Discharged", "completed"},
                                                          {"Completed", "completed"},
                                                          {"  completed  ", "completed"},
                                                          {"Ready  to\tPay", "completed"},
                                                          {"No Show", "no_show"},
                                                          {"no-show", "no_show"},
                                                          {"no_show", "no_show"},
                                                          {"Cancelled", "cancelled"},
                                                          {"Canceled", "cancelled"},
                                                          {"CANCELLED", "cancelled"},
                                                          {"Awaiting Lab Results", "unknown"},
                                                          {"", "unknown"},
                                                          {"noshow", "unknown"},
                                                          {"Finalised", "unknown"},
                                                          {"unknown", "unknown"},
                                                          {"3", "unknown"},
                                                          {"checked in later", "unknown"},
                                                          {"fc-event finalized", "unknown"}};
    for (const auto& [raw, expected] : rows)
        QTest::newRow(raw[0] ? raw : "(empty)") << QString::fromUtf8(raw) << QString::fromUtf8(expected);
    QTest::newRow("long") << QString(500, u'x') << QStringLiteral("unknown");
}

void NeoResponseTest::statusMapping()
{
    QFETCH(QString, raw);
    QFETCH(QString, expected);
    QCOMPARE(statusName(normaliseNeoStatus(raw)), expected);
}

void NeoResponseTest::statusNames_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("name");
    QTest::newRow("scheduled") << int(NeoStatus::Scheduled) << QStringLiteral("scheduled");
    QTest::newRow("checked_in") << int(NeoStatus::CheckedIn) << QStringLiteral("checked_in");
    QTest::newRow("in_progress") << int(NeoStatus::InProgress) << QStringLiteral("in_progress");
    QTest::newRow("completed") << int(NeoStatus::Completed) << QStringLiteral("completed");
    QTest::newRow("no_show") << int(NeoStatus::NoShow) << QStringLiteral("no_show");
    QTest::newRow("cancelled") << int(NeoStatus::Cancelled) << QStringLiteral("cancelled");
    QTest::newRow("unknown") << int(NeoStatus::Unknown) << QStringLiteral("unknown");
}

void NeoResponseTest::statusNames()
{
    QFETCH(int, status);
    QFETCH(QString, name);
    QCOMPARE(statusName(NeoStatus(status)), name);
    QCOMPARE(statusFromName(name), std::optional<NeoStatus>(NeoStatus(status)));
    QVERIFY(!statusFromName(name.toUpper())); // wire names are exact
}

void NeoResponseTest::idNormalisation_data()
{
    QTest::addColumn<QByteArray>("json");  // the value, as it appears in a JSON array
    QTest::addColumn<QString>("expected"); // "" when refused
    QTest::addColumn<QString>("reason");
    QTest::newRow("number") << QByteArray("482913") << "482913"
                            << "";
    QTest::newRow("string") << QByteArray("\"482913\"") << "482913"
                            << "";
    QTest::newRow("padded string") << QByteArray("\" 482913 \"") << "482913"
                                   << "";
    QTest::newRow("leading zeros") << QByteArray("\"000482913\"") << "482913"
                                   << "";
    QTest::newRow("integral float") << QByteArray("482913.0") << "482913"
                                    << "";
    QTest::newRow("exponent") << QByteArray("4.82913e5") << "482913"
                              << "";
    QTest::newRow("largest") << QByteArray("9007199254740991") << "9007199254740991"
                             << "";
    QTest::newRow("largest string") << QByteArray("\"9007199254740991\"") << "9007199254740991"
                                    << "";
    QTest::newRow("fraction") << QByteArray("1.5") << ""
                              << "id is not an integer";
    QTest::newRow("zero") << QByteArray("0") << ""
                          << "id out of range";
    QTest::newRow("negative") << QByteArray("-5") << ""
                              << "id out of range";
    QTest::newRow("2^53") << QByteArray("9007199254740992") << ""
                          << "id out of range";
    QTest::newRow("1e20") << QByteArray("1e20") << ""
                          << "id out of range";
    QTest::newRow("huge string") << QByteArray("\"12345678901234567890\"") << ""
                                 << "id out of range";
    QTest::newRow("zero string") << QByteArray("\"0000\"") << ""
                                 << "id out of range";
    QTest::newRow("letters") << QByteArray("\"48x2\"") << ""
                             << "id is not a decimal number";
    QTest::newRow("signed string") << QByteArray("\"-5\"") << ""
                                   << "id is not a decimal number";
    QTest::newRow("plus string") << QByteArray("\"+5\"") << ""
                                 << "id is not a decimal number";
    QTest::newRow("float string") << QByteArray("\"4.0\"") << ""
                                  << "id is not a decimal number";
    QTest::newRow("arabic digits") << QByteArray("\"\u0664\u0668\u0662\"") << ""
                                   << "id is not a decimal number";
    QTest::newRow("empty string") << QByteArray("\"  \"") << ""
                                  << "id is an empty string";
    QTest::newRow("boolean") << QByteArray("true") << ""
                             << "boolean instead of an id";
    QTest::newRow("object") << QByteArray("{\"id\": 5}") << ""
                            << "object instead of an id";
    QTest::newRow("array") << QByteArray("[5]") << ""
                           << "array instead of an id";
}

void NeoResponseTest::idNormalisation()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QFETCH(QString, reason);
    const QJsonValue value = QJsonDocument::fromJson("[" + json + "]").array().at(0);
    const odis::Result<QString> id = normaliseNeoId(value);
    if (expected.isEmpty()) {
        QVERIFY(!id);
        QCOMPARE(id.error().message, reason);
        return;
    }
    QVERIFY2(id.has_value(), qPrintable(id ? QString() : id.error().message));
    QCOMPARE(*id, expected);
}

void NeoResponseTest::localDateTime_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("dateOnlyAllowed");
    QTest::addColumn<QString>("expected"); // LocalDateTime::toString(), or "error: <message>"
    QTest::newRow("current") << "2026-03-10 09:15:00" << false << "2026-03-10 09:15:00";
    QTest::newRow("older") << "2026-03-10T09:15:00" << false << "2026-03-10 09:15:00";
    QTest::newRow("no seconds") << "2026-03-10 09:15" << false << "2026-03-10 09:15:00";
    QTest::newRow("fraction") << "2026-03-10 09:15:07.250" << false << "2026-03-10 09:15:07";
    QTest::newRow("padded") << "  2026-03-10 09:15:00 " << false << "2026-03-10 09:15:00";
    QTest::newRow("end of day") << "2026-03-10 24:00:00" << false << "2026-03-11 00:00:00";
    QTest::newRow("end of year") << "2026-12-31 24:00" << false << "2027-01-01 00:00:00";
    QTest::newRow("date only allowed") << "2026-03-10" << true << "2026-03-10";
    QTest::newRow("date only refused") << "2026-03-10" << false << "error: date without a time";
    QTest::newRow("utc") << "2026-03-10T09:15:00Z" << false
                         << "error: has a time zone; clinic-local time expected";
    QTest::newRow("offset") << "2026-03-10T09:15:00+01:00" << false
                            << "error: has a time zone; clinic-local time expected";
    QTest::newRow("offset no seconds")
        << "2026-03-10 09:15-08:00" << false << "error: has a time zone; clinic-local time expected";
    QTest::newRow("30 February") << "2026-02-30 09:00:00" << false << "error: not a calendar date";
    QTest::newRow("25 o'clock") << "2026-03-10 25:00:00" << false << "error: not a time of day";
    QTest::newRow("24:30") << "2026-03-10 24:30:00" << false << "error: not a time of day";
    QTest::newRow("us format") << "03/10/2026 09:15" << false << "error: not a YYYY-MM-DD date";
    QTest::newRow("empty") << "" << true << "error: not a YYYY-MM-DD date";
    QTest::newRow("slash separator") << "2026-03-10/09:15:00" << false
                                     << "error: not a clinic-local date-time";
    QTest::newRow("trailing text") << "2026-03-10 09:15:00 PM" << false
                                   << "error: not a clinic-local date-time";
    // Hostile dates (issue 16, item 4): far past and far future are dates like any other, read as given.
    QTest::newRow("1970 epoch") << "1970-01-01 00:00:00" << false << "1970-01-01 00:00:00";
    QTest::newRow("2100 last minute") << "2100-12-31 23:59:59" << false << "2100-12-31 23:59:59";
    QTest::newRow("2100 end of day") << "2100-12-31 24:00" << false << "2101-01-01 00:00:00";
    QTest::newRow("year 0000") << "0000-01-01 00:00:00" << false << "error: not a calendar date";
    QTest::newRow("year 9999") << "9999-12-31 23:59:59" << false << "9999-12-31 23:59:59";
    QTest::newRow("DST gap kept as written") << "2026-03-08 02:30:00" << false << "2026-03-08 02:30:00";
    QTest::newRow("29 February 2100") << "2100-02-29 09:00:00" << false << "error: not a calendar date";
    QTest::newRow("eastern digits") << "\u0662\u0660\u0662\u0666-03-10 09:15:00" << false
                                    << "error: not a YYYY-MM-DD date";
}

// Wall-clock times Neo sends, on daylight-saving edges and far from today, to the instant the agent plans
// with: total (never an invalid instant for a valid date and time), a skipped time after the gap, an
// ambiguous one at its first occurrence.
void NeoResponseTest::hostileTimesResolve_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("utc");
    QTest::newRow("LA 1970 epoch") << "America/Los_Angeles"
                                   << "1970-01-01 00:00:00"
                                   << "1970-01-01T08:00:00Z";
    QTest::newRow("LA 2100") << "America/Los_Angeles"
                             << "2100-07-01 12:00:00"
                             << "2100-07-01T19:00:00Z";
    QTest::newRow("LA before the gap") << "America/Los_Angeles"
                                       << "2026-03-08 01:59:59"
                                       << "2026-03-08T09:59:59Z";
    QTest::newRow("LA in the gap") << "America/Los_Angeles"
                                   << "2026-03-08 02:30:00"
                                   << "2026-03-08T10:00:00Z";
    QTest::newRow("LA after the gap") << "America/Los_Angeles"
                                      << "2026-03-08 03:00:00"
                                      << "2026-03-08T10:00:00Z";
    QTest::newRow("LA in the overlap") << "America/Los_Angeles"
                                       << "2026-11-01 01:30:00"
                                       << "2026-11-01T08:30:00Z";
    QTest::newRow("LA after the overlap") << "America/Los_Angeles"
                                          << "2026-11-01 02:00:00"
                                          << "2026-11-01T10:00:00Z";
    QTest::newRow("London in the gap") << "Europe/London"
                                       << "2026-03-29 01:30:00"
                                       << "2026-03-29T01:00:00Z";
    QTest::newRow("London in the overlap") << "Europe/London"
                                           << "2026-10-25 01:30:00"
                                           << "2026-10-25T00:30:00Z";
    QTest::newRow("Sydney in the gap") << "Australia/Sydney"
                                       << "2026-10-04 02:30:00"
                                       << "2026-10-03T16:00:00Z";
    QTest::newRow("Sydney in the overlap") << "Australia/Sydney"
                                           << "2026-04-05 02:30:00"
                                           << "2026-04-04T15:30:00Z";
    QTest::newRow("UTC 2100 end of day") << "UTC"
                                         << "2100-12-31 24:00"
                                         << "2101-01-01T00:00:00Z";
}

void NeoResponseTest::hostileTimesResolve()
{
    QFETCH(QString, zone);
    QFETCH(QString, text);
    QFETCH(QString, utc);
    const odis::Result<LocalDateTime> parsed = parseLocalDateTime(text, false);
    QVERIFY(parsed);
    const QDateTime instant = parsed->toZoned(QTimeZone(zone.toLatin1()));
    QVERIFY(instant.isValid());
    QCOMPARE(instant.toUTC().toString(Qt::ISODate), utc);
}

void NeoResponseTest::localDateTime()
{
    QFETCH(QString, text);
    QFETCH(bool, dateOnlyAllowed);
    QFETCH(QString, expected);
    const odis::Result<LocalDateTime> parsed = parseLocalDateTime(text, dateOnlyAllowed);
    QCOMPARE(parsed ? parsed->toString() : QStringLiteral("error: ") + parsed.error().message, expected);
}

void NeoResponseTest::clientNameSplit_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("last");
    QTest::newRow("LAST, FIRST") << "DOE, JANE"
                                 << "JANE"
                                 << "DOE";
    QTest::newRow("two surnames, comma") << "García López, María José"
                                         << "María José"
                                         << "García López";
    QTest::newRow("First Last") << "Jane Doe"
                                << "Jane"
                                << "Doe";
    QTest::newRow("two surnames, no comma") << "María García López"
                                            << "María"
                                            << "García López";
    QTest::newRow("one word") << "Nguyen"
                              << ""
                              << "Nguyen";
    QTest::newRow("messy spacing") << "  DOE ,   JANE  "
                                   << "JANE"
                                   << "DOE";
    QTest::newRow("trailing comma") << "DOE,"
                                    << ""
                                    << "DOE";
    QTest::newRow("decomposed accents") << "Jose\u0301 N\u0303un\u0303ez"
                                        << "José"
                                        << "Ñuñez";
    QTest::newRow("empty") << ""
                           << ""
                           << "";
}

void NeoResponseTest::clientNameSplit()
{
    QFETCH(QString, raw);
    QFETCH(QString, first);
    QFETCH(QString, last);
    const SplitName name = splitClientName(raw);
    QCOMPARE(name.first, first);
    QCOMPARE(name.last, last);
}

void NeoResponseTest::driftLogCountsAndCaps()
{
    DriftLog log(QStringLiteral("getCalendarEventData"));
    log.missing(QStringLiteral("email"));
    log.missing(QStringLiteral("email"));
    log.unknownField(QStringLiteral("colour"));
    log.missing(QStringLiteral("email"));
    QCOMPARE(log.warnings().size(), 2);
    QCOMPARE(log.warnings().at(0).occurrences, 3);
    QCOMPARE(log.warnings().at(0).toString(), QStringLiteral("getCalendarEventData email: missing (x3)"));
    QCOMPARE(log.warnings().at(1).toString(), QStringLiteral("getCalendarEventData colour: unknown field"));

    for (int i = 0; i < 500; ++i)
        log.unknownField(QStringLiteral("field%1").arg(i));
    const QList<DriftWarning> all = log.take();
    QCOMPARE(all.size(), DriftLog::kMaxDistinct + 1);
    QCOMPARE(all.last().field, QStringLiteral("*"));
    QCOMPARE(all.last().occurrences, 500 - (DriftLog::kMaxDistinct - 2));
    QVERIFY(log.warnings().isEmpty());
    log.missing(QStringLiteral("email")); // a fresh start after take()
    QCOMPARE(log.warnings().size(), 1);
    QCOMPARE(log.warnings().at(0).occurrences, 1);
}

void NeoResponseTest::driftSafeKeepsLogsClean_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "Awaiting Lab"
                           << "Awaiting Lab";
    QTest::newRow("new line") << "a\nb\r\x1b[31m"
                              << "a?b??[31m";
    QTest::newRow("bidi override") << "\u202Eevil"
                                   << "?evil";
    QTest::newRow("long") << QString(100, u'x') << QString(40, u'x') + QChar(0x2026);
    QTest::newRow("cut emoji") << QString(39, u'x') + QStringLiteral("\U0001F436")
                               << QString(39, u'x') + u'?' + QChar(0x2026);
}

void NeoResponseTest::driftSafeKeepsLogsClean()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(driftSafe(text), expected);
}
