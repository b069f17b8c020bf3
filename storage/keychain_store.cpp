#include "storage/keychain_store.h"

#include "storage/codes/storage_codes.h"

#include <QMetaObject>
#include <QObject>

namespace odis::storage {

namespace layout = keychain_layout;

namespace {

// Prefixes an error with what was being done to which entry (names are not secret; values never
// appear in messages).
template <typename R> std::function<void(R)> annotated(QString what, std::function<void(R)> done)
{
    return [what = std::move(what), done = std::move(done)](R result) {
        if (!result)
            result = std::unexpected(
                Error{result.error().code, what + QStringLiteral(": ") + result.error().message});
        done(std::move(result));
    };
}

Error invalidName(const QString& name)
{
    return Error{
        QStringLiteral("secret_name_invalid"),
        QStringLiteral("secret name \"%1\" is not a lower-case word of at most 64 characters").arg(name)};
}

} // namespace

KeychainStore::KeychainStore(const QUuid& installId, std::chrono::milliseconds timeout)
    : m_installId(installId)
    , m_context(std::make_unique<QObject>())
    , m_io(kService, m_context.get(), timeout)
{
    Q_ASSERT(!installId.isNull());
}

KeychainStore::~KeychainStore()
{
    // Disconnects every pending completion before the members they use go away.
    m_context.reset();
}

// ---- queue -------------------------------------------------------------------------------------

void KeychainStore::enqueue(Operation operation)
{
    m_queue.push_back(std::move(operation));
    if (m_busy)
        return;
    m_busy = true;
    // Queued even when idle: a callback must never run inside the call that asked for it.
    QMetaObject::invokeMethod(
        m_context.get(), [this] { startNext(); }, Qt::QueuedConnection);
}

void KeychainStore::startNext()
{
    if (m_queue.empty()) {
        m_busy = false;
        return;
    }
    Operation operation = std::move(m_queue.front());
    m_queue.pop_front();
    operation([this] {
        QMetaObject::invokeMethod(
            m_context.get(), [this] { startNext(); }, Qt::QueuedConnection);
    });
}

template <typename R>
std::function<void(R)> KeychainStore::finishing(std::function<void()> finished, std::function<void(R)> done)
{
    return [finished = std::move(finished), done = std::move(done)](R result) {
        finished();
        done(std::move(result));
    };
}

void KeychainStore::read(const QString& name, ReadCallback done)
{
    enqueue([this, name, done = std::move(done)](std::function<void()> finished) mutable {
        doRead(name, annotated(QStringLiteral("reading secret %1").arg(name),
                               finishing(std::move(finished), std::move(done))));
    });
}

void KeychainStore::write(const QString& name, const QByteArray& value, DoneCallback done)
{
    enqueue([this, name, value, done = std::move(done)](std::function<void()> finished) mutable {
        doWrite(name, value,
                annotated(QStringLiteral("writing secret %1").arg(name),
                          finishing(std::move(finished), std::move(done))));
    });
}

void KeychainStore::remove(const QString& name, DoneCallback done)
{
    enqueue([this, name, done = std::move(done)](std::function<void()> finished) mutable {
        doRemove(name, annotated(QStringLiteral("removing secret %1").arg(name),
                                 finishing(std::move(finished), std::move(done))));
    });
}

void KeychainStore::wipeAll(DoneCallback done)
{
    enqueue([this, done = std::move(done)](std::function<void()> finished) mutable {
        doWipe(0, ok(), finishing(std::move(finished), std::move(done)));
    });
}

// ---- operations --------------------------------------------------------------------------------

void KeychainStore::doRead(const QString& name, ReadCallback done)
{
    if (!layout::isValidName(name))
        return done(std::unexpected(invalidName(name)));
    m_io.read(mainKey(name), [this, name, done = std::move(done)](Result<std::optional<QByteArray>> stored) {
        if (!stored || !stored->has_value())
            return done(std::move(stored));
        Result<layout::MainEntry> entry = layout::decodeMain(**stored);
        if (!entry)
            return done(propagate(entry));
        if (const auto* value = std::get_if<QByteArray>(&*entry))
            return done(std::optional<QByteArray>(*value));
        readChunks(name, std::get<layout::ChunkHeader>(*entry), {}, done);
    });
}

void KeychainStore::doWrite(const QString& name, const QByteArray& value, Done done)
{
    if (!layout::isValidName(name))
        return done(std::unexpected(invalidName(name)));
    if (value.size() > layout::kMaxSecretSize)
        return done(fail(codes::kSecretTooLarge,
                         QStringLiteral("%1 bytes; the keychain holds at most %2 bytes per secret")
                             .arg(value.size())
                             .arg(layout::kMaxSecretSize)));

    if (layout::fitsInline(value.size())) {
        // The value is complete once the main entry is written; chunks of an earlier, bigger value
        // are only leftovers now.
        m_io.write(mainKey(name), layout::encodeInline(value),
                   [this, name, done = std::move(done)](Status s) {
                       if (!s)
                           return done(s);
                       clearAllSlots(name, 0, done);
                   });
        return;
    }

    // Chunked: fill the slot the current header does not point at, switch the header, then clear the
    // old slot. Until the header is switched, the previous value stays readable.
    m_io.read(mainKey(name), [this, name, value,
                              done = std::move(done)](Result<std::optional<QByteArray>> stored) {
        if (!stored)
            return done(propagate(stored));
        int slot = 0;
        if (stored->has_value()) {
            const Result<layout::MainEntry> entry = layout::decodeMain(**stored);
            if (entry && std::holds_alternative<layout::ChunkHeader>(*entry))
                slot = 1 - std::get<layout::ChunkHeader>(*entry).slot;
        }
        const layout::ChunkHeader header = layout::headerFor(value, slot);
        writeChunks(name, slot, layout::splitChunks(value), 0, [this, name, header, done](Status written) {
            if (!written)
                return done(written);
            clearSlot(name, header.slot, header.count, [this, name, header, done](Status trimmed) {
                if (!trimmed)
                    return done(trimmed);
                m_io.write(mainKey(name), layout::encodeHeader(header), [this, name, header, done](Status s) {
                    if (!s)
                        return done(s);
                    clearSlot(name, 1 - header.slot, 0, done);
                });
            });
        });
    });
}

void KeychainStore::doRemove(const QString& name, Done done)
{
    if (!layout::isValidName(name))
        return done(std::unexpected(invalidName(name)));
    // Chunks first: an interrupted remove leaves a header without chunks (reported as damaged and
    // cleaned by the next write or remove), never chunks that no header leads to.
    clearAllSlots(name, 0, [this, name, done = std::move(done)](Status s) {
        if (!s)
            return done(s);
        m_io.remove(mainKey(name), done);
    });
}

void KeychainStore::doWipe(qsizetype next, Status firstFailure, Done done)
{
    // Goes on after a failure so that as much as possible is gone; reports the first failure.
    if (next == secret::kAll.size())
        return done(std::move(firstFailure));
    const QString& name = secret::kAll.at(next);
    doRemove(name, [this, next, name, firstFailure = std::move(firstFailure),
                    done = std::move(done)](Status s) {
        Status carried = firstFailure;
        if (carried && !s)
            carried = std::unexpected(
                Error{s.error().code, QStringLiteral("wiping secret %1: %2").arg(name, s.error().message)});
        // A keychain that is not there (or does not answer) will not answer the next names either: one
        // deadline, not one per entry.
        if (!s && s.error().code == codes::kKeychainUnavailable)
            return done(std::move(carried));
        doWipe(next + 1, std::move(carried), done);
    });
}

// ---- chunks ------------------------------------------------------------------------------------

void KeychainStore::readChunks(const QString& name, const layout::ChunkHeader& header,
                               QList<QByteArray> chunks, ReadCallback done)
{
    if (chunks.size() == header.count) {
        Result<QByteArray> joined = layout::joinChunks(header, chunks);
        if (!joined)
            return done(propagate(joined));
        return done(std::optional<QByteArray>(std::move(*joined)));
    }
    const int index = static_cast<int>(chunks.size());
    m_io.read(chunkKey(name, header.slot, index), [this, name, header, chunks = std::move(chunks),
                                                   done = std::move(done)](
                                                      Result<std::optional<QByteArray>> chunk) mutable {
        if (!chunk)
            return done(propagate(chunk));
        if (!chunk->has_value())
            return done(fail(codes::kSecretDamaged,
                             QStringLiteral("chunk %1 of %2 is missing (an interrupted write or remove; "
                                            "write or remove the secret again)")
                                 .arg(chunks.size() + 1)
                                 .arg(header.count)));
        chunks.append(std::move(**chunk));
        readChunks(name, header, std::move(chunks), std::move(done));
    });
}

void KeychainStore::writeChunks(const QString& name, int slot, QList<QByteArray> chunks, int index, Done done)
{
    if (index == chunks.size())
        return done(ok());
    const QByteArray chunk = chunks.at(index);
    m_io.write(
        chunkKey(name, slot, index), chunk,
        [this, name, slot, chunks = std::move(chunks), index, done = std::move(done)](Status s) mutable {
            if (!s)
                return done(s);
            writeChunks(name, slot, std::move(chunks), index + 1, std::move(done));
        });
}

void KeychainStore::clearSlot(const QString& name, int slot, int from, Done done)
{
    scanSlot(name, slot, from, [this, name, slot, from, done = std::move(done)](Result<int> end) {
        if (!end)
            return done(propagate(end));
        deleteChunksDown(name, slot, from, *end - 1, done);
    });
}

void KeychainStore::scanSlot(const QString& name, int slot, int index, std::function<void(Result<int>)> done)
{
    if (index >= layout::kMaxChunks)
        return done(index);
    m_io.read(chunkKey(name, slot, index),
              [this, name, slot, index, done = std::move(done)](Result<std::optional<QByteArray>> chunk) {
                  if (!chunk)
                      return done(propagate(chunk));
                  if (!chunk->has_value())
                      return done(index);
                  scanSlot(name, slot, index + 1, done);
              });
}

void KeychainStore::deleteChunksDown(const QString& name, int slot, int from, int index, Done done)
{
    if (index < from)
        return done(ok());
    m_io.remove(chunkKey(name, slot, index),
                [this, name, slot, from, index, done = std::move(done)](Status s) {
                    if (!s)
                        return done(s);
                    deleteChunksDown(name, slot, from, index - 1, done);
                });
}

void KeychainStore::clearAllSlots(const QString& name, int slot, Done done)
{
    if (slot == layout::kSlotCount)
        return done(ok());
    clearSlot(name, slot, 0, [this, name, slot, done = std::move(done)](Status s) {
        if (!s)
            return done(s);
        clearAllSlots(name, slot + 1, done);
    });
}

QString KeychainStore::mainKey(const QString& name) const
{
    return layout::mainKey(m_installId, name);
}

QString KeychainStore::chunkKey(const QString& name, int slot, int index) const
{
    return layout::chunkKey(m_installId, name, slot, index);
}

} // namespace odis::storage
