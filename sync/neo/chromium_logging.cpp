#include "sync/neo/chromium_logging.h"

#include <QByteArray>
#include <QList>
#include <QtGlobal>

namespace odis::sync {

void quietChromiumLogging()
{
    static constexpr const char* kVariable = "QTWEBENGINE_CHROMIUM_FLAGS";
    QByteArray flags = qgetenv(kVariable);
    for (const QByteArray& flag : {QByteArrayLiteral("--disable-logging"), QByteArrayLiteral("--log-level=3")}) {
        const QByteArray name = flag.left(flag.indexOf('=') < 0 ? flag.size() : flag.indexOf('='));
        if (flags.split(' ').contains(flag) || flags.contains(name + '='))
            continue; // one the caller chose stays
        flags += (flags.isEmpty() ? "" : " ") + flag;
    }
    qputenv(kVariable, flags);
}

} // namespace odis::sync
