#include "tests/sim/sim_test_client.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>

namespace odis::sim::test {

QByteArray HttpResult::header(QByteArrayView name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject HttpResult::json() const
{
    return QJsonDocument::fromJson(body).object();
}

bool HttpResult::isJsonObject() const
{
    return QJsonDocument::fromJson(body).isObject();
}

SimTestClient::SimTestClient(std::optional<QSslConfiguration> tls)
    : m_tls(std::move(tls))
{
    m_manager.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

HttpResult SimTestClient::send(const QByteArray& method, const QUrl& url, const QByteArray& body,
                               const QList<QPair<QByteArray, QByteArray>>& headers, int transferTimeoutMs)
{
    QNetworkRequest request(url);
    if (m_tls)
        request.setSslConfiguration(*m_tls);
    request.setTransferTimeout(transferTimeoutMs);
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    auto* buffer = new QBuffer;
    buffer->setData(body);
    buffer->open(QIODevice::ReadOnly);
    QElapsedTimer timer;
    timer.start();
    QNetworkReply* reply = m_manager.sendCustomRequest(request, method, buffer);
    buffer->setParent(reply);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    HttpResult result;
    result.finished = reply->isFinished() || finished.wait(transferTimeoutMs + 5000);
    result.elapsedMs = timer.elapsed();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.error = reply->error();
    if (reply->isOpen())
        result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    if (!result.finished)
        reply->abort();
    reply->deleteLater();
    return result;
}

HttpResult SimTestClient::get(const QUrl& url, const QList<QPair<QByteArray, QByteArray>>& headers)
{
    return send(QByteArrayLiteral("GET"), url, {}, headers);
}

HttpResult SimTestClient::sendJson(const QByteArray& method, const QUrl& url, const QJsonObject& body,
                                   QList<QPair<QByteArray, QByteArray>> headers)
{
    headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return send(method, url, QJsonDocument(body).toJson(QJsonDocument::Compact), headers);
}

} // namespace odis::sim::test
