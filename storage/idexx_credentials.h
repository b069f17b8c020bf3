#pragma once

#include "storage/clock.h"
#include "storage/credential_state.h"
#include "storage/credential_store.h"
#include "storage/idexx_login.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

class QObject;

namespace odis::storage {

class Database;

// Logins in a row whose outcome the agent could not read before the credentials are suspended: the
// first may have been a hiccup of Neo's page and is tried once more; the second is treated like a
// rejection, since a wrong password repeated by a machine can lock the clinic's shared account.
inline constexpr int kUnknownOutcomesBeforeSuspension = 2;

struct CredentialStatus
{
    CredentialState state = CredentialState::NotConfigured;
    QDateTime changedAt;           // UTC; invalid while nothing was ever recorded
    QString reason;                // why the state last changed, for people; never a secret
    int unknownOutcomesInARow = 0; // logins since the last known verdict whose outcome was unknown

    // Suspended because Neo's answer could not be read twice in a row, not because Neo refused them.
    [[nodiscard]] bool suspendedForUnknownOutcomes() const
    {
        return state == CredentialState::Suspended &&
               unknownOutcomesInARow >= kUnknownOutcomesBeforeSuspension;
    }
};

// The IDEXX login (one keychain entry, idexx_login.h) and its lifecycle state (the database's
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
    // The kv row counting unknown login outcomes in a row.
    static inline const QString kUnknownOutcomesKey = QStringLiteral("idexx_login_unknown_outcomes");

    IdexxCredentials(CredentialStore& secrets, Database& db, const Clock& clock);
    ~IdexxCredentials();
    IdexxCredentials(const IdexxCredentials&) = delete;
    IdexxCredentials& operator=(const IdexxCredentials&) = delete;

    // Writes the login as one keychain entry (all three fields at once), then records "saved" (state
    // configured) and removes the entries of the earlier three-entry layout. Refused when revoked. User
    // name and password must not be empty (idexx_credentials_invalid). When the keychain does not answer
    // in time the write may or may not have landed: the state becomes not_configured, so neither login
    // is used until someone saves it again.
    void save(const IdexxLogin& login, DoneCallback done);

    // The saved login. An install of the earlier layout (three entries) is moved into the one entry here
    // the first time (the three are removed once it is written). Errors: idexx_credentials_incomplete
    // when the earlier layout holds only one of user name and password; secret_damaged; the keychain's.
    void load(LoadCallback done);

    // Records "removed" (state not_configured) first, so nothing uses the credentials from then on,
    // then deletes the entry (and any of the earlier layout). Refused when revoked.
    void remove(const QString& reason, DoneCallback done);

    [[nodiscard]] Result<CredentialStatus> status() const;

    // Records an event that does not touch the keychain (validated, used_unattended, rejected,
    // deprovisioned) and returns the new state; saved and removed go through save() and remove().
    // `reason` is for people and must not contain secrets; it is cut to kMaxReasonLength.
    // Deprovisioning does not wipe the keychain: the deprovision flow calls CredentialStore::wipeAll.
    // Error codes: credential_transition_refused, credential_state_unknown, and the database's.
    [[nodiscard]] Result<CredentialState> record(CredentialEvent event, const QString& reason);

    // A login whose form was sent and whose outcome the agent could not read (neo_login_unknown_outcome):
    // counted; the kUnknownOutcomesBeforeSuspension-th in a row suspends the credentials like a rejection
    // (state suspended, CredentialStatus::suspendedForUnknownOutcomes). Every known verdict and every
    // save or removal starts the count again. Returns the state after it.
    [[nodiscard]] Result<CredentialState> recordUnknownOutcome();

    // Whether a scheduled run may use the credentials now (see checkAutomaticUse in credential_state.h).
    [[nodiscard]] Status checkAutomaticUse() const;

private:
    [[nodiscard]] Result<CredentialState> apply(CredentialEvent event, const QString& reason);
    [[nodiscard]] Status writeUnknownOutcomes(int count);
    void migrateLegacyLogin(LoadCallback done);
    void moveIntoOneEntry(IdexxLogin login, LoadCallback done);
    void removeNames(QStringList names, DoneCallback done);
    void deliverLater(DoneCallback done, Status status);

    CredentialStore& m_secrets;
    Database& m_db;
    const Clock& m_clock;
    std::unique_ptr<QObject> m_context; // guards callbacks against this object's destruction
};

} // namespace odis::storage
