#pragma once

// Where the Odis backend is and how the agent talks to it (docs/backend-api.md, "Transport").

#include <QNetworkProxy>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <optional>

namespace odis::sync {

struct BackendConfig
{
    QUrl baseUrl; // https://api.odis.example; https only
    // Per request: no byte in either direction for this long aborts it (QNetworkRequest::setTransferTimeout).
    std::chrono::milliseconds transferTimeout{30'000};
    // Per request, whatever the traffic: a server trickling bytes cannot hold a request forever.
    std::chrono::milliseconds totalTimeout{120'000};
    // PEM file with extra trusted CAs (a clinic's TLS-inspecting proxy, the test CA); the system store
    // is trusted as well. Empty: the system store only.
    QString caFile;
    // Base64 SHA-256 of the SubjectPublicKeyInfo of a certificate of the backend's chain. Empty: no
    // pinning. Several for rotation: one match anywhere in the verified chain is enough.
    QStringList spkiPins;
    QString agentVersion = QStringLiteral(ODIS_VERSION);
    QString osName; // for User-Agent and enrollment; empty: QSysInfo::prettyProductName()
    // A proxy chosen by configuration (an explicit one with its login, or NoProxy for "direct"); absent:
    // the operating system's proxy settings.
    std::optional<QNetworkProxy> proxy;
};

} // namespace odis::sync
