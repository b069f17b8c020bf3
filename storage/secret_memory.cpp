#include "storage/secret_memory.h"

#include <openssl/crypto.h>

namespace odis::storage {

void wipe(QByteArray& bytes)
{
    // isDetached(): this copy alone owns the buffer (static data and shared buffers are not written to).
    if (!bytes.isEmpty() && bytes.isDetached())
        OPENSSL_cleanse(bytes.data(), static_cast<size_t>(bytes.size()));
    bytes = QByteArray();
}

void wipe(QString& text)
{
    if (!text.isEmpty() && text.isDetached())
        OPENSSL_cleanse(text.data(), static_cast<size_t>(text.size()) * sizeof(QChar));
    text = QString();
}

} // namespace odis::storage
