// A backend (or whatever answers in its place) that answers with garbage, huge bodies and wrong types
// (issue 16, hostile input): each answer is classified by its status alone, never taken as data it is
// not, and nothing of the body but a contract-shaped error code reaches the error message, which the run
// report, the logs and the failed queue repeat.

#include "sync/backend/backend_reply.h"
#include "sync/core/retry_after.h"

#include <QTest>
#include <QTimeZone>

using namespace odis::sync;

class TstBackendReply : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostileAnswers_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<QString>("serverError");
        QTest::addColumn<bool>("json");

        const QByteArray huge(10 << 20, 'x');
        const QByteArray hugeCode = "{\"error\":\"" + QByteArray(1 << 20, 'a') + "\"}";
        QByteArray deep(100'000, '[');
        deep.append(QByteArray(100'000, ']'));
        QTest::newRow("200 HTML") << 200 << QByteArray() << QByteArray("<html><body>proxy</body></html>")
                                  << "ok" << QString() << false;
        QTest::newRow("200 10 MB of garbage") << 200 << QByteArray() << huge << "ok" << QString() << false;
        QTest::newRow("200 array") << 200 << QByteArray() << QByteArray("[1,2,3]") << "ok" << QString()
                                   << true;
        QTest::newRow("200 too deep") << 200 << QByteArray() << deep << "ok" << QString() << false;
        QTest::newRow("200 invalid UTF-8")
            << 200 << QByteArray() << QByteArray("{\"batch_id\":\"\xff\xfe\"}") << "ok" << QString() << false;
        QTest::newRow("500 garbage") << 500 << QByteArray() << QByteArray("\x00\x01\x02", 3) << "transient"
                                     << QString() << false;
        QTest::newRow("400 code a number")
            << 400 << QByteArray() << QByteArray("{\"error\":42}") << "invalid" << QString() << true;
        QTest::newRow("400 1 MB code")
            << 400 << QByteArray() << hugeCode << "invalid" << kUnreadableServerError << true;
        QTest::newRow("400 markup code")
            << 400 << QByteArray() << QByteArray("{\"error\":\"<script>alert(1)</script>\"}") << "invalid"
            << kUnreadableServerError << true;
        QTest::newRow("403 deprovisioned in upper case")
            << 403 << QByteArray() << QByteArray("{\"error\":\"AGENT_DEPROVISIONED\"}") << "unexpected"
            << kUnreadableServerError << true;
        QTest::newRow("403 deprovisioned")
            << 403 << QByteArray() << QByteArray("{\"error\":\"agent_deprovisioned\"}") << "deprovisioned"
            << QStringLiteral("agent_deprovisioned") << true;
        QTest::newRow("429 Retry-After garbage")
            << 429 << QByteArray("soon, maybe") << QByteArray() << "rate_limited" << QString() << false;
        QTest::newRow("429 Retry-After huge") << 429 << QByteArray("99999999999999999999999") << QByteArray()
                                              << "rate_limited" << QString() << false;
        QTest::newRow("503 Retry-After negative")
            << 503 << QByteArray("-5") << QByteArray("{\"error\":null}") << "transient" << QString() << true;
        QTest::newRow("302 to a login page")
            << 302 << QByteArray() << QByteArray("<a href=/login>") << "unexpected" << QString() << false;
        QTest::newRow("600 no such status")
            << 600 << QByteArray() << QByteArray() << "transient" << QString() << false;
    }
    void hostileAnswers()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, retryAfter);
        QFETCH(QByteArray, body);
        QFETCH(QString, outcome);
        QFETCH(QString, serverError);
        QFETCH(bool, json);
        BackendReply reply;
        reply.status = status;
        reply.body = body;
        classifyHttpAnswer(reply, retryAfter, QDateTime(QDate(2026, 3, 10), QTime(9, 0), QTimeZone::utc()));
        QCOMPARE(backendOutcomeName(reply.outcome), outcome);
        QCOMPARE(reply.serverError, serverError);
        QCOMPARE(!reply.json.isNull(), json);
        QCOMPARE(reply.error.code.isEmpty(), reply.ok());
        // The message names the status and at most a contract-shaped code, never the body.
        QVERIFY2(reply.error.message.size() < 200, qPrintable(reply.error.message.left(200)));
        QVERIFY(!reply.error.message.contains(QLatin1String("<script")));
        if (reply.retryAfter) {
            QVERIFY(reply.retryAfter->count() >= 0);
            QVERIFY(*reply.retryAfter <= kMaxRetryAfter);
        }
    }
};

QTEST_GUILESS_MAIN(TstBackendReply)
#include "tst_backend_reply.moc"
