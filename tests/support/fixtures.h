#pragma once

#include <QByteArray>
#include <QString>

namespace odis::test {

// Absolute path of a file under tests/fixtures/ in the source tree (ODIS_SOURCE_DIR is set by CTest).
QString fixturePath(const QString& relative);

// Reads a fixture; a missing fixture fails the calling test loudly (QFAIL is not usable outside a test
// function, so this aborts with a message instead of returning empty data that a test might accept).
QByteArray readFixture(const QString& relative);

} // namespace odis::test
