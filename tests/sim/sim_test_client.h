#pragma once

// A small HTTP(S) client for the simulator tests: real QNetworkAccessManager requests that trust the test
// CA through QSslConfiguration (TLS errors are never ignored), waited for with QSignalSpy.

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPair>
#include <QSslConfiguration>
#include <QUrl>

#include <optional>

namespace odis::sim::test {

struct HttpResult
{
    int status = 0; // 0 when no HTTP status arrived
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    qint64 elapsedMs = 0;
    bool finished = false; // false: the reply did not finish within the wait

    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    // The body as a JSON object; an empty object when it is not one.
    [[nodiscard]] QJsonObject json() const;
    [[nodiscard]] bool isJsonObject() const;
};

class SimTestClient
{
public:
    // Without a configuration the client trusts only the system store (so a test server is refused).
    explicit SimTestClient(std::optional<QSslConfiguration> tls = std::nullopt);

    HttpResult send(const QByteArray& method, const QUrl& url, const QByteArray& body = {},
                    const QList<QPair<QByteArray, QByteArray>>& headers = {}, int transferTimeoutMs = 10'000);
    HttpResult get(const QUrl& url, const QList<QPair<QByteArray, QByteArray>>& headers = {});
    HttpResult sendJson(const QByteArray& method, const QUrl& url, const QJsonObject& body,
                        QList<QPair<QByteArray, QByteArray>> headers = {});

private:
    QNetworkAccessManager m_manager;
    std::optional<QSslConfiguration> m_tls;
};

} // namespace odis::sim::test
