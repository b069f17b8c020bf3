#include "sync/neo/page_bridge.h"

namespace odis::sync {

void PageBridge::deliver(int callId, bool ok, const QJsonValue& value)
{
    Q_EMIT delivered(callId, ok, value);
}

} // namespace odis::sync
