#pragma once

// The values a simulator handler works with: a request copied out of QtHttpServer, the response it
// builds, and how it wants the server to answer (now, later, never, or by resetting the connection).

#include "storage/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

namespace odis::sim {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// One request as a handler sees it. Everything is copied because QtHttpServer reuses its request object
// for the next request on the same connection, and a handler's answer may be written much later.
struct SimRequest
{
    QByteArray method; // upper case: "GET", "POST", ...
    QString path;      // percent-decoded
    QUrlQuery query;
    HeaderList headers;
    QByteArray body;            // inflated when it came with Content-Encoding: gzip
    qsizetype wireBodySize = 0; // size as received, before inflation
    bool gzipEncoded = false;
    QHostAddress peer;
    QString routeName;
    QHash<QString, QString> params; // the {name} segments of the route pattern

    // Case-insensitive; the first value when a header is repeated, empty when absent.
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    [[nodiscard]] bool hasHeader(QByteArrayView name) const;
    [[nodiscard]] QString param(const QString& name) const { return params.value(name); }
    // The body as a JSON object; "invalid_json" when it is not one.
    [[nodiscard]] Result<QJsonObject> jsonObject() const;
};

struct SimResponse
{
    int status = 200;
    HeaderList headers;
    QByteArray body;

    static SimResponse json(int status, const QJsonObject& body);
    static SimResponse json(int status, const QJsonArray& body);
    // The contract's error body: {"error": code, "details": {...}}.
    static SimResponse error(int status, const QString& code, const QJsonObject& details = {});
    static SimResponse noBody(int status);

    // Replaces every header of that name (case-insensitive).
    SimResponse& setHeader(const QByteArray& name, const QByteArray& value);
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    [[nodiscard]] bool isJson() const;
};

// A reply a handler completes later. The server keeps the connection open until finish() is called; a
// finish() after the client went away is dropped, a second finish() is ignored.
class SimDeferredReply
{
public:
    void finish(SimResponse response);
    [[nodiscard]] bool isFinished() const { return m_finished; }

    // Used by the server: where the response goes. A finish() that came earlier is delivered at once.
    void attach(std::function<void(SimResponse)> sink);

private:
    std::function<void(SimResponse)> m_sink;
    std::optional<SimResponse> m_early;
    bool m_finished = false;
};

class SimReply
{
public:
    enum class Kind
    {
        Respond,
        Hang,    // never answer; the connection stays open until the client gives up
        Reset,   // drop the connection with a TCP reset
        Deferred // answer when the SimDeferredReply is finished
    };

    // Implicit on purpose: a handler usually just returns its response.
    SimReply(SimResponse response); // NOLINT(google-explicit-constructor)
    static SimReply hang();
    static SimReply reset();
    static SimReply deferred(std::shared_ptr<SimDeferredReply> pending);

    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] const SimResponse& response() const { return m_response; }
    [[nodiscard]] const std::shared_ptr<SimDeferredReply>& pending() const { return m_pending; }

private:
    explicit SimReply(Kind kind);

    Kind m_kind = Kind::Respond;
    SimResponse m_response;
    std::shared_ptr<SimDeferredReply> m_pending;
};

using SimHandler = std::function<SimReply(const SimRequest&)>;

} // namespace odis::sim
