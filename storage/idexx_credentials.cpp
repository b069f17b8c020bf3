#include "storage/idexx_credentials.h"

#include "storage/codes/storage_codes.h"
#include "storage/database.h"
#include "storage/secret_memory.h"

#include <QLoggingCategory>
#include <QMetaObject>
#include <QObject>
#include <QPointer>

namespace odis::storage {

namespace {

Q_LOGGING_CATEGORY(lcCredentials, "odis.storage.credentials")

const QString kSelectState =
    QStringLiteral("SELECT state, changed_at, reason FROM credential_state WHERE id = 1");
// INSERT OR REPLACE rather than an upsert: SQLCipher 3.4 is SQLite 3.15, which has no ON CONFLICT DO.
const QString kWriteState = QStringLiteral(
    "INSERT OR REPLACE INTO credential_state (id, state, changed_at, reason) VALUES (1, ?, ?, ?)");

const QStringList kLegacyNames{secret::kIdexxPassword, secret::kIdexxUsername, secret::kIdexxCompanyId};

Error storeError(const Error& error, const QString& what)
{
    return Error{error.code, what + QStringLiteral(": ") + error.message};
}

} // namespace

IdexxCredentials::IdexxCredentials(CredentialStore& secrets, Database& db, const Clock& clock)
    : m_secrets(secrets)
    , m_db(db)
    , m_clock(clock)
    , m_context(std::make_unique<QObject>())
{}

IdexxCredentials::~IdexxCredentials() = default;

// ---- state -------------------------------------------------------------------------------------

Result<CredentialStatus> IdexxCredentials::status() const
{
    auto rows = m_db.query(kSelectState);
    if (!rows)
        return propagate(rows);
    CredentialStatus status;
    auto unknown = m_db.scalar(QStringLiteral("SELECT value FROM kv WHERE key = ?"), {kUnknownOutcomesKey});
    if (!unknown)
        return propagate(unknown);
    status.unknownOutcomesInARow = unknown->toInt();
    if (rows->isEmpty())
        return status;
    const QVariantList& row = rows->first();
    const QString name = row.value(0).toString();
    const std::optional<CredentialState> state = credentialStateFromName(name);
    if (!state)
        return fail(
            codes::kCredentialStateUnknown,
            QStringLiteral("the database records the credential state \"%1\", which this version does "
                           "not know (written by a newer agent?)")
                .arg(name));
    status.state = *state;
    status.changedAt = QDateTime::fromString(row.value(1).toString(), Qt::ISODateWithMs).toUTC();
    status.reason = row.value(2).toString();
    return status;
}

Status IdexxCredentials::checkAutomaticUse() const
{
    const auto current = status();
    if (!current)
        return propagate(current);
    if (current->suspendedForUnknownOutcomes())
        return fail(codes::kIdexxCredentialsRejected,
                    QStringLiteral("IDEXX Neo's answer to %1 logins in a row could not be read: automatic "
                                   "syncs are stopped until the credentials are saved again")
                        .arg(kUnknownOutcomesBeforeSuspension));
    return storage::checkAutomaticUse(current->state);
}

Result<CredentialState> IdexxCredentials::record(CredentialEvent event, const QString& reason)
{
    if (event == CredentialEvent::Saved || event == CredentialEvent::Removed)
        return fail(codes::kCredentialTransitionRefused,
                    QStringLiteral("event %1 changes the keychain: use save() or remove()")
                        .arg(credentialEventName(event)));
    return apply(event, reason);
}

Status IdexxCredentials::writeUnknownOutcomes(int count)
{
    auto written = count == 0
                       ? m_db.execute(QStringLiteral("DELETE FROM kv WHERE key = ?"), {kUnknownOutcomesKey})
                       : m_db.execute(QStringLiteral("INSERT OR REPLACE INTO kv (key, value, updated_at) "
                                                     "VALUES (?, ?, ?)"),
                                      {kUnknownOutcomesKey, QString::number(count),
                                       m_clock.nowUtc().toUTC().toString(Qt::ISODateWithMs)});
    return written ? ok() : Status(propagate(written));
}

Result<CredentialState> IdexxCredentials::apply(CredentialEvent event, const QString& reason)
{
    CredentialState next = CredentialState::NotConfigured;
    const auto body = [&]() -> Status {
        const auto current = status();
        if (!current)
            return propagate(current);
        const auto to = applyCredentialEvent(current->state, event);
        if (!to)
            return propagate(to);
        next = *to;
        // Every verdict, save or removal is known: the count of unknown outcomes starts again.
        if (current->unknownOutcomesInARow != 0)
            if (auto reset = writeUnknownOutcomes(0); !reset)
                return reset;
        // A repeat that changes nothing (every run's unattended use) keeps the row and its time;
        // saving always rewrites it, since the login is new.
        if (next == current->state && event != CredentialEvent::Saved)
            return ok();
        const QString at = m_clock.nowUtc().toUTC().toString(Qt::ISODateWithMs);
        auto written =
            m_db.execute(kWriteState, {credentialStateName(next), at, reason.left(kMaxReasonLength)});
        if (!written)
            return propagate(written);
        return ok();
    };
    // Part of the caller's transaction when there is one (transactions do not nest).
    const Status done = m_db.inTransaction() ? body() : m_db.transaction(body);
    if (!done)
        return propagate(done);
    return next;
}

Result<CredentialState> IdexxCredentials::recordUnknownOutcome()
{
    CredentialState next = CredentialState::NotConfigured;
    const auto body = [&]() -> Status {
        const auto current = status();
        if (!current)
            return propagate(current);
        const int count = current->unknownOutcomesInARow + 1;
        next = current->state;
        if (count >= kUnknownOutcomesBeforeSuspension) {
            auto suspended =
                apply(CredentialEvent::Rejected,
                      QStringLiteral("IDEXX Neo's answer to %1 logins in a row could not be read; "
                                     "not tried again until the credentials are saved again")
                          .arg(count));
            if (!suspended)
                return propagate(suspended);
            next = *suspended;
        }
        return writeUnknownOutcomes(count); // after apply(), which starts the count again
    };
    const Status done = m_db.inTransaction() ? body() : m_db.transaction(body);
    if (!done)
        return propagate(done);
    return next;
}

// ---- keychain ----------------------------------------------------------------------------------

void IdexxCredentials::deliverLater(DoneCallback done, Status status)
{
    QMetaObject::invokeMethod(
        m_context.get(), [done = std::move(done), status = std::move(status)] { done(status); },
        Qt::QueuedConnection);
}

void IdexxCredentials::save(const IdexxLogin& login, DoneCallback done)
{
    if (login.username.isEmpty() || login.password.isEmpty())
        return deliverLater(std::move(done),
                            fail(codes::kIdexxCredentialsInvalid,
                                 QStringLiteral("the IDEXX user name and password are required")));
    if (login.companyId.size() > kMaxFieldLength || login.username.size() > kMaxFieldLength ||
        login.password.size() > kMaxFieldLength)
        return deliverLater(std::move(done),
                            fail(codes::kIdexxCredentialsInvalid,
                                 QStringLiteral("an IDEXX credential field is longer than %1 characters")
                                     .arg(kMaxFieldLength)));
    // Refuse before touching the keychain when saving is not allowed now (revoked).
    const auto current = status();
    if (!current)
        return deliverLater(std::move(done), propagate(current));
    if (const auto allowed = applyCredentialEvent(current->state, CredentialEvent::Saved); !allowed)
        return deliverLater(std::move(done), propagate(allowed));

    QByteArray value = encodeIdexxLogin(login);
    const QPointer<QObject> alive = m_context.get();
    m_secrets.write(
        secret::kIdexxLogin, value, [this, alive, done = std::move(done)](Status written) mutable {
            if (!alive)
                return;
            if (!written) {
                // A keychain that did not answer may still have taken the new login: neither is used until
                // someone saves again. Any other failure left the entry as it was.
                if (written.error().code == codes::kKeychainUnavailable) {
                    if (const auto reset = apply(CredentialEvent::Removed,
                                                 QStringLiteral("saving the credentials did not finish (%1)")
                                                     .arg(written.error().code));
                        !reset)
                        qCWarning(lcCredentials, "credential state not reset after an unfinished save: %s",
                                  qUtf8Printable(reset.error().code));
                }
                return done(
                    std::unexpected(storeError(written.error(), QStringLiteral("saving the IDEXX login"))));
            }
            const auto saved = apply(CredentialEvent::Saved, QStringLiteral("credentials saved"));
            if (!saved)
                return done(propagate(saved));
            // Entries of the earlier layout no longer count; they go now (a failure is only a leftover).
            removeNames(kLegacyNames, [done = std::move(done)](Status removed) {
                if (!removed)
                    qCWarning(lcCredentials, "the earlier credential entries stay for now: %s",
                              qUtf8Printable(removed.error().code));
                done(ok());
            });
        });
    wipe(value);
}

void IdexxCredentials::load(LoadCallback done)
{
    using Read = Result<std::optional<QByteArray>>;
    const QPointer<QObject> alive = m_context.get();
    m_secrets.read(secret::kIdexxLogin, [this, alive, done = std::move(done)](Read stored) mutable {
        if (!alive)
            return;
        if (!stored)
            return done(
                std::unexpected(storeError(stored.error(), QStringLiteral("loading the IDEXX login"))));
        if (!stored->has_value())
            return migrateLegacyLogin(std::move(done));
        auto login = decodeIdexxLogin(**stored);
        wipe(**stored);
        if (!login)
            return done(propagate(login));
        done(std::optional<IdexxLogin>(std::move(*login)));
    });
}

// The earlier layout: company id, user name and password in three entries. Read once, written as the one
// entry, then removed; until the write succeeds the three stay the truth and are used as they are.
void IdexxCredentials::migrateLegacyLogin(LoadCallback done)
{
    using Read = Result<std::optional<QByteArray>>;
    const QPointer<QObject> alive = m_context.get();
    const auto failed = [](const Error& error) {
        return std::unexpected(storeError(error, QStringLiteral("loading the IDEXX login")));
    };
    m_secrets.read(secret::kIdexxUsername, [this, alive, failed, done = std::move(done)](Read user) mutable {
        if (!alive)
            return;
        if (!user)
            return done(failed(user.error()));
        m_secrets.read(secret::kIdexxPassword, [this, alive, failed, user = std::move(*user),
                                                done = std::move(done)](Read pass) mutable {
            if (!alive)
                return;
            if (!pass)
                return done(failed(pass.error()));
            if (!user && !*pass)
                return done(std::optional<IdexxLogin>());
            if (!user || !*pass)
                return done(fail(codes::kIdexxCredentialsIncomplete,
                                 QStringLiteral("the keychain holds the IDEXX %1 but not the %2: save the "
                                                "credentials again")
                                     .arg(user ? QStringLiteral("user name") : QStringLiteral("password"),
                                          user ? QStringLiteral("password") : QStringLiteral("user name"))));
            IdexxLogin login{QString(), QString::fromUtf8(*user), QString::fromUtf8(**pass)};
            wipe(*user);
            wipe(**pass);
            m_secrets.read(secret::kIdexxCompanyId, [this, alive, failed, login = std::move(login),
                                                     done = std::move(done)](Read company) mutable {
                if (!alive)
                    return;
                if (!company) {
                    login.wipe();
                    return done(failed(company.error()));
                }
                login.companyId = QString::fromUtf8(company->value_or(QByteArray()));
                moveIntoOneEntry(std::move(login), std::move(done));
            });
        });
    });
}

void IdexxCredentials::moveIntoOneEntry(IdexxLogin login, LoadCallback done)
{
    QByteArray value = encodeIdexxLogin(login);
    const QPointer<QObject> alive = m_context.get();
    m_secrets.write(secret::kIdexxLogin, value,
                    [this, alive, login = std::move(login), done = std::move(done)](Status written) mutable {
                        if (!alive)
                            return;
                        if (!written) {
                            qCWarning(lcCredentials,
                                      "the IDEXX login stays in the earlier layout for now: %s",
                                      qUtf8Printable(written.error().code));
                            return done(std::optional<IdexxLogin>(std::move(login)));
                        }
                        qCInfo(lcCredentials, "the IDEXX login was moved into one keychain entry");
                        removeNames(kLegacyNames, [login = std::move(login),
                                                   done = std::move(done)](Status removed) mutable {
                            if (!removed)
                                qCWarning(lcCredentials, "the earlier credential entries stay for now: %s",
                                          qUtf8Printable(removed.error().code));
                            done(std::optional<IdexxLogin>(std::move(login)));
                        });
                    });
    wipe(value);
}

void IdexxCredentials::remove(const QString& reason, DoneCallback done)
{
    const auto removed = apply(CredentialEvent::Removed, reason);
    if (!removed)
        return deliverLater(std::move(done), propagate(removed));
    removeNames(QStringList{secret::kIdexxLogin} + kLegacyNames, std::move(done));
}

void IdexxCredentials::removeNames(QStringList names, DoneCallback done)
{
    if (names.isEmpty())
        return done(ok());
    const QString name = names.takeFirst();
    const QPointer<QObject> alive = m_context.get();
    m_secrets.remove(name, [this, alive, names = std::move(names), done = std::move(done)](Status s) mutable {
        if (!alive)
            return;
        if (!s)
            return done(
                std::unexpected(storeError(s.error(), QStringLiteral("removing the IDEXX credentials"))));
        removeNames(std::move(names), std::move(done));
    });
}

} // namespace odis::storage
