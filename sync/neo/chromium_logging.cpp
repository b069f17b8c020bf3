#include "sync/neo/chromium_logging.h"

#include <QByteArray>
#include <QList>
#include <QtGlobal>

namespace odis::sync {

void quietChromiumLogging()
{
    static constexpr const char* kVariable = "QTWEBENGINE_CHROMIUM_FLAGS";
    QByteArray flags = qgetenv(kVariable);
    const QList<QByteArray> present = flags.split(' ');
    const auto has = [&present](const QByteArray& name) {
        for (const QByteArray& flag : present) {
            if (flag == name || flag.startsWith(QByteArray(name + QByteArray("="))))
                return true;
        }
        return false;
    };
    // A flag the caller chose stays as it is.
    if (!has(QByteArrayLiteral("--disable-logging")) && !has(QByteArrayLiteral("--enable-logging")))
        flags += QByteArray(QByteArray(flags.isEmpty() ? "" : " ") + QByteArrayLiteral("--disable-logging"));
    if (!has(QByteArrayLiteral("--log-level")))
        flags += QByteArray(QByteArray(flags.isEmpty() ? "" : " ") + QByteArrayLiteral("--log-level=3"));
    qputenv(kVariable, flags);
}

} // namespace odis::sync
