#include "sync/core/neo_origin_allow_list.h"

#include <QRegularExpression>

namespace odis::sync {

namespace {

// One DNS label or an IPv4 address's dotted parts; IPv6 literals come bracketed from QUrl and are not
// needed here (the simulators listen on 127.0.0.1).
bool plainHost(const QString& host)
{
    static const QRegularExpression pattern(QStringLiteral(
        R"(^(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?)*$)"));
    return pattern.match(host).hasMatch();
}

std::unexpected<Error> invalid(const QString& entry, const QString& why)
{
    return fail(QString(kNeoOriginListInvalid),
                QStringLiteral("the allowed IDEXX Neo origin \"%1\" %2").arg(entry.left(100), why));
}

} // namespace

QString originText(const QUrl& url)
{
    if (!url.isValid() || url.scheme() != QLatin1StringView("https") || url.host().isEmpty())
        return {};
    const QString host = url.host().toLower();
    const int port = url.port(443);
    return port == 443 ? QStringLiteral("https://") + host
                       : QStringLiteral("https://%1:%2").arg(host).arg(port);
}

Status NeoOriginAllowList::checkEntry(const QString& entry)
{
    if (!entry.startsWith(QLatin1StringView("https://")))
        return invalid(entry, QStringLiteral("must start with https://"));
    QString rest = entry.mid(8);
    bool wildcard = false;
    if (rest.startsWith(QLatin1StringView("*."))) {
        wildcard = true;
        rest = rest.mid(2);
    }
    QString host = rest;
    int port = 443;
    if (const qsizetype colon = rest.lastIndexOf(u':'); colon >= 0) {
        bool ok = false;
        port = rest.mid(colon + 1).toInt(&ok);
        if (!ok || port < 1 || port > 65535 || rest.mid(colon + 1).startsWith(u'+'))
            return invalid(entry, QStringLiteral("has no valid port"));
        if (wildcard)
            return invalid(entry, QStringLiteral("names a port: a wildcard entry is for port 443 only"));
        host = rest.left(colon);
    }
    if (host != host.toLower() || !plainHost(host))
        return invalid(entry, QStringLiteral("must be https://<host>[:<port>] or https://*.<domain> (lower "
                                             "case, no path)"));
    // "*.com" would allow every .com host: a wildcard needs a domain of at least two labels.
    if (wildcard && !host.contains(u'.'))
        return invalid(entry, QStringLiteral("is a wildcard over a whole top-level domain"));
    return ok();
}

Result<NeoOriginAllowList> NeoOriginAllowList::create(const QStringList& extra)
{
    NeoOriginAllowList list;
    for (const QString& entry : kBuiltIn + extra) {
        if (auto checked = checkEntry(entry); !checked)
            return propagate(checked);
        if (list.m_entries.contains(entry))
            continue;
        Entry parsed;
        QString rest = entry.mid(8);
        parsed.wildcard = rest.startsWith(QLatin1StringView("*."));
        if (parsed.wildcard)
            rest = rest.mid(2);
        if (const qsizetype colon = rest.lastIndexOf(u':'); colon >= 0) {
            parsed.port = rest.mid(colon + 1).toInt();
            rest = rest.left(colon);
        }
        parsed.host = rest;
        list.m_entries << entry;
        list.m_parsed << parsed;
    }
    return list;
}

bool NeoOriginAllowList::allows(const QUrl& url) const
{
    if (!url.isValid() || url.scheme() != QLatin1StringView("https") || url.host().isEmpty() ||
        !url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment())
        return false;
    const QString host = url.host().toLower();
    const int port = url.port(443);
    for (const Entry& entry : m_parsed) {
        if (port != entry.port)
            continue;
        if (!entry.wildcard && host == entry.host)
            return true;
        // Exactly one label in front of the domain: "us.idexxneo.com", not "idexxneo.com" nor
        // "evil.us.idexxneo.com".
        if (entry.wildcard && host.endsWith(QLatin1Char('.') + entry.host)) {
            const QString label = host.left(host.size() - entry.host.size() - 1);
            if (!label.isEmpty() && !label.contains(u'.'))
                return true;
        }
    }
    return false;
}

} // namespace odis::sync
