#include "storage/secure_random.h"

#include "storage/codes/storage_codes.h"

#include <climits>
#include <openssl/rand.h>

namespace odis::storage {

Result<QByteArray> secureRandomBytes(qsizetype count)
{
    if (count < 0 || count > INT_MAX)
        return fail(codes::kRandomUnavailable, QStringLiteral("cannot draw %1 random bytes").arg(count));
    QByteArray bytes(count, Qt::Uninitialized);
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1)
        return fail(codes::kRandomUnavailable,
                    QStringLiteral("the system random generator could not provide %1 bytes").arg(count));
    return bytes;
}

} // namespace odis::storage
