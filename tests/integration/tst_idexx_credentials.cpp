// The IDEXX credential triple in the real keychain and its lifecycle state in a real SQLCipher
// database: round trips, the transition rules through the public API, persistence across reopening,
// and the refusal of automatic use after IDEXX rejected the password.

#include "storage/database.h"
#include "storage/idexx_credentials.h"
#include "storage/keychain_store.h"
#include "storage/schema.h"
#include "tests/integration/keychain_test_util.h"
#include "tests/support/manual_clock.h"

#include <QDebug>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/rand.h>

using odis::Result;
using odis::Status;
using odis::storage::CredentialEvent;
using odis::storage::CredentialState;
using odis::storage::Database;
using odis::storage::IdexxCredentials;
using odis::storage::IdexxLogin;
using odis::storage::KeychainStore;
using odis::test::await;
namespace secret = odis::storage::secret;

Q_DECLARE_METATYPE(CredentialState)

namespace {

using S = CredentialState;
using E = CredentialEvent;

QByteArray randomKey()
{
    QByteArray key(Database::kKeySize, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1)
        qFatal("RAND_bytes failed");
    return key;
}

IdexxLogin sampleLogin()
{
    return IdexxLogin{QStringLiteral("4711"), QStringLiteral("frontdesk@clinic.example"),
                      QStringLiteral("pässwörd \"with\" quotes ✓")};
}

// A credential store that fails its n-th write (1-based) and forwards everything else to the real one:
// the keychain failing half-way through a save cannot be provoked on demand otherwise.
class FailingNthWrite final : public odis::storage::CredentialStore
{
public:
    FailingNthWrite(CredentialStore& real, int failAt)
        : m_real(real)
        , m_failAt(failAt)
    {}
    void read(const QString& name, ReadCallback done) override { m_real.read(name, std::move(done)); }
    void write(const QString& name, const QByteArray& value, DoneCallback done) override
    {
        if (++m_writes != m_failAt)
            return m_real.write(name, value, std::move(done));
        // Through the real store's queue, so the failure arrives asynchronously like a real one.
        m_real.read(name, [done = std::move(done)](auto) {
            done(odis::fail(QStringLiteral("keychain_error"), QStringLiteral("injected failure")));
        });
    }
    void remove(const QString& name, DoneCallback done) override { m_real.remove(name, std::move(done)); }
    void wipeAll(DoneCallback done) override { m_real.wipeAll(std::move(done)); }

private:
    CredentialStore& m_real;
    int m_failAt;
    int m_writes = 0;
};

} // namespace

class TestIdexxCredentials : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QByteArray m_key;
    QString m_path;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<KeychainStore> m_store;
    odis::test::ManualClock m_clock;
    int m_run = 0;

    std::unique_ptr<Database> openDb()
    {
        auto db = Database::open(m_path, m_key, odis::storage::agentMigrations());
        if (!db)
            qFatal("cannot open the test database: %s", qPrintable(db.error().toString()));
        return std::move(*db);
    }
    static Status save(IdexxCredentials& c, const IdexxLogin& login)
    {
        return await<Status>([&](auto done) { c.save(login, done); });
    }
    static Result<std::optional<IdexxLogin>> load(IdexxCredentials& c)
    {
        return await<Result<std::optional<IdexxLogin>>>([&](auto done) { c.load(done); });
    }
    static Status remove(IdexxCredentials& c)
    {
        return await<Status>([&](auto done) { c.remove(QStringLiteral("removed in test"), done); });
    }
    // Runs an event through the public API: save() and remove() for the keychain events.
    static Result<CredentialState> apply(IdexxCredentials& c, E event)
    {
        if (event == E::Saved || event == E::Removed) {
            const Status s = event == E::Saved ? save(c, sampleLogin()) : remove(c);
            if (!s)
                return std::unexpected(s.error());
            const auto st = c.status();
            if (!st)
                return std::unexpected(st.error());
            return st->state;
        }
        return c.record(event, QStringLiteral("test event"));
    }
    [[nodiscard]] QStringList keychainKeys() const
    {
        return odis::test::secretToolKeys(KeychainStore::kService,
                                          m_store->installId().toString(QUuid::WithoutBraces));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY2(qEnvironmentVariableIsSet("ODIS_IN_PRIVATE_SESSION"),
                 "run inside ./scripts/in-private-session.sh (private D-Bus session with gnome-keyring)");
        m_key = randomKey();
    }

    void init()
    {
        m_path = m_dir.filePath(QStringLiteral("agent-%1.db").arg(++m_run));
        m_db = openDb();
        m_store = std::make_unique<KeychainStore>(QUuid::createUuid());
        m_clock.set(QDateTime(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC));
    }

    void cleanup()
    {
        QVERIFY(await<Status>([&](auto done) { m_store->wipeAll(done); }));
        m_store.reset();
        m_db.reset();
    }

    void saveLoadRemoveRoundTrip()
    {
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        QCOMPARE(creds.status()->state, S::NotConfigured);
        QVERIFY(!load(creds).value().has_value());

        const Status saved = save(creds, sampleLogin());
        QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
        const auto status = creds.status();
        QCOMPARE(status->state, S::Configured);
        QCOMPARE(status->changedAt, m_clock.nowUtc());
        // One entry: the three fields are written (and read) in one keychain operation.
        QCOMPARE(keychainKeys(), QStringList{m_store->installId().toString(QUuid::WithoutBraces) +
                                             QStringLiteral("/idexx_login")});

        const auto loaded = load(creds);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
        QVERIFY(loaded->has_value());
        QCOMPARE((*loaded)->companyId, sampleLogin().companyId);
        QCOMPARE((*loaded)->username, sampleLogin().username);
        QCOMPARE((*loaded)->password, sampleLogin().password);

        QVERIFY(remove(creds));
        QCOMPARE(creds.status()->state, S::NotConfigured);
        QCOMPARE(creds.status()->reason, QStringLiteral("removed in test"));
        QVERIFY(!load(creds).value().has_value());
        QCOMPARE(keychainKeys(), QStringList());
    }

    void companyIdIsOptional()
    {
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        IdexxLogin login = sampleLogin();
        login.companyId.clear();
        QVERIFY(save(creds, login));
        const auto loaded = load(creds);
        QVERIFY(loaded && loaded->has_value());
        QCOMPARE((*loaded)->companyId, QString());
        QCOMPARE((*loaded)->password, login.password);
    }

    void invalidLoginsAreRefusedUntouched_data()
    {
        QTest::addColumn<QString>("username");
        QTest::addColumn<QString>("password");
        QTest::newRow("no user name") << QString() << QStringLiteral("pw");
        QTest::newRow("no password") << QStringLiteral("user") << QString();
        QTest::newRow("password too long")
            << QStringLiteral("user") << QString(IdexxCredentials::kMaxFieldLength + 1, u'x');
    }
    void invalidLoginsAreRefusedUntouched()
    {
        QFETCH(QString, username);
        QFETCH(QString, password);
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        const Status saved = save(creds, IdexxLogin{QString(), username, password});
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, QStringLiteral("idexx_credentials_invalid"));
        QCOMPARE(creds.status()->state, S::NotConfigured);
        QCOMPARE(keychainKeys(), QStringList());
    }

    void transitions_data()
    {
        QTest::addColumn<QList<int>>("events"); // CredentialEvent values, applied in order
        QTest::addColumn<CredentialState>("expected");
        QTest::addColumn<bool>("lastRefused");
        auto row = [](const char* name, const QList<E>& events, S expected, bool lastRefused) {
            QList<int> raw;
            for (const E e : events)
                raw << int(e);
            QTest::newRow(name) << raw << expected << lastRefused;
        };
        row("save", {E::Saved}, S::Configured, false);
        row("save, validate", {E::Saved, E::Validated}, S::Validated, false);
        row("first unattended use", {E::Saved, E::Validated, E::UsedUnattended}, S::Active, false);
        row("validation keeps active", {E::Saved, E::Validated, E::UsedUnattended, E::Validated}, S::Active,
            false);
        row("rejected while active", {E::Saved, E::Validated, E::UsedUnattended, E::Rejected}, S::Suspended,
            false);
        row("saved again after rejection", {E::Saved, E::Validated, E::Rejected, E::Saved}, S::Configured,
            false);
        row("remove", {E::Saved, E::Validated, E::Removed}, S::NotConfigured, false);
        row("deprovision", {E::Saved, E::Validated, E::UsedUnattended, E::Deprovisioned}, S::Revoked, false);
        row("unattended before validation", {E::Saved, E::UsedUnattended}, S::Configured, true);
        row("validate nothing", {E::Validated}, S::NotConfigured, true);
        row("reject nothing", {E::Rejected}, S::NotConfigured, true);
        row("validate after rejection", {E::Saved, E::Rejected, E::Validated}, S::Suspended, true);
        row("use after rejection", {E::Saved, E::Validated, E::Rejected, E::UsedUnattended}, S::Suspended,
            true);
        row("save after revocation", {E::Saved, E::Deprovisioned, E::Saved}, S::Revoked, true);
        row("remove after revocation", {E::Deprovisioned, E::Removed}, S::Revoked, true);
    }
    void transitions()
    {
        QFETCH(QList<int>, events);
        QFETCH(CredentialState, expected);
        QFETCH(bool, lastRefused);
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        for (qsizetype i = 0; i < events.size(); ++i) {
            m_clock.advanceSecs(60);
            const auto before = creds.status();
            QVERIFY(before);
            const auto result = apply(creds, E(events.at(i)));
            const bool isLast = i == events.size() - 1;
            if (isLast && lastRefused) {
                QVERIFY(!result);
                QCOMPARE(result.error().code, QStringLiteral("credential_transition_refused"));
                QCOMPARE(creds.status()->state, before->state); // nothing changed
                QCOMPARE(creds.status()->changedAt, before->changedAt);
            } else {
                QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
            }
        }
        QCOMPARE(creds.status()->state, expected);
        // The state survives closing and reopening the encrypted database.
        m_db.reset();
        m_db = openDb();
        IdexxCredentials reopened(*m_store, *m_db, m_clock);
        QCOMPARE(reopened.status()->state, expected);
    }

    void stateAndReasonPersistAcrossReopen()
    {
        {
            IdexxCredentials creds(*m_store, *m_db, m_clock);
            QVERIFY(save(creds, sampleLogin()));
            m_clock.advanceSecs(10);
            QCOMPARE(creds.record(E::Validated, QStringLiteral("login from the setup window")).value(),
                     S::Validated);
        }
        m_db.reset();
        m_db = openDb();
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        const auto status = creds.status();
        QVERIFY(status);
        QCOMPARE(status->state, S::Validated);
        QCOMPARE(status->changedAt, QDateTime(QDate(2026, 3, 10), QTime(12, 0, 10), Qt::UTC));
        QCOMPARE(status->reason, QStringLiteral("login from the setup window"));
        const auto stored = m_db->scalar(QStringLiteral("SELECT state FROM credential_state WHERE id = 1"));
        QCOMPARE(stored->toString(), QStringLiteral("validated")); // the stable name, not a number
    }

    void rejectionStopsAutomaticUseUntilSavedAgain()
    {
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        QCOMPARE(creds.checkAutomaticUse().error().code, QStringLiteral("idexx_credentials_missing"));
        QVERIFY(save(creds, sampleLogin()));
        QCOMPARE(creds.checkAutomaticUse().error().code, QStringLiteral("idexx_credentials_unvalidated"));
        QVERIFY(creds.record(E::Validated, QStringLiteral("setup login")));
        QVERIFY(creds.checkAutomaticUse());
        QCOMPARE(creds.record(E::UsedUnattended, QStringLiteral("scheduled run")).value(), S::Active);
        QCOMPARE(creds.record(E::Rejected, QStringLiteral("neo_login_rejected")).value(), S::Suspended);
        QCOMPARE(creds.checkAutomaticUse().error().code, QStringLiteral("idexx_credentials_rejected"));
        QVERIFY(!creds.record(E::UsedUnattended, QStringLiteral("scheduled run")));
        QVERIFY(load(creds).value().has_value()); // the triple is still there for a person to fix
        QVERIFY(save(creds, sampleLogin()));
        QVERIFY(creds.record(E::Validated, QStringLiteral("setup login")));
        QVERIFY(creds.checkAutomaticUse());
    }

    void repeatsKeepTheTimeOfTheChange()
    {
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        QVERIFY(save(creds, sampleLogin()));
        QVERIFY(creds.record(E::Validated, QStringLiteral("setup")));
        m_clock.advanceSecs(100);
        QVERIFY(creds.record(E::UsedUnattended, QStringLiteral("run 1")));
        const QDateTime activeSince = m_clock.nowUtc();
        m_clock.advanceSecs(14400);
        QCOMPARE(creds.record(E::UsedUnattended, QStringLiteral("run 2")).value(), S::Active);
        QCOMPARE(creds.status()->changedAt, activeSince);
        QCOMPARE(creds.status()->reason, QStringLiteral("run 1"));
        // Saving again always counts as a change: the triple is new.
        m_clock.advanceSecs(5);
        QVERIFY(save(creds, sampleLogin()));
        QCOMPARE(creds.status()->changedAt, m_clock.nowUtc());
    }

    void keychainEventsOnlyThroughSaveAndRemove()
    {
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        QCOMPARE(creds.record(E::Saved, QString()).error().code,
                 QStringLiteral("credential_transition_refused"));
        QCOMPARE(creds.record(E::Removed, QString()).error().code,
                 QStringLiteral("credential_transition_refused"));
        QCOMPARE(creds.status()->state, S::NotConfigured);
    }

    // One keychain write per save: a failing write leaves the saved login as it was, never a mix of the
    // old and the new one; a keychain that does not answer (the write may or may not land) leaves no
    // login in use at all until someone saves again.
    void aFailedSaveNeverLeavesAMix()
    {
        IdexxCredentials good(*m_store, *m_db, m_clock);
        QVERIFY(save(good, sampleLogin()));
        QVERIFY(good.record(E::Validated, QStringLiteral("setup")));

        FailingNthWrite failing(*m_store, 1);
        IdexxCredentials creds(failing, *m_db, m_clock);
        IdexxLogin changed = sampleLogin();
        changed.companyId = QStringLiteral("9999");
        changed.username = QStringLiteral("someone-else@clinic.example");
        changed.password = QStringLiteral("new password");
        const Status saved = save(creds, changed);
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, QStringLiteral("keychain_error"));
        QCOMPARE(creds.status()->state, S::Validated);
        const auto loaded = load(good);
        QVERIFY(loaded && loaded->has_value());
        QCOMPARE((*loaded)->companyId, sampleLogin().companyId);
        QCOMPARE((*loaded)->username, sampleLogin().username);
        QCOMPARE((*loaded)->password, sampleLogin().password);
    }

    // An install saved before the one-entry layout: its three entries are read, written as one entry and
    // removed, the first time the login is loaded.
    void earlierLayoutIsMovedIntoOneEntry()
    {
        const IdexxLogin login = sampleLogin();
        for (const auto& entry : {std::pair{secret::kIdexxCompanyId, login.companyId},
                                  std::pair{secret::kIdexxUsername, login.username},
                                  std::pair{secret::kIdexxPassword, login.password}})
            QVERIFY(
                await<Status>([&](auto done) { m_store->write(entry.first, entry.second.toUtf8(), done); }));
        QCOMPARE(keychainKeys().size(), 3);

        IdexxCredentials creds(*m_store, *m_db, m_clock);
        const auto loaded = load(creds);
        QVERIFY2(loaded && loaded->has_value(), qPrintable(loaded ? QString() : loaded.error().toString()));
        QCOMPARE((*loaded)->companyId, login.companyId);
        QCOMPARE((*loaded)->username, login.username);
        QCOMPARE((*loaded)->password, login.password);
        QCOMPARE(keychainKeys(), QStringList{m_store->installId().toString(QUuid::WithoutBraces) +
                                             QStringLiteral("/idexx_login")});
        const auto again = load(creds);
        QVERIFY(again && again->has_value());
        QCOMPARE((*again)->password, login.password);
    }

    void damagedEntryIsAnError()
    {
        QVERIFY(await<Status>([&](auto done) { m_store->write(secret::kIdexxLogin, "not a login", done); }));
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        const auto loaded = load(creds);
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().code, QStringLiteral("secret_damaged"));
    }

    // Neo's answer could not be read: the first time the credentials stay usable (one more try), the
    // second time in a row they are suspended; a known verdict in between starts the count again.
    void unknownOutcomesSuspendOnTheSecondInARow()
    {
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        QVERIFY(save(creds, sampleLogin()));
        QVERIFY(creds.record(E::Validated, QStringLiteral("setup")));
        QCOMPARE(*creds.recordUnknownOutcome(), S::Validated);
        QCOMPARE(creds.status()->unknownOutcomesInARow, 1);
        QVERIFY(creds.checkAutomaticUse());
        QVERIFY(creds.record(E::UsedUnattended, QStringLiteral("ok")));
        QCOMPARE(creds.status()->unknownOutcomesInARow, 0);

        QCOMPARE(*creds.recordUnknownOutcome(), S::Active);
        QCOMPARE(*creds.recordUnknownOutcome(), S::Suspended);
        const auto status = creds.status();
        QVERIFY(status->suspendedForUnknownOutcomes());
        QCOMPARE(creds.checkAutomaticUse().error().code, QStringLiteral("idexx_credentials_rejected"));
        QVERIFY(creds.checkAutomaticUse().error().message.contains(QStringLiteral("could not be read")));

        // Saving them again is the way out, and starts the count again.
        QVERIFY(save(creds, sampleLogin()));
        QCOMPARE(creds.status()->state, S::Configured);
        QCOMPARE(creds.status()->unknownOutcomesInARow, 0);

        // A real rejection is a rejection, whatever came before.
        QVERIFY(creds.record(E::Validated, QStringLiteral("setup")));
        QCOMPARE(*creds.recordUnknownOutcome(), S::Validated);
        QCOMPARE(*creds.record(E::Rejected, QStringLiteral("refused")), S::Suspended);
        QVERIFY(!creds.status()->suspendedForUnknownOutcomes());
    }

    void incompleteEarlierTripleIsAnError()
    {
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        QVERIFY(await<Status>([&](auto done) { m_store->write(secret::kIdexxUsername, "user", done); }));
        const auto loaded = load(creds);
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().code, QStringLiteral("idexx_credentials_incomplete"));
    }

    void unknownStoredStateIsAnError()
    {
        QVERIFY(m_db->execute(
            QStringLiteral("INSERT INTO credential_state (id, state, changed_at, reason) "
                           "VALUES (1, 'needs_third_factor', '2026-03-10T12:00:00.000Z', NULL)")));
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        QCOMPARE(creds.status().error().code, QStringLiteral("credential_state_unknown"));
        QCOMPARE(creds.record(E::Validated, QString()).error().code,
                 QStringLiteral("credential_state_unknown"));
    }

    void worksInsideACallersTransaction()
    {
        IdexxCredentials creds(*m_store, *m_db, m_clock);
        QVERIFY(save(creds, sampleLogin()));
        const Status tx = m_db->transaction([&]() -> Status {
            const auto r = creds.record(E::Validated, QStringLiteral("inside"));
            return r ? odis::ok() : Status(std::unexpected(r.error()));
        });
        QVERIFY2(tx, qPrintable(tx ? QString() : tx.error().toString()));
        QCOMPARE(creds.status()->state, S::Validated);
    }

    void textFormsHideTheSecrets()
    {
        const IdexxLogin login = sampleLogin();
        QString debugText;
        QDebug(&debugText) << login;
        for (const QString& text : {login.toString(), debugText}) {
            QVERIFY2(!text.contains(login.password), qPrintable(text));
            QVERIFY2(!text.contains(QStringLiteral("frontdesk")), qPrintable(text));
            QVERIFY2(text.contains(QStringLiteral("4711")), qPrintable(text));
        }
    }
};

QTEST_GUILESS_MAIN(TestIdexxCredentials)
#include "tst_idexx_credentials.moc"
