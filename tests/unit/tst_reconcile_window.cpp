// The schedule window of a run (docs/idexx-neo.md, "Window"): instants first, then their clinic-local
// dates, across a daylight-saving change and east of UTC; inclusive bounds.

#include "sync/core/reconcile_window.h"

#include <QTest>

using namespace odis::sync;

class TstReconcileWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void windowOfARun_data();
    void windowOfARun();
    void contains();
};

void TstReconcileWindow::windowOfARun_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QDate>("first");
    QTest::addColumn<QDate>("last");

    const auto utc = [](const char* text) {
        return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate);
    };
    // 06:00Z is 23:00 of the day before in Los Angeles (PDT since 2026-03-08).
    QTest::newRow("evening in Los Angeles")
        << "America/Los_Angeles" << utc("2026-03-10T06:00:00Z") << QDate(2026, 3, 2) << QDate(2026, 3, 10);
    // 7 x 24 h before 2026-03-10 07:30Z lies before the spring-forward jump: still PST, 23:30 local.
    QTest::newRow("across the DST change")
        << "America/Los_Angeles" << utc("2026-03-10T07:30:00Z") << QDate(2026, 3, 2) << QDate(2026, 3, 11);
    QTest::newRow("Auckland is ahead of UTC")
        << "Pacific/Auckland" << utc("2026-03-10T12:00:00Z") << QDate(2026, 3, 4) << QDate(2026, 3, 12);
}

void TstReconcileWindow::windowOfARun()
{
    QFETCH(QString, zone);
    QFETCH(QDateTime, now);
    QFETCH(QDate, first);
    QFETCH(QDate, last);

    const ReconcileWindow window = reconcileWindow(now, QTimeZone(zone.toLatin1()), 7, 1);
    QCOMPARE(window.first, first);
    QCOMPARE(window.last, last);
    QVERIFY(!window.scheduleRead);
}

void TstReconcileWindow::contains()
{
    const ReconcileWindow window{QDate(2026, 3, 3), QDate(2026, 3, 11), false};
    QVERIFY(window.contains(QDate(2026, 3, 3)));
    QVERIFY(window.contains(QDate(2026, 3, 11)));
    QVERIFY(!window.contains(QDate(2026, 3, 2)));
    QVERIFY(!window.contains(QDate(2026, 3, 12)));
    QVERIFY(!window.contains(QDate()));
    QVERIFY(!ReconcileWindow{}.contains(QDate(2026, 3, 5)));
}

QTEST_GUILESS_MAIN(TstReconcileWindow)
#include "tst_reconcile_window.moc"
