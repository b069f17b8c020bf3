#pragma once

// A ZIP archive (PKWARE APPNOTE 6.3, the subset every unzip reads: deflate or stored entries, no ZIP64, no
// encryption, UTF-8 names) written in one go from entries held in memory: what a diagnostics bundle needs,
// without a dependency for it. Deflate is zlib's.

#include "storage/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace odis::agent {

struct ZipEntry
{
    QString name; // relative, '/' separated, no "..", at most 255 bytes of UTF-8
    QByteArray data;
};

// The archive's bytes. Error zip_invalid (a bad name, an entry or archive over the 4 GiB of plain ZIP, more
// than 65535 entries), zip_deflate_failed. `modified` stamps every entry (local time fields, as ZIP has).
[[nodiscard]] Result<QByteArray> zipArchive(const QList<ZipEntry>& entries, const QDateTime& modified);

} // namespace odis::agent
