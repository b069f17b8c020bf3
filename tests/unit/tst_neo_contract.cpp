// The contract with Neo (sync/core/neo_contract.h), generated from its own table: for every field the
// agent reads, of every endpoint and shape, dropping it, renaming it and changing its type in a valid
// answer makes the parser refuse the answer (neo_layout_changed, the field's path in the check) when the
// field is required, and leaves an optional field's absence as absence (never a violation, never a value).
// A value over its maximum or of invalid UTF-8 refuses its item, never the answer. docs/idexx-neo.md holds
// the same table, row for row. The answers are changed with the simulator's own JSON mutations
// (tests/sim/common/json_mutation.h), the ones the end-to-end fault tests serve.

#include "sync/core/neo_appointment_parser.h"
#include "sync/core/neo_consultation_parser.h"
#include "sync/core/neo_contract.h"
#include "sync/core/neo_extraction_errors.h"
#include "sync/core/neo_schedule_parser.h"
#include "tests/sim/common/json_mutation.h"
#include "tests/support/fixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace odis;
using namespace odis::sync;

Q_DECLARE_METATYPE(NeoShapeId)

namespace {

NeoResponse response(QByteArray body, bool invalidUtf8 = false)
{
    NeoResponse r{200, QByteArrayLiteral("application/json"), std::move(body), {}};
    r.invalidUtf8 = invalidUtf8;
    return r;
}

// A valid answer of each shape holding every field the table reads (the consultation fixture gains the
// optional consultationNotes it lacks), and where its fields sit ("[]." for the schedule's bare array).
struct ShapeFixture
{
    QByteArray body;
    QString prefix;
    QString requestedId;
};

ShapeFixture fixtureFor(NeoShapeId shape)
{
    switch (shape) {
    case NeoShapeId::ScheduleCurrent:
        return {test::readFixture(QStringLiteral("neo/schedule_current.json")), QStringLiteral("[]."), {}};
    case NeoShapeId::ScheduleOlder:
        return {test::readFixture(QStringLiteral("neo/schedule_older_events.json")),
                QStringLiteral("events[]."),
                {}};
    case NeoShapeId::ConsultationCurrent: {
        QJsonObject root =
            QJsonDocument::fromJson(test::readFixture(QStringLiteral("neo/consultation_current.json")))
                .object();
        root.insert(QStringLiteral("consultationNotes"),
                    QJsonObject{{QStringLiteral("notes"), QStringLiteral("<p>Rest for two days.</p>")}});
        return {QJsonDocument(root).toJson(QJsonDocument::Compact), {}, QStringLiteral("731204")};
    }
    case NeoShapeId::ConsultationOlder:
        return {
            test::readFixture(QStringLiteral("neo/consultation_older.json")), {}, QStringLiteral("731206")};
    case NeoShapeId::Appointment:
        return {
            test::readFixture(QStringLiteral("neo/appointment_detail.json")), {}, QStringLiteral("482916")};
    }
    return {};
}

struct Outcome
{
    std::optional<Error> error;
    NeoAnswerCheck check;
};

Outcome parse(NeoShapeId shape, const NeoResponse& r, const QString& requestedId)
{
    Outcome out;
    const auto keep = [&](const auto& parsed) {
        if (!parsed)
            out.error = parsed.error();
    };
    switch (shape) {
    case NeoShapeId::ScheduleCurrent:
    case NeoShapeId::ScheduleOlder:
        keep(parseNeoSchedule(r, &out.check));
        break;
    case NeoShapeId::ConsultationCurrent:
    case NeoShapeId::ConsultationOlder:
        keep(parseNeoConsultation(r, requestedId, &out.check));
        break;
    case NeoShapeId::Appointment:
        keep(parseNeoAppointment(r, requestedId, &out.check));
        break;
    }
    return out;
}

QByteArray mutated(QByteArray body, const QJsonObject& mutation)
{
    auto m = sim::JsonMutation::fromJson(mutation);
    if (!m)
        qFatal("bad mutation: %s", qPrintable(m.error().message));
    const int changed = sim::mutateJsonBody(body, {*m}, {}, 0);
    if (changed == 0)
        qFatal("the fixture has no %s", qPrintable(mutation.value(QStringLiteral("path")).toString()));
    return body;
}

// A JSON type the field does not allow.
QString foreignType(quint8 types)
{
    const QList<QPair<quint8, QString>> candidates{{json_type::kObject, QStringLiteral("object")},
                                                   {json_type::kArray, QStringLiteral("array")},
                                                   {json_type::kBool, QStringLiteral("boolean")},
                                                   {json_type::kNumber, QStringLiteral("number")},
                                                   {json_type::kString, QStringLiteral("string")}};
    for (const auto& [bit, name] : candidates) {
        if ((types & bit) == 0)
            return name;
    }
    return {};
}

// Containers whose absence or type decides the shape itself: changing them leaves no known shape.
bool definesShape(NeoShapeId shape, const QString& path)
{
    return (shape == NeoShapeId::ConsultationCurrent && path == u"consultation") ||
           (shape == NeoShapeId::ConsultationOlder &&
            (path == u"pageData" || path == u"pageData.consultation")) ||
           (shape == NeoShapeId::Appointment && path == u"appointment");
}

bool hasViolation(const NeoAnswerCheck& check, const QString& field, const QString& detail)
{
    return std::ranges::any_of(check.violations, [&](const DriftWarning& w) {
        return w.field == field && w.detail.contains(detail);
    });
}

QByteArray describe(const Outcome& o)
{
    QStringList lines{o.error ? o.error->toString() : QStringLiteral("(parsed)")};
    for (const DriftWarning& w : o.check.violations)
        lines << w.toString();
    return lines.join(QStringLiteral("\n  ")).toUtf8();
}

} // namespace

class TstNeoContract : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixturesAreValid_data();
    void fixturesAreValid();
    void everyFieldChanged_data();
    void everyFieldChanged();
    void unknownWrapperIsRefused();
    void tooLongRefusesTheItemNotTheAnswer_data();
    void tooLongRefusesTheItemNotTheAnswer();
    void invalidUtf8RefusesTheItem();
    void replacementCharacterAloneIsText();
    void blocksMayLeaveVisitFieldsOut();
    void docsMirrorTheTable();
};

void TstNeoContract::fixturesAreValid_data()
{
    QTest::addColumn<NeoShapeId>("shape");
    for (const NeoShapeContract& c : neoContract())
        QTest::newRow(qPrintable(shapeLabel(c))) << c.id;
}

void TstNeoContract::fixturesAreValid()
{
    QFETCH(NeoShapeId, shape);
    const ShapeFixture f = fixtureFor(shape);
    const Outcome o = parse(shape, response(f.body), f.requestedId);
    QVERIFY2(!o.error, describe(o).constData());
    QCOMPARE(o.check.shape, shape);
}

void TstNeoContract::everyFieldChanged_data()
{
    QTest::addColumn<NeoShapeId>("shape");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonObject>("mutation");
    QTest::addColumn<bool>("refused");
    QTest::addColumn<QString>("detail");
    int rows = 0;
    for (const NeoShapeContract& c : neoContract()) {
        const QString prefix = fixtureFor(c.id).prefix;
        for (const NeoFieldSpec& spec : c.fields) {
            if (spec.need == FieldNeed::Ignored)
                continue;
            const QString field(spec.path);
            const QString path = prefix + field;
            const bool required = spec.need != FieldNeed::Optional;
            const QString name = shapeLabel(c) + u' ' + field;
            QTest::newRow(qPrintable(name + QStringLiteral(" dropped")))
                << c.id << field << QJsonObject{{"op", "drop"}, {"path", path}} << required
                << QStringLiteral("missing");
            QTest::newRow(qPrintable(name + QStringLiteral(" renamed")))
                << c.id << field << QJsonObject{{"op", "rename"}, {"path", path}} << required
                << QStringLiteral("missing");
            QTest::newRow(qPrintable(name + QStringLiteral(" retyped")))
                << c.id << field
                << QJsonObject{{"op", "retype"}, {"path", path}, {"to", foreignType(spec.types)}} << true
                << QStringLiteral("instead of");
            ++rows;
        }
    }
    QVERIFY(rows > 70); // every read field of five shapes
}

void TstNeoContract::everyFieldChanged()
{
    QFETCH(NeoShapeId, shape);
    QFETCH(QString, field);
    QFETCH(QJsonObject, mutation);
    QFETCH(bool, refused);
    QFETCH(QString, detail);
    const ShapeFixture f = fixtureFor(shape);
    const Outcome o = parse(shape, response(mutated(f.body, mutation)), f.requestedId);
    if (!refused) {
        // An optional field left out: absent, not empty, and not a reason to refuse the answer.
        QVERIFY2(!o.error, describe(o).constData());
        QCOMPARE(o.check.optionalPresent.value(field), 0);
        QVERIFY(o.check.optionalChecked.value(field) > 0);
        return;
    }
    QVERIFY2(o.error, "the answer was taken");
    QCOMPARE(o.error->code, QString(neo_extraction_error::kLayoutChanged));
    if (definesShape(shape, field)) {
        QVERIFY2(!o.check.shape || hasViolation(o.check, field, detail), describe(o).constData());
        return;
    }
    QVERIFY2(hasViolation(o.check, field, detail), describe(o).constData());
    QVERIFY2(o.error->message.contains(field), qPrintable(o.error->message)); // the path, for the log
}

void TstNeoContract::unknownWrapperIsRefused()
{
    for (const NeoShapeContract& c : neoContract()) {
        const ShapeFixture f = fixtureFor(c.id);
        QByteArray body = f.body;
        QVERIFY(sim::mutateJsonBody(body, {}, QStringLiteral("result"), 0) == 1);
        const Outcome o = parse(c.id, response(body), f.requestedId);
        QVERIFY2(o.error, qPrintable(shapeLabel(c)));
        QCOMPARE(o.error->code, QString(neo_extraction_error::kLayoutChanged));
        QVERIFY2(o.error->message.contains(u"no known shape"), qPrintable(o.error->message));
    }
}

void TstNeoContract::tooLongRefusesTheItemNotTheAnswer_data()
{
    QTest::addColumn<NeoShapeId>("shape");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("length");
    QTest::newRow("schedule phone") << NeoShapeId::ScheduleCurrent << QStringLiteral("[].phone_number") << 65;
    QTest::newRow("schedule reason") << NeoShapeId::ScheduleCurrent << QStringLiteral("[].reason") << 2001;
    QTest::newRow("older title") << NeoShapeId::ScheduleOlder << QStringLiteral("events[].title") << 501;
    QTest::newRow("2 MB note") << NeoShapeId::ConsultationCurrent << QStringLiteral("consultation.notes")
                               << 2'000'000;
    QTest::newRow("mobile phone") << NeoShapeId::Appointment
                                  << QStringLiteral("appointment.patient.client.mobilePhone") << 65;
}

void TstNeoContract::tooLongRefusesTheItemNotTheAnswer()
{
    QFETCH(NeoShapeId, shape);
    QFETCH(QString, path);
    QFETCH(int, length);
    const ShapeFixture f = fixtureFor(shape);
    const bool rows = shape == NeoShapeId::ScheduleCurrent || shape == NeoShapeId::ScheduleOlder;
    const QJsonObject some{
        {"op", "oversize"}, {"path", path}, {"length", length}, {"rows", rows ? "some" : "all"}};
    const NeoResponse r = response(mutated(f.body, some));
    if (shape == NeoShapeId::ScheduleCurrent || shape == NeoShapeId::ScheduleOlder) {
        NeoAnswerCheck check;
        const auto parsed = parseNeoSchedule(r, &check);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().toString()));
        QVERIFY(!parsed->value.refusedIds.isEmpty());
        QVERIFY(!parsed->value.events.isEmpty()); // the other rows are read
        for (const NeoScheduleEvent& e : parsed->value.events) {
            QVERIFY(!parsed->value.refusedIds.contains(e.appointmentId));
            QVERIFY(e.phoneRaw.size() <= 64 && e.reason.size() <= 2000 && e.title.size() <= 500); // never cut
        }
        QCOMPARE(check.refusals.first().code, QString(neo_refusal::kValueTooLong));
        return;
    }
    const Outcome o = parse(shape, r, f.requestedId);
    QVERIFY(o.error);
    QCOMPARE(o.error->code, QString(neo_refusal::kValueTooLong));
    QVERIFY(o.error->message.contains(path));
    QVERIFY(o.check.violations.isEmpty()); // the answer is valid; this item is refused
}

void TstNeoContract::invalidUtf8RefusesTheItem()
{
    const ShapeFixture f = fixtureFor(NeoShapeId::ConsultationCurrent);
    QByteArray body = mutated(f.body, QJsonObject{{"op", "invalid_utf8"}, {"path", "consultation.notes"}});
    // As the page decodes it: U+FFFD in place of the bad bytes, and the flag.
    const QString decoded = QString::fromUtf8(body);
    QVERIFY(decoded.contains(QChar(0xFFFD)));
    const Outcome o = parse(NeoShapeId::ConsultationCurrent, response(decoded.toUtf8(), true), f.requestedId);
    QVERIFY(o.error);
    QCOMPARE(o.error->code, QString(neo_refusal::kInvalidUtf8));
    QVERIFY(o.error->message.contains(u"consultation.notes"));
}

void TstNeoContract::replacementCharacterAloneIsText()
{
    // U+FFFD that Neo really sent (valid UTF-8, no flag) is a character like any other.
    QJsonObject root = QJsonDocument::fromJson(fixtureFor(NeoShapeId::ConsultationCurrent).body).object();
    QJsonObject c = root.value(QStringLiteral("consultation")).toObject();
    c.insert(QStringLiteral("reason"), QStringLiteral("Lump \uFFFD check"));
    root.insert(QStringLiteral("consultation"), c);
    const auto parsed = parseNeoConsultation(response(QJsonDocument(root).toJson()), u"731204");
    QVERIFY(parsed);
    QCOMPARE(parsed->value.reason, QStringLiteral("Lump \uFFFD check"));
}

void TstNeoContract::blocksMayLeaveVisitFieldsOut()
{
    const QJsonArray rows{QJsonObject{{"id", 9001},
                                      {"appointment_id", 9001},
                                      {"consultation_id", QJsonValue()},
                                      {"start", "2026-03-10 11:00:00"},
                                      {"end", "2026-03-10 14:00:00"},
                                      {"provider", "Dr Chen"},
                                      {"resourceId", "9"},
                                      {"title", "Dr out 11:00am-2:00pm"},
                                      {"is_block", true},
                                      {"is_roster", false}}};
    NeoAnswerCheck check;
    const auto parsed = parseNeoSchedule(response(QJsonDocument(rows).toJson()), &check);
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().toString()));
    QCOMPARE(parsed->value.events.size(), 1);
    QVERIFY(parsed->value.events.first().isBlock);

    QJsonObject visit = rows.first().toObject();
    visit.insert(QStringLiteral("is_block"), false);
    const auto refused = parseNeoSchedule(response(QJsonDocument(QJsonArray{visit}).toJson()), &check);
    QVERIFY(!refused);
    QVERIFY(hasViolation(check, QStringLiteral("patient_name"), QStringLiteral("missing")));
}

namespace {

// One row of the docs' table as the code's table says it should read.
QString documentedRow(const NeoShapeContract& c, const NeoFieldSpec& spec)
{
    static const QHash<FieldNeed, QString> needs{{FieldNeed::Required, QStringLiteral("required")},
                                                 {FieldNeed::VisitRequired, QStringLiteral("visits")},
                                                 {FieldNeed::Optional, QStringLiteral("optional")},
                                                 {FieldNeed::Ignored, QStringLiteral("not read")}};
    static const QHash<FieldFormat, QString> forms{
        {FieldFormat::Any, QString()},
        {FieldFormat::Text, QStringLiteral("text")},
        {FieldFormat::Id, QStringLiteral("id")},
        {FieldFormat::Key, QStringLiteral("key")},
        {FieldFormat::LocalDateTime, QStringLiteral("local date-time")},
        {FieldFormat::LocalDate, QStringLiteral("local date or date-time")},
        {FieldFormat::Flag, QStringLiteral("flag")},
        {FieldFormat::Quantity, QStringLiteral("quantity")}};
    const bool ignored = spec.need == FieldNeed::Ignored;
    const QString types =
        ignored ? QString() : jsonTypesText(spec.types).replace(QStringLiteral(" or "), QStringLiteral(", "));
    const QStringList cells{QString(c.endpoint),
                            QString(c.shape),
                            u'`' + QString(spec.path) + u'`',
                            needs.value(spec.need),
                            types,
                            ignored ? QString() : forms.value(spec.format),
                            spec.maxLength > 0 ? QString::number(spec.maxLength) : QString()};
    return QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |");
}

} // namespace

void TstNeoContract::docsMirrorTheTable()
{
    QFile doc(QString::fromLocal8Bit(qgetenv("ODIS_SOURCE_DIR")) + QStringLiteral("/docs/idexx-neo.md"));
    QVERIFY2(doc.open(QIODevice::ReadOnly), qPrintable(doc.fileName()));
    QStringList documented;
    for (const QString& line : QString::fromUtf8(doc.readAll()).split(u'\n')) {
        if (line.startsWith(QStringLiteral("| getCalendarEventData |")) ||
            line.startsWith(QStringLiteral("| page-data |")) ||
            line.startsWith(QStringLiteral("| getAppointment |")))
            documented << line;
    }
    QStringList coded;
    for (const NeoShapeContract& c : neoContract()) {
        for (const NeoFieldSpec& spec : c.fields)
            coded << documentedRow(c, spec);
    }
    QCOMPARE(documented.size(), coded.size());
    for (qsizetype i = 0; i < coded.size(); ++i)
        QCOMPARE(documented.at(i), coded.at(i));
}

QTEST_APPLESS_MAIN(TstNeoContract)
#include "tst_neo_contract.moc"
