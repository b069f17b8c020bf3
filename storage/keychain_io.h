#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>

class QObject;

namespace odis::storage {

// One QtKeychain job per call, with the rules applied in one place: the insecure (plaintext)
// fallback is always off, values are binary, failures are mapped to typed errors (keychain_errors.h).
// Completions arrive later through the event loop of `context`'s thread and are dropped once
// `context` is destroyed. Jobs are never deleted while running (the libsecret callback holds a raw
// pointer to them): they delete themselves when finished.
class KeychainIo
{
public:
    using ReadDone = std::function<void(Result<std::optional<QByteArray>>)>; // nullopt: no entry
    using Done = std::function<void(Status)>;

    KeychainIo(QString service, QObject* context);

    [[nodiscard]] const QString& service() const { return m_service; }

    void read(const QString& key, ReadDone done) const;
    void write(const QString& key, const QByteArray& value, Done done) const;
    // A key that does not exist is removed successfully.
    void remove(const QString& key, Done done) const;

private:
    QString m_service;
    QPointer<QObject> m_context;
};

} // namespace odis::storage
