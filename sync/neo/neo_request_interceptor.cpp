#include "sync/neo/neo_request_interceptor.h"

#include <QLoggingCategory>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcInterceptor, "odis.sync.neo.requests")
}

NeoRequestInterceptor::NeoRequestInterceptor(NeoOrigin origin, QObject* parent)
    : QWebEngineUrlRequestInterceptor(parent)
    , m_origin(std::move(origin))
{}

bool NeoRequestInterceptor::isAllowedResourceType(int resourceType)
{
    // An allow list: a resource type added by a later Chromium is refused until someone decides.
    switch (resourceType) {
    case QWebEngineUrlRequestInfo::ResourceTypeMainFrame:
    case QWebEngineUrlRequestInfo::ResourceTypeSubFrame:
    case QWebEngineUrlRequestInfo::ResourceTypeStylesheet:
    case QWebEngineUrlRequestInfo::ResourceTypeScript:
    case QWebEngineUrlRequestInfo::ResourceTypeXhr:
    case QWebEngineUrlRequestInfo::ResourceTypeSubResource:
        return true;
    default:
        return false;
    }
}

void NeoRequestInterceptor::interceptRequest(QWebEngineUrlRequestInfo& info)
{
    if (!m_origin.contains(info.requestUrl())) {
        ++m_blockedForeignOrigin;
        qCDebug(lcInterceptor) << "blocked a request outside the Neo origin, resource type"
                               << info.resourceType();
        info.block(true);
        return;
    }
    if (!isAllowedResourceType(info.resourceType())) {
        ++m_blockedResourceType;
        qCDebug(lcInterceptor) << "blocked a request of resource type" << info.resourceType();
        info.block(true);
    }
}

} // namespace odis::sync
