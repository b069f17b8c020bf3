#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace odis::sim {

// gzip (RFC 1952) for request bodies sent with Content-Encoding: gzip, on zlib.
// Inflation stops with "body_too_large" past maxOutput bytes, so a small hostile body cannot exhaust memory.
Result<QByteArray> gunzip(QByteArrayView compressed, qsizetype maxOutput);
QByteArray gzip(QByteArrayView plain);

} // namespace odis::sim
