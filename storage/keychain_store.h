#pragma once

#include "storage/credential_store.h"
#include "storage/keychain_io.h"
#include "storage/keychain_layout.h"

#include <QUuid>

#include <deque>
#include <memory>

class QObject;

namespace odis::storage {

// The credential store over the OS keychain (QtKeychain: Secret Service on Linux, Keychain on macOS,
// Credential Manager on Windows). Entries are "<install id>/<name>" under the service kService;
// secrets over ~2 KB are chunked (keychain_layout.h). Never the plaintext fallback.
//
// Operations run one after another in call order (a write is several keychain jobs; two interleaved
// writes of the same name would mix their chunks). Not thread-safe: use it from one thread with an
// event loop (QtKeychain's job queue is not thread-safe either). Callbacks pending when the store is
// destroyed are dropped.
class KeychainStore final : public CredentialStore
{
public:
    static inline const QString kService = QStringLiteral("odis-clinic-agent");

    // `timeout`: how long one keychain call may take before it is keychain_unavailable (keychain_io.h).
    explicit KeychainStore(const QUuid& installId,
                           std::chrono::milliseconds timeout = KeychainIo::kDefaultTimeout);
    ~KeychainStore() override;
    KeychainStore(const KeychainStore&) = delete;
    KeychainStore& operator=(const KeychainStore&) = delete;

    [[nodiscard]] const QUuid& installId() const { return m_installId; }

    void read(const QString& name, ReadCallback done) override;
    void write(const QString& name, const QByteArray& value, DoneCallback done) override;
    void remove(const QString& name, DoneCallback done) override;
    void wipeAll(DoneCallback done) override;

private:
    using Operation = std::function<void(std::function<void()> finished)>;
    using ReadDone = KeychainIo::ReadDone;
    using Done = KeychainIo::Done;

    void enqueue(Operation operation);
    void startNext();
    // Wraps a public callback: frees the queue first, so the callback may destroy the store.
    template <typename R>
    std::function<void(R)> finishing(std::function<void()> finished, std::function<void(R)> done);

    void doRead(const QString& name, ReadCallback done);
    void doWrite(const QString& name, const QByteArray& value, Done done);
    void doRemove(const QString& name, Done done);
    void doWipe(qsizetype next, Status firstFailure, Done done);

    void readChunks(const QString& name, const keychain_layout::ChunkHeader& header, QList<QByteArray> chunks,
                    ReadCallback done);
    void writeChunks(const QString& name, int slot, QList<QByteArray> chunks, int index, Done done);
    // Deletes every chunk of `slot` from index `from` on: scans forward to the end of the run, then
    // deletes backwards so that an interruption still leaves a contiguous run.
    void clearSlot(const QString& name, int slot, int from, Done done);
    void scanSlot(const QString& name, int slot, int index, std::function<void(Result<int>)> done);
    void deleteChunksDown(const QString& name, int slot, int from, int index, Done done);
    void clearAllSlots(const QString& name, int slot, Done done);

    [[nodiscard]] QString mainKey(const QString& name) const;
    [[nodiscard]] QString chunkKey(const QString& name, int slot, int index) const;

    QUuid m_installId;
    std::unique_ptr<QObject> m_context; // receives job completions; destroyed first in ~KeychainStore
    KeychainIo m_io;
    std::deque<Operation> m_queue;
    bool m_busy = false;
};

} // namespace odis::storage
