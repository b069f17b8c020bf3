#include "tests/sim/common/route_table.h"

#include <QStringList>

namespace odis::sim {

namespace {

QStringList segments(const QString& path)
{
    QString p = path;
    if (p.size() > 1 && p.endsWith(u'/'))
        p.chop(1);
    return p.split(u'/');
}

bool isParameter(const QString& segment)
{
    return segment.size() > 2 && segment.startsWith(u'{') && segment.endsWith(u'}');
}

// Fills `params` and returns true when every segment matches.
bool matchSegments(const QStringList& pattern, const QStringList& path, QHash<QString, QString>& params)
{
    if (pattern.size() != path.size())
        return false;
    QHash<QString, QString> found;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QString& want = pattern.at(i);
        if (isParameter(want)) {
            if (path.at(i).isEmpty())
                return false;
            found.insert(want.mid(1, want.size() - 2), path.at(i));
        } else if (want != path.at(i)) {
            return false;
        }
    }
    params = std::move(found);
    return true;
}

} // namespace

Status RouteTable::add(SimRoute route)
{
    if (route.name.isEmpty() || !route.pattern.startsWith(u'/') || route.method.isEmpty() || !route.handler)
        return fail(QStringLiteral("invalid_route"), QStringLiteral("a route needs a name, a method, a "
                                                                    "handler and a pattern starting with /"));
    for (const QString& segment : segments(route.pattern)) {
        if ((segment.contains(u'{') || segment.contains(u'}')) && !isParameter(segment))
            return fail(QStringLiteral("invalid_route"),
                        QStringLiteral("malformed pattern segment in route ") + route.name);
    }
    for (const SimRoute& existing : std::as_const(m_routes)) {
        if (existing.name == route.name)
            return fail(QStringLiteral("duplicate_route"),
                        QStringLiteral("route name reused: ") + route.name);
        if (existing.method == route.method && segments(existing.pattern) == segments(route.pattern))
            return fail(QStringLiteral("duplicate_route"),
                        QStringLiteral("method and pattern reused by ") + route.name);
    }
    route.method = route.method.toUpper();
    m_routes.append(std::move(route));
    return ok();
}

RouteTable::Match RouteTable::match(QByteArrayView method, const QString& path) const
{
    Match result;
    const QStringList pathSegments = segments(path);
    for (const SimRoute& route : m_routes) {
        QHash<QString, QString> params;
        if (!matchSegments(segments(route.pattern), pathSegments, params))
            continue;
        result.pathKnown = true;
        if (route.method.compare(method, Qt::CaseInsensitive) == 0) {
            result.route = &route;
            result.params = std::move(params);
            return result;
        }
    }
    return result;
}

const SimRoute* RouteTable::find(const QString& name) const
{
    for (const SimRoute& route : m_routes) {
        if (route.name == name)
            return &route;
    }
    return nullptr;
}

} // namespace odis::sim
