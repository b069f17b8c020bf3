// Reconciliation of what a run built against the store (sync/core/reconciler.h): new, changed with the
// exact field paths, unchanged, removed only inside a window that was read, reappeared; never a removal
// by absence for consultations and discharge calls; deterministic output.

#include "sync/core/canonical_json.h"
#include "sync/core/reconciler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace odis::sync;

namespace {

QJsonObject object(const QByteArray& text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("test input is not a JSON object: %s", text.constData());
    return document.object();
}

// {"<key>": <payload>, ...}
QHash<QString, QJsonObject> builtItems(const QByteArray& text)
{
    QHash<QString, QJsonObject> out;
    const QJsonObject all = object(text);
    for (auto it = all.begin(); it != all.end(); ++it)
        out.insert(it.key(), it.value().toObject());
    return out;
}

StoredObservation observation(const QJsonObject& payload, bool removed, const QString& localDate)
{
    return StoredObservation{payloadVersion(payload), canonicalJson(payload), removed,
                             QDate::fromString(localDate, Qt::ISODate)};
}

// {"<key>": {"payload": {...}, "removed": bool, "local_date": "YYYY-MM-DD"}, ...}
QHash<QString, StoredObservation> storedItems(const QByteArray& text)
{
    QHash<QString, StoredObservation> out;
    const QJsonObject all = object(text);
    for (auto it = all.begin(); it != all.end(); ++it) {
        const QJsonObject row = it.value().toObject();
        out.insert(it.key(), observation(row.value(QStringLiteral("payload")).toObject(),
                                         row.value(QStringLiteral("removed")).toBool(),
                                         row.value(QStringLiteral("local_date")).toString()));
    }
    return out;
}

// "<key> <change> [path,path]" per item, in output order.
QStringList describe(const Reconciliation& result)
{
    QStringList out;
    for (const ReconciledItem& item : result.items) {
        QString line = item.key + u' ' + itemChangeName(item.change);
        if (!item.changedPaths.isEmpty())
            line += u" [" + item.changedPaths.join(u',') + u']';
        out.append(line);
    }
    return out;
}

const ReconcileWindow kWindow{QDate(2026, 3, 3), QDate(2026, 3, 11), true};

// Every stored key, as if the run had proven each absence (removal_proof.h decides that, not the reconciler).
QSet<QString> provenGone(const QHash<QString, StoredObservation>& stored)
{
    return QSet<QString>(stored.keyBegin(), stored.keyEnd());
}

} // namespace

class TstReconciler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classifies_data();
    void classifies();
    void removalNeedsProof();
    void removedFormComesFromTheStoredPayload();
    void outputIsWhatToStoreAndSend();
    void deterministic();
    void refusesInconsistentInput_data();
    void refusesInconsistentInput();
    void unchangedNeverParsesTheStoredPayload();
};

void TstReconciler::classifies_data()
{
    QTest::addColumn<QByteArray>("built");
    QTest::addColumn<QByteArray>("stored");
    QTest::addColumn<QStringList>("seenNotBuilt");
    QTest::addColumn<bool>("windowRead");
    QTest::addColumn<QStringList>("expected");

    const QByteArray none("{}");
    const QByteArray appointment1(R"({"appointment:1": {"neo_appointment_id": "1", "date": "2026-03-10",
        "status": "scheduled", "client": {"id": "3", "phone_e164": "+14152010001"}, "removed": false}})");
    const QByteArray stored1(
        R"({"appointment:1": {"local_date": "2026-03-10", "payload": {"neo_appointment_id": "1",
        "date": "2026-03-10", "status": "scheduled", "client": {"id": "3", "phone_e164": "+14152010001"},
        "removed": false}}})");
    const auto storedAppointment = [](const char* id, const char* date, bool removed = false) -> QByteArray {
        const QByteArray payload =
            QByteArray(R"({"neo_appointment_id":")") + id + R"(","date":")" + date + R"(","removed":)" +
            (removed ? "true,\"removed_reason\":\"removed_from_pims\"" : "false") + "}";
        return QByteArray(R"({"appointment:)") + id + R"(":{"local_date":")" + date + R"(","removed":)" +
               (removed ? "true" : "false") + R"(,"payload":)" + payload + "}}";
    };

    QTest::newRow("new") << appointment1 << none << QStringList() << true << QStringList{"appointment:1 new"};
    QTest::newRow("unchanged") << appointment1 << stored1 << QStringList() << true
                               << QStringList{"appointment:1 unchanged"};
    QTest::newRow("unchanged: other key order, 1.0 for 1")
        << QByteArray(R"({"consultation:7": {"products_services": [{"quantity": 1.0, "name": "Exam"}],
            "neo_consultation_id": "7", "neo_appointment_id": "1"}})")
        << QByteArray(
               R"({"consultation:7": {"payload": {"neo_appointment_id": "1", "neo_consultation_id": "7",
            "products_services": [{"name": "Exam", "quantity": 1}]}}})")
        << QStringList() << true << QStringList{"consultation:7 unchanged"};
    QTest::newRow("changed: status and a nested field")
        << QByteArray(
               R"({"appointment:1": {"neo_appointment_id": "1", "date": "2026-03-10", "status": "completed",
            "client": {"id": "3", "phone_e164": "+14152010002"}, "removed": false}})")
        << stored1 << QStringList() << true
        << QStringList{"appointment:1 changed [client.phone_e164,status]"};
    QTest::newRow("changed: an array is one value, added and dropped fields listed")
        << QByteArray(R"({"consultation:7": {"neo_consultation_id": "7", "has_notes": true,
            "products_services": [{"name": "Exam", "quantity": 2}], "providers": [], "notes_text": "a"}})")
        << QByteArray(R"({"consultation:7": {"payload": {"neo_consultation_id": "7", "notes_html": "",
            "products_services": [{"name": "Exam", "quantity": 1}], "providers": [], "notes_text": "a"}}})")
        << QStringList() << true
        << QStringList{"consultation:7 changed [has_notes,notes_html,products_services]"};
    QTest::newRow("changed: nested object replaced by null")
        << QByteArray(R"({"appointment:1": {"neo_appointment_id": "1", "patient": null}})")
        << QByteArray(R"({"appointment:1": {"local_date": "2026-03-10", "payload": {"neo_appointment_id": "1",
            "patient": {"id": "4", "species": null}}}})")
        << QStringList() << true << QStringList{"appointment:1 changed [patient]"};
    QTest::newRow("removed inside the window")
        << none << storedAppointment("2", "2026-03-10") << QStringList() << true
        << QStringList{"appointment:2 removed"};
    QTest::newRow("removed on the window's first day")
        << none << storedAppointment("2", "2026-03-03") << QStringList() << true
        << QStringList{"appointment:2 removed"};
    QTest::newRow("removed on the window's last day")
        << none << storedAppointment("2", "2026-03-11") << QStringList() << true
        << QStringList{"appointment:2 removed"};
    QTest::newRow("not removed: the day before the window")
        << none << storedAppointment("2", "2026-03-02") << QStringList() << true << QStringList();
    QTest::newRow("not removed: after the window")
        << none << storedAppointment("2", "2026-03-12") << QStringList() << true << QStringList();
    QTest::newRow("not removed: no visit date stored")
        << none << QByteArray(R"({"appointment:2": {"payload": {"neo_appointment_id": "2"}}})")
        << QStringList() << true << QStringList();
    QTest::newRow("not removed: the window read failed")
        << none << storedAppointment("2", "2026-03-10") << QStringList() << false << QStringList();
    QTest::newRow("not removed: returned but not buildable")
        << none << storedAppointment("2", "2026-03-10") << QStringList{"appointment:2"} << true
        << QStringList();
    QTest::newRow("not removed twice")
        << none << storedAppointment("2", "2026-03-10", true) << QStringList() << true << QStringList();
    QTest::newRow("reappeared")
        << QByteArray(
               R"({"appointment:2": {"neo_appointment_id": "2", "date": "2026-03-10", "removed": false}})")
        << storedAppointment("2", "2026-03-10", true) << QStringList() << true
        << QStringList{"appointment:2 reappeared [removed,removed_reason]"};
    QTest::newRow("reappeared even when the window read failed")
        << QByteArray(
               R"({"appointment:2": {"neo_appointment_id": "2", "date": "2026-03-10", "removed": false}})")
        << storedAppointment("2", "2026-03-10", true) << QStringList() << false
        << QStringList{"appointment:2 reappeared [removed,removed_reason]"};
    QTest::newRow("a consultation not read this run is not removed")
        << none
        << QByteArray(
               R"({"consultation:7": {"local_date": "2026-03-10", "payload": {"neo_consultation_id": "7"}}})")
        << QStringList() << true << QStringList();
    QTest::newRow("a discharge call not decided this run is not removed")
        << none
        << QByteArray(
               R"({"discharge_call:1": {"local_date": "2026-03-10", "payload": {"neo_appointment_id": "1"}}})")
        << QStringList() << true << QStringList();
    QTest::newRow("mixed run, ordered by kind then numeric id")
        << QByteArray(R"({"discharge_call:10": {"neo_appointment_id": "10"},
            "consultation:7": {"neo_consultation_id": "7"},
            "appointment:10": {"neo_appointment_id": "10", "date": "2026-03-10"},
            "appointment:9": {"neo_appointment_id": "9", "date": "2026-03-10"},
            "discharge_call:9": {"neo_appointment_id": "9"}})")
        << storedAppointment("100", "2026-03-05") << QStringList() << true
        << QStringList{"appointment:9 new",  "appointment:10 new",   "appointment:100 removed",
                       "consultation:7 new", "discharge_call:9 new", "discharge_call:10 new"};
}

void TstReconciler::classifies()
{
    QFETCH(QByteArray, built);
    QFETCH(QByteArray, stored);
    QFETCH(QStringList, seenNotBuilt);
    QFETCH(bool, windowRead);
    QFETCH(QStringList, expected);

    ReconcileInput input;
    input.built = builtItems(built);
    input.stored = storedItems(stored);
    input.seenNotBuilt = QSet<QString>(seenNotBuilt.cbegin(), seenNotBuilt.cend());
    input.window = kWindow;
    input.window.scheduleRead = windowRead;
    input.provenGone = provenGone(input.stored); // every absence proven here: removalNeedsProof() tests it

    const auto result = reconcile(input);
    QVERIFY2(result, result ? "" : qPrintable(result.error().toString()));
    QCOMPARE(describe(*result), expected);
}

// An appointment missing from the schedule is removed only when the run proved it gone (getAppointment,
// sync/core/removal_proof.h); merely missing, it stays as it is stored.
void TstReconciler::removalNeedsProof()
{
    ReconcileInput input;
    input.stored =
        storedItems(R"({"appointment:2": {"local_date": "2026-03-10", "payload": {"neo_appointment_id": "2"}},
        "appointment:3": {"local_date": "2026-03-10", "payload": {"neo_appointment_id": "3"}}})");
    input.window = kWindow;
    const auto unproven = reconcile(input);
    QVERIFY(unproven);
    QCOMPARE(unproven->count(ItemChange::Removed), 0);
    input.provenGone = {QStringLiteral("appointment:3")};
    const auto proven = reconcile(input);
    QVERIFY(proven);
    QCOMPARE(describe(*proven), QStringList{"appointment:3 removed"});
}

void TstReconciler::removedFormComesFromTheStoredPayload()
{
    const QJsonObject last =
        object(R"({"neo_appointment_id": "482913", "date": "2026-03-10", "status": "completed",
        "client": {"id": "30518", "phone_e164": "+14152013344"}, "removed": false})");
    ReconcileInput input;
    input.stored.insert(QStringLiteral("appointment:482913"),
                        observation(last, false, QStringLiteral("2026-03-10")));
    input.window = kWindow;
    input.provenGone = {QStringLiteral("appointment:482913")};

    const auto result = reconcile(input);
    QVERIFY(result);
    QCOMPARE(result->items.size(), 1);
    const ReconciledItem& item = result->items.first();
    QCOMPARE(item.change, ItemChange::Removed);
    QCOMPARE(item.kind, ItemKind::Appointment);
    QVERIFY(item.removed);
    QCOMPARE(item.localDate, QDate(2026, 3, 10));
    QJsonObject expected = last;
    expected.insert(QStringLiteral("removed"), true);
    expected.insert(QStringLiteral("removed_reason"), QStringLiteral("removed_from_pims"));
    QCOMPARE(item.payload, expected);
    QCOMPARE(item.canonical, canonicalJson(expected));
    QCOMPARE(item.version, payloadVersion(expected));
    QVERIFY(item.needsUpload());
}

void TstReconciler::outputIsWhatToStoreAndSend()
{
    const QJsonObject same = object(R"({"neo_appointment_id": "1", "date": "2026-03-09"})");
    const QJsonObject back = object(R"({"neo_appointment_id": "2", "date": "2026-03-10", "removed": false})");
    ReconcileInput input;
    input.built.insert(QStringLiteral("appointment:1"), same);
    input.built.insert(QStringLiteral("appointment:2"), back);
    input.built.insert(QStringLiteral("consultation:7"), object(R"({"neo_consultation_id": "7"})"));
    input.stored.insert(QStringLiteral("appointment:1"),
                        observation(same, false, QStringLiteral("2026-03-09")));
    input.stored.insert(QStringLiteral("appointment:2"),
                        observation(object(R"({"neo_appointment_id": "2", "removed": true})"), true,
                                    QStringLiteral("2026-03-10")));
    input.window = kWindow;

    const auto result = reconcile(input);
    QVERIFY(result);
    QCOMPARE(describe(*result),
             (QStringList{"appointment:1 unchanged", "appointment:2 reappeared [date,removed]",
                          "consultation:7 new"}));
    for (const ReconciledItem& item : result->items) {
        QCOMPARE(item.needsUpload(), item.change != ItemChange::Unchanged);
        QCOMPARE(item.canonical, canonicalJson(item.payload));
        QCOMPARE(item.version, sha256Hex(item.canonical));
        QVERIFY(!item.removed);
    }
    QCOMPARE(result->items.at(0).localDate, QDate(2026, 3, 9));
    QCOMPARE(result->items.at(1).localDate, QDate(2026, 3, 10));
    QVERIFY(!result->items.at(2).localDate.isValid());
    QCOMPARE(result->count(ItemChange::Unchanged), 1);
    QCOMPARE(result->count(ItemChange::Reappeared), 1);
    QCOMPARE(result->count(ItemChange::New), 1);
    QCOMPARE(result->count(ItemChange::Removed), 0);
}

void TstReconciler::deterministic()
{
    // A few hundred items of every kind and outcome, inserted in two different orders.
    QRandomGenerator random(20260310);
    QList<std::pair<QString, QJsonObject>> built;
    QList<std::pair<QString, StoredObservation>> stored;
    for (int i = 1; i <= 300; ++i) {
        const QString id = QString::number(i * 1000 + random.bounded(1000)); // unique, scattered
        const QString date = QDate(2026, 3, 1).addDays(random.bounded(0, 14)).toString(Qt::ISODate);
        const QJsonObject payload{{QStringLiteral("neo_appointment_id"), id},
                                  {QStringLiteral("date"), date},
                                  {QStringLiteral("status"), random.bounded(2)
                                                                 ? QStringLiteral("completed")
                                                                 : QStringLiteral("scheduled")}};
        const int fate = random.bounded(5);
        if (fate != 0) // 0: stored only (removed or outside the window)
            built.append({QStringLiteral("appointment:") + id, payload});
        if (fate != 1) { // 1: new
            QJsonObject before = payload;
            if (fate == 2)
                before.insert(QStringLiteral("status"), QStringLiteral("no_show"));
            stored.append({QStringLiteral("appointment:") + id, observation(before, fate == 3, date)});
        }
        if (fate == 4)
            built.append({QStringLiteral("discharge_call:") + id,
                          QJsonObject{{QStringLiteral("neo_appointment_id"), id}}});
    }

    const auto run = [&](bool reversed) {
        ReconcileInput input;
        input.window = kWindow;
        const auto fill = [&](auto list, auto& target) {
            if (reversed)
                std::reverse(list.begin(), list.end());
            for (const auto& [key, value] : list)
                target.insert(key, value);
        };
        fill(built, input.built);
        fill(stored, input.stored);
        input.provenGone = provenGone(input.stored);
        return reconcile(input);
    };
    const auto first = run(false);
    const auto second = run(true);
    QVERIFY(first && second);
    QVERIFY(first->items.size() > 100);
    QCOMPARE(describe(*first), describe(*second));
    for (qsizetype i = 0; i < first->items.size(); ++i) {
        QCOMPARE(first->items.at(i).version, second->items.at(i).version);
        QCOMPARE(first->items.at(i).canonical, second->items.at(i).canonical);
    }
    QVERIFY(first->count(ItemChange::Removed) > 0);
    QVERIFY(first->count(ItemChange::Changed) > 0);
    QVERIFY(first->count(ItemChange::Reappeared) > 0);
}

void TstReconciler::refusesInconsistentInput_data()
{
    QTest::addColumn<QByteArray>("built");
    QTest::addColumn<QByteArray>("stored"); // canonical payload text of appointment:1, "" for none
    QTest::addColumn<QString>("code");

    QTest::newRow("key of no known kind") << QByteArray(R"({"patient:4": {"neo_appointment_id": "4"}})")
                                          << QByteArray() << "reconcile_input_invalid";
    QTest::newRow("key without an id") << QByteArray(R"({"appointment:": {"neo_appointment_id": ""}})")
                                       << QByteArray() << "reconcile_input_invalid";
    QTest::newRow("payload of another appointment")
        << QByteArray(R"({"appointment:1": {"neo_appointment_id": "2"}})") << QByteArray()
        << "reconcile_input_invalid";
    QTest::newRow("consultation keyed by its appointment")
        << QByteArray(R"({"consultation:1": {"neo_appointment_id": "1", "neo_consultation_id": "7"}})")
        << QByteArray() << "reconcile_input_invalid";
    QTest::newRow("changed, stored payload unreadable")
        << QByteArray(R"({"appointment:1": {"neo_appointment_id": "1"}})")
        << QByteArray("{\"neo_appointment_id\":") << "observation_payload_invalid";
    QTest::newRow("removed, stored payload not an object")
        << QByteArray("{}") << QByteArray("[1]") << "observation_payload_invalid";
}

void TstReconciler::refusesInconsistentInput()
{
    QFETCH(QByteArray, built);
    QFETCH(QByteArray, stored);
    QFETCH(QString, code);

    ReconcileInput input;
    input.built = builtItems(built);
    if (!stored.isEmpty())
        input.stored.insert(QStringLiteral("appointment:1"),
                            StoredObservation{QString(64, u'0'), stored, false, QDate(2026, 3, 10)});
    input.window = kWindow;
    input.provenGone = provenGone(input.stored);
    const auto result = reconcile(input);
    QVERIFY(!result);
    QCOMPARE(result.error().code, code);
}

void TstReconciler::unchangedNeverParsesTheStoredPayload()
{
    // Versions decide; the stored text is read only to describe a change or build a removal.
    const QJsonObject payload = object(R"({"neo_appointment_id": "1"})");
    ReconcileInput input;
    input.built.insert(QStringLiteral("appointment:1"), payload);
    input.stored.insert(
        QStringLiteral("appointment:1"),
        StoredObservation{payloadVersion(payload), QByteArray("not json"), false, QDate(2026, 3, 10)});
    input.window = kWindow;
    const auto result = reconcile(input);
    QVERIFY(result);
    QCOMPARE(describe(*result), QStringList{"appointment:1 unchanged"});
}

QTEST_GUILESS_MAIN(TstReconciler)
#include "tst_reconciler.moc"
