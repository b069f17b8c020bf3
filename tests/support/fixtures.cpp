#include "tests/support/fixtures.h"

#include <QFile>
#include <QtGlobal>

namespace odis::test {

QString fixturePath(const QString& relative)
{
    const QByteArray root = qgetenv("ODIS_SOURCE_DIR");
    if (root.isEmpty())
        qFatal("ODIS_SOURCE_DIR is not set: run the tests through ctest");
    return QString::fromLocal8Bit(root) + QStringLiteral("/tests/fixtures/") + relative;
}

QByteArray readFixture(const QString& relative)
{
    QFile f(fixturePath(relative));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("fixture %s cannot be read: %s", qPrintable(relative), qPrintable(f.errorString()));
    return f.readAll();
}

} // namespace odis::test
