// The agent's configuration files (agent/agent_config.h): strict parsing with errors that name the file
// and the key, the managed file winning key by key over the user's, relative file names, the backend
// settings handed to the client, and the per-user file `enroll --backend` writes.

#include "agent/agent_config.h"
#include "agent/proxy/proxy_setup.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace odis::agent;
using namespace std::chrono_literals;

namespace {

const QString kSource = QStringLiteral("/etc/odis-agent/config.json");
// base64 of 32 bytes: a well-formed SHA-256 pin.
const QString kPin = QString::fromLatin1(QByteArray(32, '\x07').toBase64());

// JSON written with single quotes, to keep the cases readable.
QByteArray q(const char* text)
{
    return QByteArray(text).replace('\'', '"');
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

class TestAgentConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults()
    {
        const auto config = resolveAgentConfig({});
        QVERIFY(config);
        QCOMPARE(config->backendUrl, AgentConfig::kDefaultBackendUrl);
        QCOMPARE(config->transferTimeout, 30s);
        QCOMPARE(config->totalTimeout, 120s);
        QVERIFY(config->spkiPins.isEmpty());
        QVERIFY(config->telemetryEnabled);
        QVERIFY(!config->telemetryActive()); // no built-in key
        QCOMPARE(config->logLevel, spdlog::level::info);
    }

    void validFile()
    {
        const QByteArray json =
            QJsonDocument(
                QJsonObject{
                    {QStringLiteral("backend"),
                     QJsonObject{{QStringLiteral("url"), QStringLiteral("https://api.clinic.test:8443/base")},
                                 {QStringLiteral("ca_file"), QStringLiteral("certs/proxy-ca.pem")},
                                 {QStringLiteral("spki_pins"), QJsonArray{kPin}},
                                 {QStringLiteral("transfer_timeout_s"), 45},
                                 {QStringLiteral("total_timeout_s"), 300}}},
                    {QStringLiteral("neo"),
                     QJsonObject{{QStringLiteral("base_url"), QStringLiteral("https://neo.test")},
                                 {QStringLiteral("selector_profile"), QStringLiteral("sel.json")}}},
                    {QStringLiteral("telemetry"),
                     QJsonObject{{QStringLiteral("enabled"), true},
                                 {QStringLiteral("posthog_host"), QStringLiteral("https://ph.test")},
                                 {QStringLiteral("posthog_api_key"), QStringLiteral("phc_key")}}},
                    {QStringLiteral("log_level"), QStringLiteral("warn")}})
                .toJson();
        const auto layer = parseAgentConfigLayer(json, kSource);
        QVERIFY2(layer, qPrintable(layer ? QString() : layer.error().toString()));
        const auto config = resolveAgentConfig({*layer});
        QVERIFY(config);
        QCOMPARE(config->backendUrl, QUrl(QStringLiteral("https://api.clinic.test:8443/base")));
        // Relative to the file that names it.
        QCOMPARE(config->backendCaFile, QStringLiteral("/etc/odis-agent/certs/proxy-ca.pem"));
        QCOMPARE(config->selectorProfileFile, QStringLiteral("/etc/odis-agent/sel.json"));
        QCOMPARE(config->spkiPins, QStringList{kPin});
        QCOMPARE(config->transferTimeout, 45s);
        QCOMPARE(config->totalTimeout, 300s);
        QVERIFY(config->telemetryActive());
        QCOMPARE(config->logLevel, spdlog::level::warn);
        QCOMPARE(config->sources, QStringList{kSource});

        // What the backend client is made with.
        const auto backend = config->backend();
        QCOMPARE(backend.baseUrl, config->backendUrl);
        QCOMPARE(backend.caFile, config->backendCaFile);
        QCOMPARE(backend.spkiPins, config->spkiPins);
        QCOMPARE(backend.transferTimeout, 45'000ms);
        QCOMPARE(backend.totalTimeout, 300'000ms);
        QCOMPARE(config->backend(QUrl(QStringLiteral("https://other.test"))).baseUrl,
                 QUrl(QStringLiteral("https://other.test")));
    }

    void invalidFile_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("named"); // the key (or problem) the message must name
        QTest::newRow("not JSON") << QByteArray("{backend:") << QString();
        QTest::newRow("not an object") << QByteArray("[1, 2]") << QString();
        QTest::newRow("unknown top-level key") << QByteArray(q("{'backnd': {}}")) << u"backnd"_qs;
        QTest::newRow("unknown backend key")
            << QByteArray(q("{'backend': {'timeout': 5}}")) << u"backend.timeout"_qs;
        QTest::newRow("backend not an object")
            << QByteArray(q("{'backend': 'https://x.test'}")) << u"backend"_qs;
        QTest::newRow("plain http backend")
            << QByteArray(q("{'backend': {'url': 'http://api.test'}}")) << u"backend.url"_qs;
        QTest::newRow("backend URL with user")
            << QByteArray(q("{'backend': {'url': 'https://u:p@api.test'}}")) << u"backend.url"_qs;
        QTest::newRow("backend URL with query")
            << QByteArray(q("{'backend': {'url': 'https://api.test/?a=1'}}")) << u"backend.url"_qs;
        QTest::newRow("url not a string") << QByteArray(q("{'backend': {'url': 5}}")) << u"backend.url"_qs;
        QTest::newRow("empty ca_file")
            << QByteArray(q("{'backend': {'ca_file': ''}}")) << u"backend.ca_file"_qs;
        QTest::newRow("pins not a list")
            << QByteArray(q("{'backend': {'spki_pins': 'abc'}}")) << u"backend.spki_pins"_qs;
        QTest::newRow("pin not a SHA-256")
            << QByteArray(q("{'backend': {'spki_pins': ['c2hvcnQ=']}}")) << u"backend.spki_pins"_qs;
        QTest::newRow("zero transfer time-out")
            << QByteArray(q("{'backend': {'transfer_timeout_s': 0}}")) << u"backend.transfer_timeout_s"_qs;
        QTest::newRow("fractional transfer time-out")
            << QByteArray(q("{'backend': {'transfer_timeout_s': 2.5}}")) << u"backend.transfer_timeout_s"_qs;
        QTest::newRow("transfer time-out as text")
            << QByteArray(q("{'backend': {'transfer_timeout_s': '30'}}")) << u"backend.transfer_timeout_s"_qs;
        QTest::newRow("transfer time-out too long")
            << QByteArray(q("{'backend': {'transfer_timeout_s': 601}}")) << u"backend.transfer_timeout_s"_qs;
        QTest::newRow("total time-out too long")
            << QByteArray(q("{'backend': {'total_timeout_s': 3601}}")) << u"backend.total_timeout_s"_qs;
        QTest::newRow("plain http Neo")
            << QByteArray(q("{'neo': {'base_url': 'http://neo.test'}}")) << u"neo.base_url"_qs;
        QTest::newRow("unknown neo key") << QByteArray(q("{'neo': {'user': 'x'}}")) << u"neo.user"_qs;
        QTest::newRow("telemetry flag as text")
            << QByteArray(q("{'telemetry': {'enabled': 'yes'}}")) << u"telemetry.enabled"_qs;
        QTest::newRow("unknown log level") << QByteArray(q("{'log_level': 'verbose'}")) << u"log_level"_qs;
        QTest::newRow("proxy with a login in the URL")
            << QByteArray(q("{'proxy': {'url': 'http://it:secret@proxy.lan:3128'}}")) << u"OS keychain"_qs;
        QTest::newRow("proxy without a port")
            << QByteArray(q("{'proxy': {'url': 'http://proxy.lan'}}")) << u"proxy.url"_qs;
        QTest::newRow("proxy over https")
            << QByteArray(q("{'proxy': {'url': 'https://proxy.lan:443'}}")) << u"proxy.url"_qs;
        QTest::newRow("proxy with a path")
            << QByteArray(q("{'proxy': {'url': 'http://proxy.lan:3128/x'}}")) << u"proxy.url"_qs;
        QTest::newRow("proxy word unknown") << QByteArray(q("{'proxy': {'url': 'none'}}")) << u"proxy.url"_qs;
        QTest::newRow("unknown proxy key") << QByteArray(q("{'proxy': {'user': 'x'}}")) << u"proxy.user"_qs;
    }
    void invalidFile()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, named);
        const auto layer = parseAgentConfigLayer(json, kSource);
        QVERIFY(!layer);
        QCOMPARE(layer.error().code, QString(kConfigInvalid));
        QVERIFY2(layer.error().message.startsWith(kSource), qPrintable(layer.error().message));
        if (!named.isEmpty())
            QVERIFY2(layer.error().message.contains(named), qPrintable(layer.error().message));
    }

    // The managed file (IT's) wins key by key; what it does not set stays the user's.
    void managedFileWinsKeyByKey()
    {
        const auto user = parseAgentConfigLayer(
            q("{'backend': {'url': 'https://user.test', 'transfer_timeout_s': 60}, 'log_level': 'debug'}"),
            QStringLiteral("/home/u/.config/config.json"));
        const auto managed = parseAgentConfigLayer(
            q("{'backend': {'url': 'https://it.test', 'spki_pins': ['") + kPin.toLatin1() + q("']}}"),
            kSource);
        QVERIFY(user && managed);
        const auto config = resolveAgentConfig({*user, *managed});
        QVERIFY(config);
        QCOMPARE(config->backendUrl, QUrl(QStringLiteral("https://it.test")));
        QCOMPARE(config->spkiPins, QStringList{kPin});
        QCOMPARE(config->transferTimeout, 60s);
        QCOMPARE(config->totalTimeout, 120s);
        QCOMPARE(config->logLevel, spdlog::level::debug);
        QCOMPARE(config->sources, (QStringList{QStringLiteral("/home/u/.config/config.json"), kSource}));
    }

    // Only IT widens where the clinic's IDEXX password may be typed: neo.allowed_origins is refused in the
    // user's file, checked entry by entry in the managed one.
    void allowedOriginsOnlyFromTheManagedFile()
    {
        const QByteArray json = q("{'neo': {'allowed_origins': ['https://127.0.0.1:4443']}}");
        const auto user = parseAgentConfigLayer(json, QStringLiteral("/home/u/config.json"));
        QVERIFY(!user);
        QCOMPARE(user.error().code, QString(kConfigInvalid));
        QVERIFY2(user.error().message.contains(QStringLiteral("neo.allowed_origins")) &&
                     user.error().message.contains(QStringLiteral("managed")),
                 qPrintable(user.error().message));

        const auto managed = parseAgentConfigLayer(json, kSource, ConfigLayerKind::Managed);
        QVERIFY2(managed, qPrintable(managed ? QString() : managed.error().toString()));
        const auto config = resolveAgentConfig({*managed});
        QVERIFY(config);
        QCOMPARE(config->neoAllowedOrigins, QStringList{QStringLiteral("https://127.0.0.1:4443")});
        QVERIFY(resolveAgentConfig({})->neoAllowedOrigins.isEmpty());

        for (const char* bad : {"{'neo': {'allowed_origins': ['http://127.0.0.1:4443']}}",
                                "{'neo': {'allowed_origins': ['https://*']}}",
                                "{'neo': {'allowed_origins': 'https://127.0.0.1:4443'}}",
                                "{'neo': {'allowed_origins': [4443]}}"}) {
            const auto refused = parseAgentConfigLayer(q(bad), kSource, ConfigLayerKind::Managed);
            QVERIFY2(!refused, bad);
            QVERIFY2(refused.error().message.contains(QStringLiteral("neo.allowed_origins")),
                     qPrintable(refused.error().message));
        }
    }

    // ODIS_MANAGED_CONFIG names the managed file (the tests and the demo cannot write /etc).
    void managedFileFromTheEnvironment()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString managed = dir.filePath(QStringLiteral("managed.json"));
        QVERIFY(writeFile(managed, q("{'neo': {'allowed_origins': ['https://127.0.0.1:4443']}}")));
        qputenv(kManagedConfigVariable, managed.toLocal8Bit());
        const AgentConfigPaths paths = AgentConfigPaths::defaults();
        qunsetenv(kManagedConfigVariable);
        QCOMPARE(paths.managedFile, managed);
        const auto config = loadAgentConfig({QString(), paths.managedFile});
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        QCOMPARE(config->neoAllowedOrigins, QStringList{QStringLiteral("https://127.0.0.1:4443")});
        // The same file as the user's is refused.
        QVERIFY(!loadAgentConfig({managed, QString()}));
    }

    // proxy.url: the system's settings by default; "direct"; an http or socks5 proxy; managed wins.
    void proxySettings()
    {
        const auto none = resolveAgentConfig({});
        QVERIFY(none && none->proxyUrl.isEmpty() && !none->proxyDirect);
        const auto user = parseAgentConfigLayer(q("{'proxy': {'url': 'socks5://10.0.0.2:1080'}}"),
                                                QStringLiteral("/home/u/config.json"));
        QVERIFY(user);
        auto config = resolveAgentConfig({*user});
        QVERIFY(config);
        QCOMPARE(config->proxyUrl, QUrl(QStringLiteral("socks5://10.0.0.2:1080")));
        const auto direct = parseAgentConfigLayer(q("{'proxy': {'url': 'direct'}}"), kSource);
        QVERIFY(direct);
        config = resolveAgentConfig({*user, *direct});
        QVERIFY(config && config->proxyDirect && config->proxyUrl.isEmpty());
        const auto managed =
            parseAgentConfigLayer(q("{'proxy': {'url': 'http://proxy.clinic.lan:3128'}}"), kSource);
        QVERIFY(managed);
        config = resolveAgentConfig({*direct, *managed});
        QVERIFY(config && !config->proxyDirect);
        QCOMPARE(config->proxyUrl, QUrl(QStringLiteral("http://proxy.clinic.lan:3128")));
        const auto system = parseAgentConfigLayer(q("{'proxy': {'url': 'system'}}"), kSource);
        QVERIFY(system);
        config = resolveAgentConfig({*managed, *system});
        QVERIFY(config && config->proxyUrl.isEmpty() && !config->proxyDirect);
    }

    // What each proxy setting gives Qt Network and Chromium (agent/proxy/proxy_setup.h).
    void proxyForQtAndChromium()
    {
        AgentConfig system;
        QVERIFY(!networkProxyFor(system, std::nullopt));
        QVERIFY(chromiumProxySwitches(system).isEmpty());

        AgentConfig direct;
        direct.proxyDirect = true;
        QCOMPARE(networkProxyFor(direct, std::nullopt)->type(), QNetworkProxy::NoProxy);
        QCOMPARE(chromiumProxySwitches(direct), QStringList{QStringLiteral("--no-proxy-server")});

        AgentConfig http;
        http.proxyUrl = QUrl(QStringLiteral("http://proxy.clinic.lan:3128"));
        const auto proxy = networkProxyFor(http, ProxyLogin{QStringLiteral("it"), QStringLiteral("pw")});
        QVERIFY(proxy);
        QCOMPARE(proxy->type(), QNetworkProxy::HttpProxy);
        QCOMPARE(proxy->hostName(), QStringLiteral("proxy.clinic.lan"));
        QCOMPARE(proxy->port(), quint16(3128));
        QCOMPARE(proxy->user(), QStringLiteral("it"));
        QCOMPARE(proxy->password(), QStringLiteral("pw"));
        QCOMPARE(chromiumProxySwitches(http),
                 (QStringList{QStringLiteral("--proxy-server=http://proxy.clinic.lan:3128"),
                              QStringLiteral("--proxy-bypass-list=<-loopback>")}));
        AgentConfig socks;
        socks.proxyUrl = QUrl(QStringLiteral("socks5://10.0.0.2:1080"));
        QCOMPARE(networkProxyFor(socks, std::nullopt)->type(), QNetworkProxy::Socks5Proxy);

        // Added once to what the environment already holds.
        qputenv("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu");
        addChromiumSwitches(chromiumProxySwitches(http));
        addChromiumSwitches(chromiumProxySwitches(http));
        QCOMPARE(qEnvironmentVariable("QTWEBENGINE_CHROMIUM_FLAGS"),
                 QStringLiteral("--disable-gpu --proxy-server=http://proxy.clinic.lan:3128 "
                                "--proxy-bypass-list=<-loopback>"));
        qunsetenv("QTWEBENGINE_CHROMIUM_FLAGS");
    }

    // Each time-out may be valid alone and the two still contradict each other, also across files.
    void totalShorterThanTransferIsRefused()
    {
        const auto user = parseAgentConfigLayer(q("{'backend': {'transfer_timeout_s': 200}}"),
                                                QStringLiteral("/home/u/config.json"));
        QVERIFY(user);
        const auto alone = resolveAgentConfig({*user}); // 200 s against the default total of 120 s
        QVERIFY(!alone);
        QCOMPARE(alone.error().code, QString(kConfigInvalid));
        QVERIFY2(alone.error().message.contains(QStringLiteral("backend.total_timeout_s")) &&
                     alone.error().message.contains(QStringLiteral("/home/u/config.json")),
                 qPrintable(alone.error().message));
        const auto managed = parseAgentConfigLayer(q("{'backend': {'total_timeout_s': 600}}"), kSource);
        QVERIFY(managed);
        const auto both = resolveAgentConfig({*user, *managed});
        QVERIFY(both);
        QCOMPARE(both->transferTimeout, 200s);
        QCOMPARE(both->totalTimeout, 600s);
    }

    void loadsFilesFromDisk()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const AgentConfigPaths paths{dir.filePath(QStringLiteral("user.json")),
                                     dir.filePath(QStringLiteral("managed.json"))};
        // Neither file: the defaults.
        const auto none = loadAgentConfig(paths);
        QVERIFY(none);
        QVERIFY(none->sources.isEmpty());

        QVERIFY(writeFile(paths.userFile, q("{'backend': {'total_timeout_s': 90}}")));
        QVERIFY(writeFile(paths.managedFile, q("{'backend': {'transfer_timeout_s': 10}}")));
        const auto both = loadAgentConfig(paths);
        QVERIFY(both);
        QCOMPARE(both->transferTimeout, 10s);
        QCOMPARE(both->totalTimeout, 90s);

        QVERIFY(writeFile(paths.managedFile, "not json"));
        const auto broken = loadAgentConfig(paths);
        QVERIFY(!broken);
        QVERIFY2(broken.error().message.contains(paths.managedFile), qPrintable(broken.error().message));
    }

    // `enroll --backend` records the backend in the user's file and keeps everything else in it.
    void savedBackendUrlKeepsOtherKeys()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(QStringLiteral("sub/config.json"));
        QVERIFY(saveUserBackendUrl(file, QUrl(QStringLiteral("https://first.test"))));
        QVERIFY(writeFile(
            file,
            q("{'backend': {'url': 'https://first.test', 'transfer_timeout_s': 20}, 'log_level': 'debug'}")));
        QVERIFY(saveUserBackendUrl(file, QUrl(QStringLiteral("https://second.test"))));
        const auto config = loadAgentConfig({file, QString()});
        QVERIFY(config);
        QCOMPARE(config->backendUrl, QUrl(QStringLiteral("https://second.test")));
        QCOMPARE(config->transferTimeout, 20s);
        QCOMPARE(config->logLevel, spdlog::level::debug);
        // The user's own settings, not the other users': the file written with a wider mode is narrowed.
        const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
        QCOMPARE(QFile::permissions(file) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser), owner);
        QVERIFY(!(QFile::permissions(QFileInfo(file).absolutePath()) &
                  (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::ExeOther)));

        // A file that does not parse is not overwritten.
        QVERIFY(writeFile(file, q("{'backend': {'url': 'http://plain.test'}}")));
        const auto refused = saveUserBackendUrl(file, QUrl(QStringLiteral("https://third.test")));
        QVERIFY(!refused);
        QFile kept(file);
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QVERIFY(kept.readAll().contains("http://plain.test"));
    }
};

QTEST_GUILESS_MAIN(TestAgentConfig)
#include "tst_agent_config.moc"
