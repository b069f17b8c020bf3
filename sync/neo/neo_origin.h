#pragma once

#include "storage/result.h"

#include <QString>
#include <QUrl>

namespace odis::sync {

// The clinic's Neo origin (scheme, host, port): the only place the session's page may load from or
// navigate to. The base URL is configuration (e.g. https://us.idexxneo.com); only HTTPS is accepted.
class NeoOrigin
{
public:
    // Error neo_config_invalid for anything but an absolute https URL with a host (a path is ignored;
    // user info, query and fragment are refused: they have no place in a base URL).
    [[nodiscard]] static Result<NeoOrigin> fromBaseUrl(const QUrl& baseUrl);

    // Same scheme, host (case-insensitive) and effective port.
    [[nodiscard]] bool contains(const QUrl& url) const;

    // An absolute URL for a same-origin path such as "/appointments/getAppointment?id=1". Refuses
    // anything that is not a plain absolute path ("//host", "https://...", "../", backslashes,
    // control characters) with neo_config_invalid, so a caller can never steer the page elsewhere.
    [[nodiscard]] Result<QUrl> resolve(const QString& pathAndQuery) const;

    [[nodiscard]] QUrl url() const { return m_url; } // scheme://host[:port], no path
    [[nodiscard]] QString host() const { return m_url.host(); }
    [[nodiscard]] int port() const { return m_url.port(443); }

private:
    explicit NeoOrigin(QUrl url)
        : m_url(std::move(url))
    {}
    QUrl m_url;
};

} // namespace odis::sync
