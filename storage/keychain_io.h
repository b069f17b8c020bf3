#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QPointer>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

class QObject;

namespace odis::storage {

// One QtKeychain job per call, with the rules applied in one place: the insecure (plaintext)
// fallback is always off, values are binary, failures are mapped to typed errors (keychain_errors.h),
// and every call has a deadline. A keyring that does not answer (locked, its unlock prompt unanswered,
// a Secret Service that hangs) ends the call with keychain_unavailable after `timeout`: the agent never
// hangs on its keychain. The job's own answer, if it comes later, is ignored; a write that timed out may
// still land, which callers treat as "unknown" (they retry or report, never assume it failed cleanly).
// Completions arrive later through the event loop of `context`'s thread and are dropped once
// `context` is destroyed. Jobs are never deleted while running (the libsecret callback holds a raw
// pointer to them): they delete themselves when finished.
class KeychainIo
{
public:
    using ReadDone = std::function<void(Result<std::optional<QByteArray>>)>; // nullopt: no entry
    using Done = std::function<void(Status)>;

    // Under D-Bus's own 25 s reply time-out, so that a keyring that does not answer is always reported
    // by this deadline, the same way, whatever backend is in use.
    static constexpr std::chrono::milliseconds kDefaultTimeout{20'000};

    KeychainIo(QString service, QObject* context, std::chrono::milliseconds timeout = kDefaultTimeout);
    [[nodiscard]] std::chrono::milliseconds timeout() const { return m_timeout; }

    [[nodiscard]] const QString& service() const { return m_service; }

    void read(const QString& key, ReadDone done) const;
    void write(const QString& key, const QByteArray& value, Done done) const;
    // A key that does not exist is removed successfully.
    void remove(const QString& key, Done done) const;

private:
    QString m_service;
    QPointer<QObject> m_context;
    std::chrono::milliseconds m_timeout;
};

} // namespace odis::storage
