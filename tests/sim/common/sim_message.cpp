#include "tests/sim/common/sim_message.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace odis::sim {

namespace {

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

QByteArray firstValue(const HeaderList& headers, QByteArrayView name)
{
    for (const auto& [key, value] : headers) {
        if (sameName(key, name))
            return value;
    }
    return {};
}

} // namespace

QByteArray SimRequest::header(QByteArrayView name) const
{
    return firstValue(headers, name);
}

bool SimRequest::hasHeader(QByteArrayView name) const
{
    return std::any_of(headers.cbegin(), headers.cend(),
                       [name](const auto& h) { return sameName(h.first, name); });
}

Result<QJsonObject> SimRequest::jsonObject() const
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(QStringLiteral("invalid_json"),
                    QStringLiteral("the body is not JSON: ") + error.errorString());
    if (!doc.isObject())
        return fail(QStringLiteral("invalid_json"), QStringLiteral("the body is not a JSON object"));
    return doc.object();
}

SimResponse SimResponse::json(int status, const QJsonObject& body)
{
    SimResponse r;
    r.status = status;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return r;
}

SimResponse SimResponse::json(int status, const QJsonArray& body)
{
    SimResponse r;
    r.status = status;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return r;
}

SimResponse SimResponse::error(int status, const QString& code, const QJsonObject& details)
{
    return json(status, QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("details"), details}});
}

SimResponse SimResponse::noBody(int status)
{
    SimResponse r;
    r.status = status;
    return r;
}

SimResponse& SimResponse::setHeader(const QByteArray& name, const QByteArray& value)
{
    headers.removeIf([&name](const auto& h) { return sameName(h.first, name); });
    headers.append({name, value});
    return *this;
}

QByteArray SimResponse::header(QByteArrayView name) const
{
    return firstValue(headers, name);
}

bool SimResponse::isJson() const
{
    return header("Content-Type").startsWith("application/json");
}

void SimDeferredReply::finish(SimResponse response)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_sink)
        m_sink(std::move(response));
    else
        m_early = std::move(response);
}

void SimDeferredReply::attach(std::function<void(SimResponse)> sink)
{
    m_sink = std::move(sink);
    if (m_early) {
        auto early = std::move(*m_early);
        m_early.reset();
        m_sink(std::move(early));
    }
}

SimReply::SimReply(SimResponse response)
    : m_response(std::move(response))
{}

SimReply::SimReply(Kind kind)
    : m_kind(kind)
{}

SimReply SimReply::hang()
{
    return SimReply(Kind::Hang);
}

SimReply SimReply::reset()
{
    return SimReply(Kind::Reset);
}

SimReply SimReply::deferred(std::shared_ptr<SimDeferredReply> pending)
{
    SimReply r(Kind::Deferred);
    r.m_pending = std::move(pending);
    return r;
}

} // namespace odis::sim
