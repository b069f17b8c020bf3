// The selector profile of the DOM fallback (sync/core/selector_profile.h): the built-in profile loads,
// a field team's file replaces it, and every malformed profile is refused with the JSON path of its
// first fault, never half-used.

#include "sync/core/selector_profile.h"
#include "sync/neo/selector_profile_source.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace odis::sync;

namespace {

QJsonObject builtInJson()
{
    QFile file{QString(kBuiltInSelectorProfile)};
    if (!file.open(QIODevice::ReadOnly)) {
        qFatal("the built-in selector profile is not in the resources");
    }
    return QJsonDocument::fromJson(file.readAll()).object();
}

// Sets (or with an undefined value removes) the value at a dotted path with [n] indexes.
QJsonValue withValue(const QJsonValue& node, QStringList path, const QJsonValue& value)
{
    if (path.isEmpty()) {
        return value;
    }
    const QString head = path.takeFirst();
    static const QRegularExpression indexed(QStringLiteral("^(.*)\\[(\\d+)\\]$"));
    const auto match = indexed.match(head);
    const QString key = match.hasMatch() ? match.captured(1) : head;
    QJsonObject object = node.toObject();
    if (!match.hasMatch()) {
        const QJsonValue child = withValue(object.value(key), path, value);
        if (child.isUndefined()) {
            object.remove(key);
        } else {
            object.insert(key, child);
        }
        return object;
    }
    QJsonArray array = object.value(key).toArray();
    const int index = match.captured(2).toInt();
    array.replace(index, withValue(array.at(index), path, value));
    object.insert(key, array);
    return object;
}

QByteArray mutated(const QString& path, const QJsonValue& value)
{
    return QJsonDocument(withValue(builtInJson(), path.split(QLatin1Char('.')), value).toObject()).toJson();
}

QJsonValue json(const char* text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

} // namespace

class TstSelectorProfile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtInProfileLoads()
    {
        const auto profile = loadSelectorProfile();
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().toString()));
        QCOMPARE(profile->testIdAttribute, QStringLiteral("data-testid"));
        QCOMPARE(profile->schedulePath(QDate(2026, 3, 10)), QStringLiteral("/schedule?date=2026-03-10"));
        QCOMPARE(profile->consultationPath(QStringLiteral("771204")),
                 QStringLiteral("/consultations/771204/details"));
        const FieldRule& patient = profile->schedule.fields.value(QString(dom_field::kPatientName));
        // A test id first, then a name or id, then a class, then a label's text.
        QCOMPARE(patient.selectors.size(), 4);
        QCOMPARE(patient.selectors.at(0), (Selector{SelectorKind::TestId, QStringLiteral("patient-name")}));
        QCOMPARE(patient.selectors.at(1).kind, SelectorKind::NameId);
        QCOMPARE(patient.selectors.at(2).kind, SelectorKind::Class);
        QCOMPARE(patient.selectors.at(3), (Selector{SelectorKind::Text, QStringLiteral("Patient")}));
        const FieldRule& start = profile->schedule.fields.value(QString(dom_field::kStart));
        QCOMPARE(start.read, ReadAs::Attribute);
        QCOMPARE(start.attributes, QStringList{QStringLiteral("datetime")});
        QCOMPARE(start.pick, QStringLiteral("time"));
        QCOMPARE(profile->schedule.fields.value(QString(dom_field::kEnd)).index, 1);
        QCOMPARE(profile->consultation.fields.value(QString(dom_field::kNotes)).read, ReadAs::Html);
        QVERIFY(profile->consultation.lists.contains(QString(dom_field::kProductLines)));
    }

    void fileReplacesTheBuiltInProfile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("field-fix.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(mutated(QStringLiteral("pages.schedule.root[0].value"), QStringLiteral("bookings-grid")));
        file.close();
        const auto profile = loadSelectorProfile(path);
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().toString()));
        QCOMPARE(profile->schedule.root.first().value, QStringLiteral("bookings-grid"));

        const auto missing = loadSelectorProfile(dir.filePath(QStringLiteral("absent.json")));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, QString(kSelectorProfileUnreadable));

        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(mutated(QStringLiteral("format"), 2));
        file.close();
        const auto invalid = loadSelectorProfile(path);
        QVERIFY(!invalid);
        QCOMPARE(invalid.error().code, QString(kSelectorProfileInvalid));
        QVERIFY2(invalid.error().message.startsWith(path), qPrintable(invalid.error().message));
    }

    void malformedProfilesAreRefused_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QJsonValue>("value"); // undefined: the key is removed
        QTest::addColumn<QString>("where");    // the start of the error message

        const QJsonValue removed(QJsonValue::Undefined);
        QTest::newRow("unknown format") << "format" << QJsonValue(2) << "format";
        QTest::newRow("no name") << "name" << removed << "(profile).name";
        QTest::newRow("unknown top-level key") << "comment" << QJsonValue(QStringLiteral("x")) << "(profile)";
        QTest::newRow("no pages") << "pages" << removed << "pages";
        QTest::newRow("unknown page") << "pages.billing" << json("{}") << "pages";
        QTest::newRow("no consultation page") << "pages.consultation" << removed << "pages.consultation";
        QTest::newRow("unknown selector kind")
            << "pages.schedule.fields.start.selectors[1].kind" << QJsonValue(QStringLiteral("xpath"))
            << "pages.schedule.fields.start.selectors[1].kind";
        QTest::newRow("selector without value")
            << "pages.schedule.fields.status.selectors[0].value" << removed
            << "pages.schedule.fields.status.selectors[0].value";
        QTest::newRow("test id with a quote")
            << "pages.schedule.fields.status.selectors[0].value" << QJsonValue(QStringLiteral("a\"]"))
            << "pages.schedule.fields.status.selectors[0].value";
        QTest::newRow("class that is no CSS class")
            << "pages.schedule.root[2].value" << QJsonValue(QStringLiteral("9 lives"))
            << "pages.schedule.root[2].value";
        QTest::newRow("self with a value")
            << "pages.schedule.fields.room.selectors[0].value" << QJsonValue(QStringLiteral("x"))
            << "pages.schedule.fields.room.selectors[0].value";
        QTest::newRow("empty selector list") << "pages.schedule.rows" << json("[]") << "pages.schedule.rows";
        QTest::newRow("unknown field")
            << "pages.schedule.fields.weight" << json("{\"selectors\":[{\"kind\":\"self\"}]}")
            << "pages.schedule.fields";
        QTest::newRow("required field missing")
            << "pages.schedule.fields.appointment_id" << removed << "pages.schedule.fields";
        QTest::newRow("notes missing")
            << "pages.consultation.fields.notes" << removed << "pages.consultation.fields";
        QTest::newRow("unknown read")
            << "pages.consultation.fields.notes.read" << QJsonValue(QStringLiteral("markdown"))
            << "pages.consultation.fields.notes.read";
        QTest::newRow("attribute read without names")
            << "pages.schedule.fields.room.attributes" << removed << "pages.schedule.fields.room.attributes";
        QTest::newRow("attributes on a text read")
            << "pages.schedule.fields.status.attributes" << json("[\"title\"]")
            << "pages.schedule.fields.status.attributes";
        QTest::newRow("index without pick")
            << "pages.schedule.fields.status.index" << QJsonValue(1) << "pages.schedule.fields.status.index";
        QTest::newRow("negative index")
            << "pages.schedule.fields.end.index" << QJsonValue(-1) << "pages.schedule.fields.end.index";
        QTest::newRow("path without placeholder")
            << "pages.schedule.path" << QJsonValue(QStringLiteral("/schedule")) << "pages.schedule.path";
        QTest::newRow("path to another host")
            << "pages.consultation.path" << QJsonValue(QStringLiteral("//evil.example/{id}"))
            << "pages.consultation.path";
        QTest::newRow("rows on the consultation page")
            << "pages.consultation.rows" << json("[{\"kind\":\"self\"}]") << "pages.consultation";
        QTest::newRow("no product lines")
            << "pages.consultation.lists" << removed << "pages.consultation.lists";
        QTest::newRow("product line without name")
            << "pages.consultation.lists.product_lines.fields.name" << removed
            << "pages.consultation.lists.product_lines.fields";
        QTest::newRow("bad test id attribute")
            << "test_id_attribute" << QJsonValue(QStringLiteral("data qa")) << "test_id_attribute";
    }

    void malformedProfilesAreRefused()
    {
        QFETCH(QString, path);
        QFETCH(QJsonValue, value);
        QFETCH(QString, where);
        const auto profile = parseSelectorProfile(mutated(path, value));
        QVERIFY(!profile);
        QCOMPARE(profile.error().code, QString(kSelectorProfileInvalid));
        QVERIFY2(profile.error().message.startsWith(where + QLatin1Char(':')),
                 qPrintable(profile.error().message));
    }

    void notJson()
    {
        for (const QByteArray& text : {QByteArray("{\"format\": 1,"), QByteArray("[]"), QByteArray("")}) {
            const auto profile = parseSelectorProfile(text);
            QVERIFY(!profile);
            QCOMPARE(profile.error().code, QString(kSelectorProfileInvalid));
        }
    }

    void scriptArgsTurnSelectorsIntoQueries()
    {
        const auto profile = loadSelectorProfile();
        QVERIFY(profile);
        const QJsonObject args = domScriptArgs(*profile, profile->schedule, 1500);
        QCOMPARE(args.value(QStringLiteral("settleMs")).toInt(), 1500);
        QCOMPARE(args.value(QStringLiteral("root"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("css"))
                     .toString(),
                 QStringLiteral("[data-testid=\"schedule-table\"]"));
        QJsonObject patient;
        for (const QJsonValue field : args.value(QStringLiteral("fields")).toArray()) {
            if (field.toObject().value(QStringLiteral("name")) == QStringLiteral("patient_name")) {
                patient = field.toObject();
            }
        }
        const QJsonArray queries = patient.value(QStringLiteral("queries")).toArray();
        QCOMPARE(queries.size(), 4);
        QCOMPARE(queries.at(1).toObject().value(QStringLiteral("css")).toString(),
                 QStringLiteral("[name=\"patient-name\"], [id=\"patient-name\"], [id$=\"-patient-name\"]"));
        QCOMPARE(queries.at(2).toObject().value(QStringLiteral("css")).toString(),
                 QStringLiteral(".patient-name"));
        QCOMPARE(queries.at(3).toObject().value(QStringLiteral("label")).toString(),
                 QStringLiteral("Patient"));
        QCOMPARE(patient.value(QStringLiteral("read")).toString(), QStringLiteral("text"));

        const QJsonObject consultation = domScriptArgs(*profile, profile->consultation, 0);
        QVERIFY(consultation.value(QStringLiteral("rows")).toArray().isEmpty());
        QCOMPARE(consultation.value(QStringLiteral("lists"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("name")),
                 QJsonValue(QStringLiteral("product_lines")));
    }
};

QTEST_GUILESS_MAIN(TstSelectorProfile)
#include "tst_selector_profile.moc"
