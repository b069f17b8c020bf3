#include "storage/idexx_credentials.h"

#include "storage/database.h"

#include <QDebug>
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

QString describeSet(const QString& value)
{
    return value.isEmpty() ? QStringLiteral("empty") : QStringLiteral("set");
}

Error storeError(const Error& error, const QString& what)
{
    return Error{error.code, what + QStringLiteral(": ") + error.message};
}

} // namespace

QString IdexxLogin::toString() const
{
    // The company id is a short clinic number, not personal data; the rest stays hidden.
    return QStringLiteral("IdexxLogin(company id \"%1\", user name %2, password %3)")
        .arg(companyId, describeSet(username), describeSet(password));
}

QDebug operator<<(QDebug debug, const IdexxLogin& login)
{
    const QDebugStateSaver saver(debug);
    debug.noquote() << login.toString();
    return debug;
}

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
        return std::unexpected(rows.error());
    CredentialStatus status;
    if (rows->isEmpty())
        return status;
    const QVariantList& row = rows->first();
    const QString name = row.value(0).toString();
    const std::optional<CredentialState> state = credentialStateFromName(name);
    if (!state)
        return fail(
            QStringLiteral("credential_state_unknown"),
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
        return std::unexpected(current.error());
    return storage::checkAutomaticUse(current->state);
}

Result<CredentialState> IdexxCredentials::record(CredentialEvent event, const QString& reason)
{
    if (event == CredentialEvent::Saved || event == CredentialEvent::Removed)
        return fail(QStringLiteral("credential_transition_refused"),
                    QStringLiteral("event %1 changes the keychain: use save() or remove()")
                        .arg(credentialEventName(event)));
    return apply(event, reason);
}

Result<CredentialState> IdexxCredentials::apply(CredentialEvent event, const QString& reason)
{
    CredentialState next = CredentialState::NotConfigured;
    const auto body = [&]() -> Status {
        const auto current = status();
        if (!current)
            return std::unexpected(current.error());
        const auto to = applyCredentialEvent(current->state, event);
        if (!to)
            return std::unexpected(to.error());
        next = *to;
        // A repeat that changes nothing (every run's unattended use) keeps the row and its time;
        // saving always rewrites it, since the triple is new.
        if (next == current->state && event != CredentialEvent::Saved)
            return ok();
        const QString at = m_clock.nowUtc().toUTC().toString(Qt::ISODateWithMs);
        auto written =
            m_db.execute(kWriteState, {credentialStateName(next), at, reason.left(kMaxReasonLength)});
        if (!written)
            return std::unexpected(written.error());
        return ok();
    };
    // Part of the caller's transaction when there is one (transactions do not nest).
    const Status done = m_db.inTransaction() ? body() : m_db.transaction(body);
    if (!done)
        return std::unexpected(done.error());
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
                            fail(QStringLiteral("idexx_credentials_invalid"),
                                 QStringLiteral("the IDEXX user name and password are required")));
    if (login.companyId.size() > kMaxFieldLength || login.username.size() > kMaxFieldLength ||
        login.password.size() > kMaxFieldLength)
        return deliverLater(std::move(done),
                            fail(QStringLiteral("idexx_credentials_invalid"),
                                 QStringLiteral("an IDEXX credential field is longer than %1 characters")
                                     .arg(kMaxFieldLength)));
    // Refuse before touching the keychain when saving is not allowed now (revoked).
    const auto current = status();
    if (!current)
        return deliverLater(std::move(done), std::unexpected(current.error()));
    if (const auto allowed = applyCredentialEvent(current->state, CredentialEvent::Saved); !allowed)
        return deliverLater(std::move(done), std::unexpected(allowed.error()));

    // The password last: until every field is written, an interrupted save is caught below.
    writeFields({{secret::kIdexxCompanyId, login.companyId.toUtf8()},
                 {secret::kIdexxUsername, login.username.toUtf8()},
                 {secret::kIdexxPassword, login.password.toUtf8()}},
                0, std::move(done));
}

void IdexxCredentials::writeFields(QList<std::pair<QString, QByteArray>> fields, int written,
                                   DoneCallback done)
{
    if (written == fields.size()) {
        const auto saved = apply(CredentialEvent::Saved, QStringLiteral("credentials saved"));
        return done(saved ? ok() : Status(std::unexpected(saved.error())));
    }
    const auto [name, value] = fields.at(written);
    const QPointer<QObject> alive = m_context.get();
    m_secrets.write(name, value, [this, alive, fields, written, done = std::move(done)](Status s) mutable {
        if (!alive)
            return;
        if (s)
            return writeFields(std::move(fields), written + 1, std::move(done));
        if (written > 0) {
            // Part of the new triple is in the keychain next to part of the old one.
            const auto reset =
                apply(CredentialEvent::Removed,
                      QStringLiteral("saving the credentials failed part-way (%1)").arg(s.error().code));
            if (!reset)
                qCWarning(lcCredentials, "credential state not reset after a failed save: %s",
                          qUtf8Printable(reset.error().code));
        }
        done(std::unexpected(storeError(s.error(), QStringLiteral("saving the IDEXX credentials"))));
    });
}

void IdexxCredentials::load(LoadCallback done)
{
    using Read = Result<std::optional<QByteArray>>;
    const QPointer<QObject> alive = m_context.get();
    m_secrets.read(secret::kIdexxUsername, [this, alive, done = std::move(done)](Read username) mutable {
        if (!alive)
            return;
        if (!username)
            return done(
                std::unexpected(storeError(username.error(), QStringLiteral("loading the IDEXX user name"))));
        m_secrets.read(secret::kIdexxPassword, [this, alive, user = *username,
                                                done = std::move(done)](Read password) mutable {
            if (!alive)
                return;
            if (!password)
                return done(std::unexpected(
                    storeError(password.error(), QStringLiteral("loading the IDEXX password"))));
            const std::optional<QByteArray>& pass = *password;
            if (!user && !pass)
                return done(std::optional<IdexxLogin>());
            if (!user || !pass)
                return done(fail(QStringLiteral("idexx_credentials_incomplete"),
                                 QStringLiteral("the keychain holds the IDEXX %1 but not the %2: save the "
                                                "credentials again")
                                     .arg(user ? QStringLiteral("user name") : QStringLiteral("password"),
                                          user ? QStringLiteral("password") : QStringLiteral("user name"))));
            m_secrets.read(secret::kIdexxCompanyId, [alive, userBytes = *user, passBytes = *pass,
                                                     done = std::move(done)](Read companyId) mutable {
                if (!alive)
                    return;
                if (!companyId)
                    return done(std::unexpected(
                        storeError(companyId.error(), QStringLiteral("loading the IDEXX company id"))));
                IdexxLogin login;
                login.companyId = QString::fromUtf8(companyId->value_or(QByteArray()));
                login.username = QString::fromUtf8(userBytes);
                login.password = QString::fromUtf8(passBytes);
                done(std::optional<IdexxLogin>(std::move(login)));
            });
        });
    });
}

void IdexxCredentials::remove(const QString& reason, DoneCallback done)
{
    const auto removed = apply(CredentialEvent::Removed, reason);
    if (!removed)
        return deliverLater(std::move(done), std::unexpected(removed.error()));
    // The password first: it is the part that must not outlive a failure.
    removeFields({secret::kIdexxPassword, secret::kIdexxUsername, secret::kIdexxCompanyId}, std::move(done));
}

void IdexxCredentials::removeFields(QStringList names, DoneCallback done)
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
        removeFields(std::move(names), std::move(done));
    });
}

} // namespace odis::storage
