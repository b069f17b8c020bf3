// The IDEXX credential lifecycle as a pure table (credential_state.h): every state and event, stable
// names, the heartbeat's wire values and when automatic use is allowed.

#include "storage/credential_state.h"

#include <QSet>
#include <QTest>

using odis::storage::CredentialEvent;
using odis::storage::CredentialState;

Q_DECLARE_METATYPE(CredentialState)
Q_DECLARE_METATYPE(CredentialEvent)

namespace {

using S = CredentialState;
using E = CredentialEvent;

// The rules, written out once more by hand: for each event, the state it leads to from each state,
// or nullopt when it is refused.
struct Expected
{
    E event;
    std::optional<S> fromNotConfigured, fromConfigured, fromValidated, fromActive, fromSuspended, fromRevoked;
};

const Expected kRules[] = {
    {E::Saved, S::Configured, S::Configured, S::Configured, S::Configured, S::Configured, std::nullopt},
    {E::Validated, std::nullopt, S::Validated, S::Validated, S::Active, std::nullopt, std::nullopt},
    {E::UsedUnattended, std::nullopt, std::nullopt, S::Active, S::Active, std::nullopt, std::nullopt},
    {E::Rejected, std::nullopt, S::Suspended, S::Suspended, S::Suspended, S::Suspended, std::nullopt},
    {E::Deprovisioned, S::Revoked, S::Revoked, S::Revoked, S::Revoked, S::Revoked, S::Revoked},
    {E::Removed, S::NotConfigured, S::NotConfigured, S::NotConfigured, S::NotConfigured, S::NotConfigured,
     std::nullopt},
};

} // namespace

class TestCredentialState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void transitions_data()
    {
        QTest::addColumn<CredentialState>("from");
        QTest::addColumn<CredentialEvent>("event");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<CredentialState>("to");
        int rows = 0;
        for (const Expected& rule : kRules) {
            const std::optional<S> targets[] = {rule.fromNotConfigured, rule.fromConfigured,
                                                rule.fromValidated,     rule.fromActive,
                                                rule.fromSuspended,     rule.fromRevoked};
            for (int i = 0; i < 6; ++i) {
                const S from = odis::storage::kAllCredentialStates[i];
                const QString tag = odis::storage::credentialStateName(from) + QStringLiteral(" + ") +
                                    odis::storage::credentialEventName(rule.event);
                QTest::newRow(qPrintable(tag))
                    << from << rule.event << targets[i].has_value() << targets[i].value_or(S::NotConfigured);
                ++rows;
            }
        }
        // Every state and event is covered: a new one must be added to kRules.
        QCOMPARE(rows, int(odis::storage::kAllCredentialStates.size() *
                           odis::storage::kAllCredentialEvents.size()));
    }
    void transitions()
    {
        QFETCH(CredentialState, from);
        QFETCH(CredentialEvent, event);
        QFETCH(bool, allowed);
        QFETCH(CredentialState, to);
        const auto next = odis::storage::applyCredentialEvent(from, event);
        QCOMPARE(next.has_value(), allowed);
        if (allowed) {
            QCOMPARE(*next, to);
        } else {
            QCOMPARE(next.error().code, QStringLiteral("credential_transition_refused"));
            QVERIFY(next.error().message.contains(odis::storage::credentialStateName(from)));
        }
    }

    void stableNames_data()
    {
        QTest::addColumn<CredentialState>("state");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("wire");
        QTest::newRow("not configured") << S::NotConfigured << "not_configured"
                                        << "not_configured";
        QTest::newRow("configured") << S::Configured << "configured"
                                    << "not_configured";
        QTest::newRow("validated") << S::Validated << "validated"
                                   << "valid";
        QTest::newRow("active") << S::Active << "active"
                                << "valid";
        QTest::newRow("suspended") << S::Suspended << "suspended"
                                   << "invalid";
        QTest::newRow("revoked") << S::Revoked << "revoked"
                                 << "not_configured";
    }
    void stableNames()
    {
        QFETCH(CredentialState, state);
        QFETCH(QString, name);
        QFETCH(QString, wire);
        QCOMPARE(odis::storage::credentialStateName(state), name);
        QCOMPARE(odis::storage::credentialStateFromName(name), std::optional<CredentialState>(state));
        QCOMPARE(odis::storage::credentialStateOnWire(state), wire);
    }

    void namesAreUniqueAndUnknownOnesRejected()
    {
        QSet<QString> names;
        for (const S state : odis::storage::kAllCredentialStates)
            names.insert(odis::storage::credentialStateName(state));
        QCOMPARE(names.size(), qsizetype(odis::storage::kAllCredentialStates.size()));
        QVERIFY(!odis::storage::credentialStateFromName(u"valid"));
        QVERIFY(!odis::storage::credentialStateFromName(u"Active"));
        QVERIFY(!odis::storage::credentialStateFromName(u""));
    }

    void automaticUse_data()
    {
        QTest::addColumn<CredentialState>("state");
        QTest::addColumn<QString>("code"); // empty: allowed
        QTest::newRow("not configured") << S::NotConfigured << "idexx_credentials_missing";
        QTest::newRow("configured") << S::Configured << "idexx_credentials_unvalidated";
        QTest::newRow("validated") << S::Validated << "";
        QTest::newRow("active") << S::Active << "";
        QTest::newRow("suspended") << S::Suspended << "idexx_credentials_rejected";
        QTest::newRow("revoked") << S::Revoked << "agent_revoked";
    }
    void automaticUse()
    {
        QFETCH(CredentialState, state);
        QFETCH(QString, code);
        const odis::Status allowed = odis::storage::checkAutomaticUse(state);
        QCOMPARE(allowed.has_value(), code.isEmpty());
        if (!allowed) {
            QCOMPARE(allowed.error().code, code);
            QVERIFY(!allowed.error().message.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestCredentialState)
#include "tst_credential_state.moc"
