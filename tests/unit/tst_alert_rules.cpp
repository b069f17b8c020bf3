// The seed's alert thresholds (agent/alerts/alert_rules.h): every rule with a row just under and just over
// its threshold, the edge cases the header decides, and which alerts are new since the last evaluation.

#include "agent/alerts/alert_rules.h"

#include <QTest>

using namespace odis::agent;

Q_DECLARE_METATYPE(odis::agent::AlertInputs)

namespace {

const QDateTime kNow(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC);
constexpr qint64 kHourSecs = 3600;
constexpr qint64 kQuickRunMs = 90'000;

// A history, newest first: C completed, P partial, F failed, I interrupted. Run i started
// i * spacingHours + 30 minutes before now and took 90 s.
QList<RunRecord> history(const QString& pattern, int spacingHours = 4)
{
    QList<RunRecord> runs;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        RunRecord run;
        run.runId = QStringLiteral("00000000-0000-4000-8000-%1").arg(i, 12, 10, QLatin1Char('0'));
        run.startedAt = kNow.addSecs(-(i * spacingHours * kHourSecs) - 1800);
        run.durationMs = kQuickRunMs;
        run.finishedAt = run.startedAt.addMSecs(kQuickRunMs);
        switch (pattern.at(i).toLatin1()) {
        case 'C':
            run.status = RunStatus::Completed;
            break;
        case 'P':
            run.status = RunStatus::Partial;
            break;
        case 'F':
            run.status = RunStatus::Failed;
            run.error =
                RunError{QStringLiteral("neo_login_unexpected"), QStringLiteral("the login page timed out")};
            break;
        case 'I':
            run.status = RunStatus::Interrupted;
            run.error = RunError{QStringLiteral("run_interrupted"), QStringLiteral("the agent stopped")};
            break;
        default:
            qFatal("unknown run letter in %s", qPrintable(pattern));
        }
        runs.append(run);
    }
    return runs;
}

AlertInputs withRuns(const QString& pattern, int spacingHours = 4)
{
    AlertInputs in;
    in.now = kNow;
    in.recentRuns = history(pattern, spacingHours);
    if (!in.recentRuns.isEmpty())
        in.firstRunStartedAt = in.recentRuns.last().startedAt;
    return in;
}

// A healthy history changed by `change`.
template <typename F> AlertInputs healthy(F change)
{
    AlertInputs in = withRuns(QStringLiteral("CCCCC"));
    change(in);
    return in;
}

QStringList codesOf(const QList<Alert>& alerts)
{
    QStringList out;
    for (const Alert& a : alerts)
        out.append(a.name());
    return out;
}

QStringList codes(std::initializer_list<AlertCode> list)
{
    QStringList out;
    for (const AlertCode c : list)
        out.append(alertCodeName(c));
    return out;
}

} // namespace

class TestAlertRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void thresholdsAreTheSeeds()
    {
        using namespace alert_threshold;
        QCOMPARE(kFailureWindowRuns, 20);
        QCOMPARE(kFailureRatePercent, 10);
        QCOMPARE(std::chrono::duration_cast<std::chrono::seconds>(kRunTooLong).count(), 600);
        QCOMPARE(kConsecutiveFailures, 3);
        QCOMPARE(std::chrono::duration_cast<std::chrono::seconds>(kNoSuccessFor).count(), 24 * 3600);
        QCOMPARE(std::chrono::duration_cast<std::chrono::seconds>(kOutboxStaleAfter).count(), 24 * 3600);
    }

    void codesAreStable()
    {
        QStringList names;
        for (const AlertCode code : kAllAlertCodes) {
            names.append(alertCodeName(code));
            QCOMPARE(alertCodeFromName(alertCodeName(code)), std::optional<AlertCode>(code));
        }
        QCOMPARE(
            names,
            (QStringList{QStringLiteral("sync_failure_rate"), QStringLiteral("run_too_long"),
                         QStringLiteral("consecutive_failures"), QStringLiteral("no_recent_success"),
                         QStringLiteral("outbox_stale"), QStringLiteral("credentials_rejected"),
                         QStringLiteral("second_factor_needed"), QStringLiteral("neo_layout_drift"),
                         QStringLiteral("keychain_unavailable"), QStringLiteral("reenrollment_needed"),
                         QStringLiteral("neo_origin_changed"), QStringLiteral("neo_login_unknown_outcome")}));
        QVERIFY(!alertCodeFromName(u"sync_failure"));
    }

    void rules_data()
    {
        QTest::addColumn<AlertInputs>("inputs");
        QTest::addColumn<QStringList>("expected");
        using A = AlertCode;

        QTest::newRow("healthy") << withRuns(QStringLiteral("CCCCC")) << QStringList();
        QTest::newRow("nothing run yet, nothing configured") << AlertInputs{kNow} << QStringList();

        // failure rate: over 10 % of the last 20
        QTest::newRow("rate: 2 of 20 is 10 %, not over")
            << withRuns(QStringLiteral("CFCCCCCCCFCCCCCCCCCC")) << QStringList();
        QTest::newRow("rate: 3 of 20 is over")
            << withRuns(QStringLiteral("CFCCCFCCCCCCCFCCCCCC")) << codes({A::SyncFailureRate});
        QTest::newRow("rate: a third failure beyond the window does not count")
            << withRuns(QStringLiteral("CFCCCFCCCCCCCCCCCCCCCCFCC")) << QStringList();
        QTest::newRow("rate: short history, 2 failures is not enough")
            << withRuns(QStringLiteral("FCF")) << QStringList();
        QTest::newRow("rate: short history, 3 failures of 5 is")
            << withRuns(QStringLiteral("FCFCF")) << codes({A::SyncFailureRate});
        QTest::newRow("rate: interrupted runs are failures")
            << withRuns(QStringLiteral("CICICIC")) << codes({A::SyncFailureRate});
        QTest::newRow("rate: partial runs are successes")
            << withRuns(QStringLiteral("PPPPPPPPPPPPPPPPPPPP")) << QStringList();

        // failures in a row
        QTest::newRow("row: 2 in a row") << withRuns(QStringLiteral("FFCCC")) << QStringList();
        QTest::newRow("row: 3 in a row (3 of 20 is also over the rate)")
            << withRuns(QStringLiteral("FFFCCC")) << codes({A::SyncFailureRate, A::ConsecutiveFailures});
        QTest::newRow("row: a success ends the streak")
            << withRuns(QStringLiteral("CFFF")) << codes({A::SyncFailureRate});
        QTest::newRow("row: interrupted ones too")
            << withRuns(QStringLiteral("IFICC")) << codes({A::SyncFailureRate, A::ConsecutiveFailures});

        // a run over 10 minutes
        QTest::newRow("long: exactly 10 minutes")
            << healthy([](AlertInputs& in) { in.recentRuns[0].durationMs = 600'000; }) << QStringList();
        QTest::newRow("long: 10 minutes and 1 ms")
            << healthy([](AlertInputs& in) { in.recentRuns[0].durationMs = 600'001; })
            << codes({A::RunTooLong});
        QTest::newRow("long: only the last run counts")
            << healthy([](AlertInputs& in) { in.recentRuns[1].durationMs = 3'600'000; }) << QStringList();
        QTest::newRow("long: from the timestamps when no duration was recorded")
            << healthy([](AlertInputs& in) {
                   in.recentRuns[0].durationMs.reset();
                   in.recentRuns[0].finishedAt = in.recentRuns[0].startedAt.addSecs(601);
               })
            << codes({A::RunTooLong});
        QTest::newRow("long: a failed run counts as well") << [] {
            AlertInputs in = withRuns(QStringLiteral("FCCCC"));
            in.recentRuns[0].durationMs = 601'000;
            return in;
        }() << codes({A::RunTooLong});

        // no success for 24 hours
        QTest::newRow("success: exactly 24 h ago") << [] {
            AlertInputs in = withRuns(QStringLiteral("FF"));
            in.lastSuccessAt = kNow.addSecs(-24 * kHourSecs);
            return in;
        }() << QStringList();
        QTest::newRow("success: 24 h and 1 s ago") << [] {
            AlertInputs in = withRuns(QStringLiteral("FF"));
            in.lastSuccessAt = kNow.addSecs(-24 * kHourSecs - 1);
            return in;
        }() << codes({A::NoRecentSuccess});
        QTest::newRow("success: a newer one in the window wins over the stored one") << [] {
            AlertInputs in = withRuns(QStringLiteral("FC"));
            in.lastSuccessAt = kNow.addSecs(-30 * kHourSecs);
            return in;
        }() << QStringList();
        QTest::newRow("success: never, first run 24 h ago") << [] {
            AlertInputs in = withRuns(QStringLiteral("FF"));
            in.firstRunStartedAt = kNow.addSecs(-24 * kHourSecs);
            return in;
        }() << QStringList();
        QTest::newRow("success: never, first run 24 h and 1 s ago") << [] {
            AlertInputs in = withRuns(QStringLiteral("FF"));
            in.firstRunStartedAt = kNow.addSecs(-24 * kHourSecs - 1);
            return in;
        }() << codes({A::NoRecentSuccess});
        QTest::newRow("success: never, first run known from the window only, 23.5 h") << [] {
            AlertInputs in = withRuns(QStringLiteral("FF"), 23);
            in.firstRunStartedAt.reset();
            return in;
        }() << QStringList();
        QTest::newRow("success: never, first run known from the window only, 24.5 h") << [] {
            AlertInputs in = withRuns(QStringLiteral("FF"), 24);
            in.firstRunStartedAt.reset();
            return in;
        }() << codes({A::NoRecentSuccess});
        QTest::newRow("success: in the future (clock set back)") << [] {
            AlertInputs in = withRuns(QStringLiteral("FF"));
            in.lastSuccessAt = kNow.addSecs(3600);
            return in;
        }() << QStringList();

        // outbox older than 24 hours
        QTest::newRow("outbox: empty")
            << healthy([](AlertInputs& in) { in.outboxOldestSince.reset(); }) << QStringList();
        QTest::newRow("outbox: exactly 24 h")
            << healthy([](AlertInputs& in) { in.outboxOldestSince = kNow.addSecs(-24 * kHourSecs); })
            << QStringList();
        QTest::newRow("outbox: 24 h and 1 s")
            << healthy([](AlertInputs& in) { in.outboxOldestSince = kNow.addSecs(-24 * kHourSecs - 1); })
            << codes({A::OutboxStale});
        QTest::newRow("outbox: in the future")
            << healthy([](AlertInputs& in) { in.outboxOldestSince = kNow.addSecs(48 * kHourSecs); })
            << QStringList();

        // credentials, keychain
        QTest::newRow("credentials: rejected")
            << healthy([](AlertInputs& in) { in.credentials = CredentialCondition::Rejected; })
            << codes({A::CredentialsRejected});
        QTest::newRow("credentials: second factor")
            << healthy([](AlertInputs& in) { in.credentials = CredentialCondition::NeedsSecondFactor; })
            << codes({A::SecondFactorNeeded});
        QTest::newRow("credentials: not configured yet is not an alert")
            << healthy([](AlertInputs& in) { in.credentials = CredentialCondition::NotConfigured; })
            << QStringList();
        QTest::newRow("credentials: suspended after unreadable login answers")
            << healthy([](AlertInputs& in) { in.credentials = CredentialCondition::UnreadableLogin; })
            << codes({A::NeoLoginUnknownOutcome});
        QTest::newRow("neo origin: a changed one waits for a person") << healthy([](AlertInputs& in) {
            in.neoOriginPending = QStringLiteral("https://ca.idexxneo.com");
        }) << codes({A::NeoOriginChanged});
        QTest::newRow("keychain: unavailable")
            << healthy([](AlertInputs& in) { in.keychainAvailable = false; })
            << codes({A::KeychainUnavailable});

        // Neo layout drift
        QTest::newRow("drift: warnings in the last run")
            << healthy([](AlertInputs& in) { in.recentRuns[0].driftWarnings = 1; })
            << codes({A::NeoLayoutDrift});
        QTest::newRow("drift: the last run stopped on a changed layout") << [] {
            AlertInputs in = withRuns(QStringLiteral("FCCCC"));
            in.recentRuns[0].error =
                RunError{QString(kNeoLayoutChangedCode), QStringLiteral("no schedule grid")};
            return in;
        }() << codes({A::NeoLayoutDrift});
        QTest::newRow("drift: only in an older run")
            << healthy([](AlertInputs& in) { in.recentRuns[1].driftWarnings = 4; }) << QStringList();

        // Re-enrollment
        QTest::newRow("token revoked: the last run stopped on a 401") << [] {
            AlertInputs in = withRuns(QStringLiteral("FCCCC"));
            in.recentRuns[0].error = RunError{QString(kBackendAuthRevokedCode), QStringLiteral("HTTP 401")};
            return in;
        }() << codes({A::ReenrollmentNeeded});
        QTest::newRow("token revoked: a partial run that stopped uploading on it") << [] {
            AlertInputs in = withRuns(QStringLiteral("PCCCC"));
            in.recentRuns[0].error = RunError{QString(kBackendAuthRevokedCode), QStringLiteral("HTTP 401")};
            return in;
        }() << codes({A::ReenrollmentNeeded});
        QTest::newRow("token revoked: only in an older run (enrolled again since)") << [] {
            AlertInputs in = withRuns(QStringLiteral("CFCCC"));
            in.recentRuns[1].error = RunError{QString(kBackendAuthRevokedCode), QStringLiteral("HTTP 401")};
            return in;
        }() << QStringList();
        QTest::newRow("another backend error is not a revoked token") << [] {
            AlertInputs in = withRuns(QStringLiteral("FCCCC"));
            in.recentRuns[0].error =
                RunError{QStringLiteral("backend_server_error"), QStringLiteral("HTTP 503")};
            return in;
        }() << QStringList();

        QTest::newRow("everything at once, in the fixed order")
            <<
            [] {
                AlertInputs in = withRuns(QStringLiteral("FFFFF"));
                in.recentRuns[0].durationMs = 700'000;
                in.recentRuns[0].driftWarnings = 2;
                in.firstRunStartedAt = kNow.addSecs(-100 * kHourSecs);
                in.outboxOldestSince = kNow.addSecs(-30 * kHourSecs);
                in.credentials = CredentialCondition::Rejected;
                in.keychainAvailable = false;
                return in;
            }()
            << codes({A::SyncFailureRate, A::RunTooLong, A::ConsecutiveFailures, A::NoRecentSuccess,
                      A::OutboxStale, A::CredentialsRejected, A::NeoLayoutDrift, A::KeychainUnavailable});
    }
    void rules()
    {
        QFETCH(AlertInputs, inputs);
        QFETCH(QStringList, expected);
        QCOMPARE(codesOf(evaluateAlerts(inputs)), expected);
    }

    void runningRunsAndOrderOfTheInputDoNotMatter()
    {
        AlertInputs in = withRuns(QStringLiteral("FFFCC"));
        std::reverse(in.recentRuns.begin(), in.recentRuns.end()); // oldest first by mistake
        RunRecord running;
        running.runId = QStringLiteral("running");
        running.startedAt = kNow;
        running.status = RunStatus::Running;
        in.recentRuns.prepend(running);
        QCOMPARE(codesOf(evaluateAlerts(in)),
                 codes({AlertCode::SyncFailureRate, AlertCode::ConsecutiveFailures}));
    }

    void messagesGiveNumbersAndCodesOnly()
    {
        AlertInputs in = withRuns(QStringLiteral("FFFFCCCC"));
        in.recentRuns[0].durationMs = 754'000;
        in.lastSuccessAt = kNow.addSecs(-26 * kHourSecs);
        in.outboxOldestSince = kNow.addSecs(-30 * kHourSecs - 1200);
        // The message of a run error (free text, possibly naming things) never reaches an alert.
        in.recentRuns[0].error =
            RunError{QStringLiteral("neo_login_unexpected"),
                     QStringLiteral("Mrs Canary-Doe +1 415 555 0142 canary@example.com")};
        const QList<Alert> alerts = evaluateAlerts(in);
        QCOMPARE(codesOf(alerts), codes({AlertCode::SyncFailureRate, AlertCode::RunTooLong,
                                         AlertCode::ConsecutiveFailures, AlertCode::OutboxStale}));
        QCOMPARE(alerts.at(0).message,
                 QStringLiteral("4 of the last 20 sync runs failed (the limit is 10 %)"));
        QCOMPARE(alerts.at(1).message, QStringLiteral("The last sync run took 12 minutes (the limit is 10)"));
        QCOMPARE(alerts.at(2).message,
                 QStringLiteral("The last 4 sync runs failed in a row (last error: neo_login_unexpected)"));

        in.recentRuns = history(QStringLiteral("FFFFFFFFFFFFFFFFFFFFFF"));
        in.recentRuns[0].error->code = QStringLiteral("Mrs Canary-Doe");
        for (const Alert& alert : evaluateAlerts(in)) {
            QVERIFY2(!alert.message.contains(QStringLiteral("Canary")), qPrintable(alert.message));
            QVERIFY2(!alert.message.contains(QStringLiteral("555")), qPrintable(alert.message));
            if (alert.code == AlertCode::ConsecutiveFailures)
                QCOMPARE(
                    alert.message,
                    QStringLiteral("The last 20 or more sync runs failed in a row (last error: unreadable)"));
            if (alert.code == AlertCode::NoRecentSuccess)
                QCOMPARE(alert.message, QStringLiteral("No sync has succeeded for 26 hours"));
            if (alert.code == AlertCode::OutboxStale)
                QCOMPARE(alert.message,
                         QStringLiteral("Data has been waiting 30 hours to reach Odis (the limit is 24)"));
        }

        AlertInputs fresh = withRuns(QStringLiteral("FF"));
        fresh.firstRunStartedAt = kNow.addSecs(-50 * kHourSecs);
        QCOMPARE(evaluateAlerts(fresh).value(0).message,
                 QStringLiteral("No sync has succeeded since the first run, 50 hours ago"));
    }

    void changes_data()
    {
        QTest::addColumn<QStringList>("previous");
        QTest::addColumn<QStringList>("current");
        QTest::addColumn<QStringList>("raised");
        QTest::addColumn<QStringList>("cleared");
        const QString rate = QStringLiteral("sync_failure_rate");
        const QString row = QStringLiteral("consecutive_failures");
        const QString keychain = QStringLiteral("keychain_unavailable");
        QTest::newRow("nothing, ever") << QStringList() << QStringList() << QStringList() << QStringList();
        QTest::newRow("first alerts are new")
            << QStringList() << QStringList{rate, row} << QStringList{rate, row} << QStringList();
        QTest::newRow("the same again: nothing new")
            << QStringList{rate, row} << QStringList{rate, row} << QStringList() << QStringList();
        QTest::newRow("one more, one gone") << QStringList{rate, row} << QStringList{rate, keychain}
                                            << QStringList{keychain} << QStringList{row};
        QTest::newRow("all clear") << QStringList{rate, keychain} << QStringList() << QStringList()
                                   << QStringList{rate, keychain};
    }
    void changes()
    {
        QFETCH(QStringList, previous);
        QFETCH(QStringList, current);
        QFETCH(QStringList, raised);
        QFETCH(QStringList, cleared);
        QList<AlertCode> before;
        for (const QString& name : previous)
            before.append(*alertCodeFromName(name));
        QList<Alert> now;
        for (const QString& name : current)
            now.append(Alert{*alertCodeFromName(name), QStringLiteral("message for %1").arg(name)});
        const AlertChanges changes = compareAlerts(before, now);
        QCOMPARE(codesOf(changes.raised), raised);
        QStringList clearedNames;
        for (const AlertCode c : changes.cleared)
            clearedNames.append(alertCodeName(c));
        QCOMPARE(clearedNames, cleared);
        QCOMPARE(changes.empty(), raised.isEmpty() && cleared.isEmpty());
        for (const Alert& a : changes.raised)
            QCOMPARE(a.message, QStringLiteral("message for %1").arg(a.name())); // the current alert's text
    }
};

QTEST_APPLESS_MAIN(TestAlertRules)
#include "tst_alert_rules.moc"
