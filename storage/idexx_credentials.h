#pragma once

#include "storage/clock.h"
#include "storage/credential_state.h"
#include "storage/credential_store.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

class QDebug;
class QObject;

namespace odis::storage {

class Database;

// The clinic's IDEXX Neo login. Its text and debug forms never show the password or the user name
// (often a person's e-mail address): only whether they are set.
struct IdexxLogin
{
    QString companyId; // empty when the clinic's Neo instance does not ask for one
    QString username;
    QString password;

    [[nodiscard]] QString toString() const;
};

QDebug operator<<(QDebug debug, const IdexxLogin& login);

struct CredentialStatus
{
    CredentialState state = CredentialState::NotConfigured;
    QDateTime changedAt; // UTC; invalid while nothing was ever recorded
    QString reason;      // why the state last changed, for people; never a secret
};

// The IDEXX credential triple (three keychain entries) and its lifecycle state (the database's
// credential_state row). Every change goes through the transition table of credential_state.h, so
// a rejected password stops automatic use until someone saves credentials again.
//
// save/load/remove are asynchronous like the CredentialStore below them; callbacks run once, later,
// and are dropped if this object is destroyed first. State reads and records are synchronous.
class IdexxCredentials
{
public:
    using LoadCallback = std::function<void(Result<std::optional<IdexxLogin>>)>; // nullopt: none saved
    using DoneCallback = std::function<void(Status)>;

    static constexpr qsizetype kMaxFieldLength = 1024;
    static constexpr qsizetype kMaxReasonLength = 200;

    IdexxCredentials(CredentialStore& secrets, Database& db, const Clock& clock);
    ~IdexxCredentials();
    IdexxCredentials(const IdexxCredentials&) = delete;
    IdexxCredentials& operator=(const IdexxCredentials&) = delete;

    // Writes the triple, then records "saved" (state configured). Refused when revoked. User name and
    // password must not be empty (idexx_credentials_invalid). If the keychain fails after part of the
    // triple was written, the state becomes not_configured: a mixed triple is never used.
    void save(const IdexxLogin& login, DoneCallback done);

    // The saved triple. Error idexx_credentials_incomplete when only one of user name and password
    // is in the keychain.
    void load(LoadCallback done);

    // Records "removed" (state not_configured) first, so nothing uses the credentials from then on,
    // then deletes the three entries. Refused when revoked.
    void remove(const QString& reason, DoneCallback done);

    [[nodiscard]] Result<CredentialStatus> status() const;

    // Records an event that does not touch the keychain (validated, used_unattended, rejected,
    // deprovisioned) and returns the new state; saved and removed go through save() and remove().
    // `reason` is for people and must not contain secrets; it is cut to kMaxReasonLength.
    // Deprovisioning does not wipe the keychain: the deprovision flow calls CredentialStore::wipeAll.
    // Error codes: credential_transition_refused, credential_state_unknown, and the database's.
    Result<CredentialState> record(CredentialEvent event, const QString& reason);

    // Whether a scheduled run may use the credentials now (see checkAutomaticUse in credential_state.h).
    [[nodiscard]] Status checkAutomaticUse() const;

private:
    Result<CredentialState> apply(CredentialEvent event, const QString& reason);
    void writeFields(QList<std::pair<QString, QByteArray>> fields, int written, DoneCallback done);
    void removeFields(QStringList names, DoneCallback done);
    void deliverLater(DoneCallback done, Status status);

    CredentialStore& m_secrets;
    Database& m_db;
    const Clock& m_clock;
    std::unique_ptr<QObject> m_context; // guards callbacks against this object's destruction
};

} // namespace odis::storage
