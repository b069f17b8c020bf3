#include "storage/secret_memory.h"

#include <openssl/crypto.h>

namespace odis::storage {

bool overwrite(QByteArray& bytes)
{
    // isDetached(): this copy alone owns the buffer (static data and shared buffers are not written to).
    if (bytes.isEmpty() || !bytes.isDetached())
        return false;
    OPENSSL_cleanse(bytes.data(), static_cast<size_t>(bytes.size()));
    return true;
}

bool overwrite(QString& text)
{
    if (text.isEmpty() || !text.isDetached())
        return false;
    OPENSSL_cleanse(text.data(), static_cast<size_t>(text.size()) * sizeof(QChar));
    return true;
}

void wipe(QByteArray& bytes)
{
    (void)overwrite(bytes);
    bytes = QByteArray();
}

void wipe(QString& text)
{
    (void)overwrite(text);
    text = QString();
}

} // namespace odis::storage
