#pragma once

#include "storage/result.h"
#include "tests/sim/common/sim_message.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace odis::sim {

// One endpoint: a unique name (what faults and request counts are keyed by), a method and a path pattern
// whose `{name}` segments match one non-empty path segment each.
struct SimRoute
{
    QString name;
    QByteArray method;
    QString pattern;
    SimHandler handler;
};

// Matches a method and path to a route. A trailing slash is not significant ("/batch/" == "/batch").
class RouteTable
{
public:
    struct Match
    {
        const SimRoute* route = nullptr;
        QHash<QString, QString> params;
        bool pathKnown = false; // some route has this path, maybe with another method (-> 405)
    };

    // Fails on a reused name or a reused (method, pattern) pair, or a malformed pattern.
    Status add(SimRoute route);
    [[nodiscard]] Match match(QByteArrayView method, const QString& path) const;
    [[nodiscard]] const QList<SimRoute>& routes() const { return m_routes; }
    [[nodiscard]] const SimRoute* find(const QString& name) const;

private:
    QList<SimRoute> m_routes;
};

} // namespace odis::sim
