#pragma once

#include "storage/result.h"

#include <QByteArray>

namespace odis::storage {

// Bytes from OpenSSL's CSPRNG (RAND_bytes), for keys and nonces. Fails with random_unavailable
// rather than ever returning predictable bytes.
[[nodiscard]] Result<QByteArray> secureRandomBytes(qsizetype count);

} // namespace odis::storage
