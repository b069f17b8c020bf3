#pragma once

// Where the agent may type the clinic's IDEXX Neo password (docs/architecture.md, "Secrets"): only IDEXX
// Neo's own origins, so that neither the backend (whose clinic profile names the clinic's Neo) nor anyone
// who can pass for it can send the login elsewhere. Built in: any regional host directly under
// idexxneo.com (https://us.idexxneo.com, https://ca.idexxneo.com, https://uk.idexxneo.com, ...) on port
// 443. IT widens the list only through the managed configuration (`neo.allowed_origins`); the tests and
// the demo do so for the simulators on 127.0.0.1.
//
// Entries: "https://<host>" or "https://<host>:<port>" for one origin, "https://*.<domain>" for every host
// one label under <domain> on port 443. Nothing else (no http, no paths, no wildcard inside a label, no
// bare "*").

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"

#include <QString>
#include <QStringList>
#include <QUrl>

namespace odis::sync {

inline constexpr QLatin1StringView kNeoOriginListInvalid{codes::kNeoOriginListInvalid};
inline constexpr QLatin1StringView kNeoOriginNotAllowed{codes::kNeoOriginNotAllowed};

class NeoOriginAllowList
{
public:
    static inline const QStringList kBuiltIn{QStringLiteral("https://*.idexxneo.com")};

    // The built-in entries and `extra` (the managed configuration's). Error neo_origin_list_invalid
    // naming the first entry that is not of the forms above.
    [[nodiscard]] static Result<NeoOriginAllowList> create(const QStringList& extra = {});
    // Whether `entry` is well formed (the configuration checks its entries with it).
    [[nodiscard]] static Status checkEntry(const QString& entry);

    // True when the origin of `url` (scheme, host, port) is allowed. Userinfo, a query or a fragment make
    // any URL unacceptable.
    [[nodiscard]] bool allows(const QUrl& url) const;
    [[nodiscard]] const QStringList& entries() const { return m_entries; }

private:
    struct Entry
    {
        QString host; // lower case; for a wildcard the domain after "*."
        int port = 443;
        bool wildcard = false;
    };

    QStringList m_entries;
    QList<Entry> m_parsed;
};

// "https://host" (port 443) or "https://host:port", host in lower case: how an origin is written in the
// store and in messages. Empty for a URL without an https scheme and a host.
[[nodiscard]] QString originText(const QUrl& url);

} // namespace odis::sync
