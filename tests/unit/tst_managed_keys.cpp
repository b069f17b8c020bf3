// The table of managed keys (agent/managed/managed_keys.h) read by every reader: config.json (Linux's
// /etc/odis-agent/config.json and the user's file), the Windows policy key and macOS managed preferences
// (each through a stand-in store holding the types the OS hands out). Every key of the table must have a
// row here, and each reader must give the same setting; wrong types and values are refused naming the
// store and the policy; empty values mean "not set"; managed wins key by key; the installers' files
// (the MSI source and the example configuration profile) name only keys of the table, with their types.

#include "agent/agent_config.h"
#include "agent/managed/managed_keys.h"
#include "agent/managed/policy_reader.h"
#include "tests/unit/policy_store_stand_in.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

#include <functional>

using namespace odis;
using namespace odis::agent;
using namespace odis::agent::managed;
using odis::test::StandInPolicyStore;

namespace {

const QString kPinA = QString::fromLatin1(QByteArray(32, '\x07').toBase64());
const QString kPinB = QString::fromLatin1(QByteArray(32, '\x2a').toBase64());

// Each setting as the resolved configuration holds it, in config.json's terms.
QJsonValue settingOf(const AgentConfig& c, QStringView path)
{
    const QHash<QString, std::function<QJsonValue()>> getters{
        {u"backend.url"_qs, [&] { return QJsonValue(c.backendUrl.toString()); }},
        {u"backend.ca_file"_qs, [&] { return QJsonValue(c.backendCaFile); }},
        {u"backend.spki_pins"_qs, [&] { return QJsonValue(QJsonArray::fromStringList(c.spkiPins)); }},
        {u"backend.transfer_timeout_s"_qs, [&] { return QJsonValue(qint64(c.transferTimeout.count())); }},
        {u"backend.total_timeout_s"_qs, [&] { return QJsonValue(qint64(c.totalTimeout.count())); }},
        {u"neo.base_url"_qs, [&] { return QJsonValue(c.neoBaseUrl.toString()); }},
        {u"neo.selector_profile"_qs, [&] { return QJsonValue(c.selectorProfileFile); }},
        {u"neo.allowed_origins"_qs,
         [&] { return QJsonValue(QJsonArray::fromStringList(c.neoAllowedOrigins)); }},
        {u"telemetry.enabled"_qs, [&] { return QJsonValue(c.telemetryEnabled); }},
        {u"telemetry.posthog_host"_qs, [&] { return QJsonValue(c.posthogHost.toString()); }},
        {u"telemetry.posthog_api_key"_qs, [&] { return QJsonValue(c.posthogApiKey); }},
        {u"proxy.url"_qs,
         [&] {
             return QJsonValue(c.proxyDirect          ? u"direct"_qs
                               : c.proxyUrl.isEmpty() ? u"system"_qs
                                                      : c.proxyUrl.toString());
         }},
        {u"log_level"_qs, [&] { return QJsonValue(logLevelName(c.logLevel)); }},
        {u"enrollment.code"_qs, [&] { return QJsonValue(c.enrollmentCode); }},
    };
    const auto getter = getters.find(path.toString());
    return getter == getters.end() ? QJsonValue(QJsonValue::Undefined) : (*getter)();
}

QJsonObject nested(QStringView path, const QJsonValue& value)
{
    const qsizetype dot = path.indexOf(QLatin1Char('.'));
    if (dot < 0)
        return QJsonObject{{path.toString(), value}};
    return QJsonObject{{path.left(dot).toString(), nested(path.mid(dot + 1), value)}};
}

// A valid value of every key, as each store types it.
struct Sample
{
    QJsonValue json;
    QVariant registry;
    QVariant plist;
};

QHash<QString, Sample> samples()
{
    const QString url = QStringLiteral("https://api.clinic.test/v1");
    return {
        {u"backend.url"_qs, {url, url, url}},
        {u"backend.ca_file"_qs,
         {u"/opt/odis/proxy-ca.pem"_qs, u"/opt/odis/proxy-ca.pem"_qs, u"/opt/odis/proxy-ca.pem"_qs}},
        {u"backend.spki_pins"_qs,
         {QJsonArray{kPinA, kPinB}, QStringList{kPinA, kPinB}, QVariantList{kPinA, kPinB}}},
        {u"backend.transfer_timeout_s"_qs, {45, 45, qlonglong(45)}},
        {u"backend.total_timeout_s"_qs, {600, 600u, qlonglong(600)}},
        {u"neo.base_url"_qs,
         {u"https://eu.idexxneo.com"_qs, u"https://eu.idexxneo.com"_qs, u"https://eu.idexxneo.com"_qs}},
        {u"neo.selector_profile"_qs,
         {u"/opt/odis/selectors.json"_qs, u"/opt/odis/selectors.json"_qs, u"/opt/odis/selectors.json"_qs}},
        {u"telemetry.enabled"_qs, {false, 0, false}},
        {u"telemetry.posthog_host"_qs,
         {u"https://ph.clinic.test"_qs, u"https://ph.clinic.test"_qs, u"https://ph.clinic.test"_qs}},
        {u"telemetry.posthog_api_key"_qs, {u"phc_clinic"_qs, u"phc_clinic"_qs, u"phc_clinic"_qs}},
        {u"proxy.url"_qs,
         {u"http://proxy.clinic.test:3128"_qs, u"http://proxy.clinic.test:3128"_qs,
          u"http://proxy.clinic.test:3128"_qs}},
        {u"log_level"_qs, {u"debug"_qs, u"debug"_qs, u"debug"_qs}},
        {u"neo.allowed_origins"_qs,
         {QJsonArray{u"https://neo-proxy.clinic.test"_qs, u"https://10.0.0.5:8443"_qs},
          QStringList{u"https://neo-proxy.clinic.test"_qs, u"https://10.0.0.5:8443"_qs},
          QVariantList{u"https://neo-proxy.clinic.test"_qs, u"https://10.0.0.5:8443"_qs}}},
        {u"enrollment.code"_qs, {u"PROV-7Q2K-4411"_qs, u"PROV-7Q2K-4411"_qs, u"PROV-7Q2K-4411"_qs}},
    };
}

Result<AgentConfig> throughStore(PolicyDialect dialect, const QVariantMap& values)
{
    const StandInPolicyStore store(dialect, values);
    auto layer = readPolicyLayer(store);
    if (!layer)
        return std::unexpected(layer.error());
    return resolveAgentConfig({*layer});
}

QByteArray readSource(const QString& relative)
{
    QFile file(qEnvironmentVariable("ODIS_SOURCE_DIR") + QLatin1Char('/') + relative);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The plist value at the reader's position (a <string>, <integer>, <true/>, <array> ...) as CoreFoundation
// would hand it to the store.
QVariant plistValue(QXmlStreamReader& xml)
{
    const QString type = xml.name().toString();
    if (type == QLatin1String("true") || type == QLatin1String("false")) {
        xml.skipCurrentElement();
        return type == QLatin1String("true");
    }
    if (type == QLatin1String("array")) {
        QVariantList list;
        while (xml.readNextStartElement())
            list << plistValue(xml);
        return list;
    }
    if (type == QLatin1String("dict")) {
        QVariantMap map;
        QString key;
        while (xml.readNextStartElement()) {
            if (xml.name() == QLatin1String("key"))
                key = xml.readElementText();
            else
                map.insert(key, plistValue(xml));
        }
        return map;
    }
    const QString text = xml.readElementText();
    if (type == QLatin1String("integer"))
        return text.toLongLong();
    if (type == QLatin1String("real"))
        return text.toDouble();
    return text;
}

} // namespace

class TestManagedKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tableIsConsistent()
    {
        QSet<QString> configs;
        QSet<QString> policies;
        for (const ManagedKey& key : managedKeys()) {
            QVERIFY2(!configs.contains(QString(key.config)), key.config.data());
            QVERIFY2(!policies.contains(QString(key.policy).toLower()), key.policy.data());
            configs.insert(QString(key.config));
            policies.insert(QString(key.policy).toLower());
            QCOMPARE(managedKeyByPolicyName(QString(key.policy).toUpper()), &key);
            // Every key of the table is a key of config.json: the file's parser knows it.
            QVERIFY2(samples().contains(QString(key.config)),
                     qPrintable(QStringLiteral("no sample for %1: add one to this test").arg(key.config)));
        }
        QCOMPARE(managedKeyByPolicyName(u"BackendURI"), nullptr);
    }

    // Every key, every reader: the same setting.
    void everyKeyOnEveryReader_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("policy");
        for (const ManagedKey& key : managedKeys())
            QTest::newRow(key.config.data()) << QString(key.config) << QString(key.policy);
    }
    void everyKeyOnEveryReader()
    {
        QFETCH(QString, config);
        QFETCH(QString, policy);
        const Sample sample = samples().value(config);
        QVERIFY(!sample.json.isUndefined());

        const auto file = parseAgentConfigLayer(QJsonDocument(nested(config, sample.json)).toJson(),
                                                u"/etc/odis-agent/config.json"_qs, ConfigLayerKind::Managed);
        QVERIFY2(file, qPrintable(file ? QString() : file.error().toString()));
        const auto fromFile = resolveAgentConfig({*file});
        QVERIFY(fromFile);
        QCOMPARE(settingOf(*fromFile, config), sample.json);
        QVERIFY2(settingOf(*fromFile, config) != settingOf(AgentConfig{}, config),
                 "the sample is the default");

        const auto fromRegistry = throughStore(PolicyDialect::Registry, {{policy, sample.registry}});
        QVERIFY2(fromRegistry, qPrintable(fromRegistry ? QString() : fromRegistry.error().toString()));
        QCOMPARE(settingOf(*fromRegistry, config), sample.json);

        const auto fromPlist = throughStore(PolicyDialect::Plist, {{policy, sample.plist}});
        QVERIFY2(fromPlist, qPrintable(fromPlist ? QString() : fromPlist.error().toString()));
        QCOMPARE(settingOf(*fromPlist, config), sample.json);

        // REG_SZ for every kind: what the MSI writes from its properties.
        const QVariant asText =
            sample.json.isArray() ? QVariant(sample.registry.toStringList().join(QLatin1Char(';')))
                                  : QVariant(sample.json.isBool() ? QString::number(int(sample.json.toBool()))
                                                                  : sample.registry.toString());
        const auto fromRegSz = throughStore(PolicyDialect::Registry, {{policy, asText}});
        QVERIFY2(fromRegSz, qPrintable(fromRegSz ? QString() : fromRegSz.error().toString()));
        QCOMPARE(settingOf(*fromRegSz, config), sample.json);

        // An empty value is "not set": the default stays.
        const QVariant empty = sample.plist.metaType().id() == QMetaType::QVariantList
                                   ? QVariant(QVariantList{})
                                   : QVariant(QString());
        if (sample.plist.metaType().id() != QMetaType::Bool &&
            sample.plist.metaType().id() != QMetaType::LongLong) {
            const auto unset = throughStore(PolicyDialect::Plist, {{policy, empty}});
            QVERIFY(unset);
            QCOMPARE(settingOf(*unset, config), settingOf(AgentConfig{}, config));
        }
        const auto unsetRegistry = throughStore(PolicyDialect::Registry, {{policy, QString()}});
        QVERIFY(unsetRegistry);
        QCOMPARE(settingOf(*unsetRegistry, config), settingOf(AgentConfig{}, config));
    }

    void refusedValues_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::addColumn<QString>("policy");
        QTest::addColumn<QVariant>("value");
        const int reg = int(PolicyDialect::Registry);
        const int plist = int(PolicyDialect::Plist);
        QTest::newRow("registry: plain http") << reg << u"BackendUrl"_qs << QVariant(u"http://api.test"_qs);
        QTest::newRow("plist: plain http") << plist << u"NeoBaseUrl"_qs << QVariant(u"http://neo.test"_qs);
        QTest::newRow("registry: URL as a number") << reg << u"BackendUrl"_qs << QVariant(5);
        QTest::newRow("plist: URL as a bool") << plist << u"PostHogHost"_qs << QVariant(true);
        QTest::newRow("registry: relative CA file") << reg << u"BackendCaFile"_qs << QVariant(u"ca.pem"_qs);
        QTest::newRow("plist: relative profile")
            << plist << u"NeoSelectorProfile"_qs << QVariant(u"s.json"_qs);
        QTest::newRow("registry: short pin")
            << reg << u"BackendSpkiPins"_qs << QVariant(QStringList{u"c2hvcnQ="_qs});
        QTest::newRow("plist: pin as a number")
            << plist << u"BackendSpkiPins"_qs << QVariant(QVariantList{5});
        QTest::newRow("plist: pins as a string") << plist << u"BackendSpkiPins"_qs << QVariant(kPinA);
        QTest::newRow("registry: zero seconds") << reg << u"BackendTransferTimeoutSeconds"_qs << QVariant(0);
        QTest::newRow("registry: seconds as words")
            << reg << u"BackendTotalTimeoutSeconds"_qs << QVariant(u"ten"_qs);
        QTest::newRow("plist: seconds as a string")
            << plist << u"BackendTransferTimeoutSeconds"_qs << QVariant(u"30"_qs);
        QTest::newRow("plist: fractional seconds")
            << plist << u"BackendTotalTimeoutSeconds"_qs << QVariant(2.5);
        QTest::newRow("registry: flag 2") << reg << u"TelemetryEnabled"_qs << QVariant(2);
        QTest::newRow("registry: flag yes") << reg << u"TelemetryEnabled"_qs << QVariant(u"yes"_qs);
        QTest::newRow("plist: flag as a string") << plist << u"TelemetryEnabled"_qs << QVariant(u"true"_qs);
        QTest::newRow("plist: flag as a number") << plist << u"TelemetryEnabled"_qs << QVariant(qlonglong(1));
        QTest::newRow("registry: unknown level") << reg << u"LogLevel"_qs << QVariant(u"verbose"_qs);
        QTest::newRow("plist: API key as a list") << plist << u"PostHogApiKey"_qs << QVariant(QVariantList{});
        QTest::newRow("registry: code with a space")
            << reg << u"EnrollmentCode"_qs << QVariant(u"PROV 7Q2K"_qs);
        QTest::newRow("plist: code too long")
            << plist << u"EnrollmentCode"_qs << QVariant(QString(129, u'K'));
        QTest::newRow("registry: unknown name") << reg << u"BackendURI"_qs << QVariant(u"https://x.test"_qs);
        QTest::newRow("plist: unknown name") << plist << u"backendUrl "_qs << QVariant(u"https://x.test"_qs);
    }
    void refusedValues()
    {
        QFETCH(int, dialect);
        QFETCH(QString, policy);
        QFETCH(QVariant, value);
        const auto config = throughStore(PolicyDialect(dialect), {{policy, value}});
        QVERIFY(!config);
        QCOMPARE(config.error().code, QString(kConfigInvalid));
        const StandInPolicyStore store(PolicyDialect(dialect), {});
        QVERIFY2(config.error().message.startsWith(store.description()), qPrintable(config.error().message));
        QVERIFY2(config.error().message.contains(policy.trimmed()), qPrintable(config.error().message));
        // The code is a secret: no message repeats it.
        if (policy == QLatin1String("EnrollmentCode"))
            QVERIFY2(!config.error().message.contains(value.toString()), qPrintable(config.error().message));
    }

    // The user's file sets some keys; the policy store wins key by key, the rest stays the user's.
    void managedWinsKeyByKey()
    {
        const auto user = parseAgentConfigLayer(
            R"({"backend": {"url": "https://user.test", "transfer_timeout_s": 60}, "log_level": "debug"})",
            u"/home/u/.config/Odis/odis-agent/config.json"_qs);
        QVERIFY(user);
        for (PolicyDialect dialect : {PolicyDialect::Registry, PolicyDialect::Plist}) {
            const StandInPolicyStore store(
                dialect, {{u"BackendUrl"_qs, u"https://it.test"_qs}, {u"LogLevel"_qs, QString()}});
            const auto managed = readPolicyLayer(store);
            QVERIFY(managed);
            const auto config = resolveAgentConfig({*user, *managed});
            QVERIFY(config);
            QCOMPARE(config->backendUrl, QUrl(u"https://it.test"_qs));
            QCOMPARE(config->transferTimeout.count(), 60);
            QCOMPARE(config->logLevel, spdlog::level::debug); // an empty policy value does not override
        }
    }

    void enrollmentCodeRemembersItsSource()
    {
        const auto user =
            parseAgentConfigLayer(R"({"enrollment": {"code": "USER-1"}})", u"/home/u/config.json"_qs);
        const StandInPolicyStore store(PolicyDialect::Registry, {{u"EnrollmentCode"_qs, u"IT-2"_qs}});
        const auto managed = readPolicyLayer(store);
        QVERIFY(user && managed);
        const auto both = resolveAgentConfig({*user, *managed});
        QVERIFY(both);
        QCOMPARE(both->enrollmentCode, u"IT-2"_qs);
        QCOMPARE(both->enrollmentCodeSource, store.description());
        const auto userOnly = resolveAgentConfig({*user});
        QVERIFY(userOnly);
        QCOMPARE(userOnly->enrollmentCodeSource, u"/home/u/config.json"_qs);
        const auto none = parseAgentConfigLayer(R"({"enrollment": {"code": ""}})", u"/x.json"_qs);
        QVERIFY(!none);
        QVERIFY(none.error().message.contains(u"enrollment.code"_qs));
        // The shape `enroll --code` takes (sync/backend/enrollment.h), and the code is never repeated.
        for (const char* bad : {"ZZ9", "ZZ9Q 4XRW", "-ZZ9Q-4XRW", "ZZ9Q_4XRW", "Z\u00e9Q-4XRW"}) {
            const QByteArray text = QByteArray("{\"enrollment\": {\"code\": \"") + bad + "\"}}";
            const auto refused = parseAgentConfigLayer(text, u"/x.json"_qs);
            QVERIFY2(!refused, bad);
            QVERIFY(refused.error().message.contains(u"4 to 64 letters, digits and hyphens"_qs));
            QVERIFY(!refused.error().message.contains(QString::fromUtf8(bad)));
        }
        QVERIFY(parseAgentConfigLayer(R"({"enrollment": {"code": "K7QM-2XRP"}})", u"/x.json"_qs));
    }

    // The example configuration profile for MDM, read by the macOS reader as the system would hand its
    // payload over: every key known, every value valid.
    void exampleProfileReadsThroughTheMacReader()
    {
        QXmlStreamReader xml(readSource(u"installer/macos/com.odis.agent.mobileconfig"_qs));
        QVERIFY(xml.readNextStartElement() && xml.name() == QLatin1String("plist"));
        QVERIFY(xml.readNextStartElement());
        const QVariantMap profile = plistValue(xml).toMap();
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVariantMap payload;
        for (const QVariant& content : profile.value(u"PayloadContent"_qs).toList()) {
            const QVariantMap map = content.toMap();
            if (map.value(u"PayloadType"_qs) == QLatin1String("com.odis.agent")) {
                payload = map;
                break;
            }
        }
        QVERIFY2(!payload.isEmpty(), "no payload of type com.odis.agent");
        for (const QString& key : payload.keys()) {
            if (key.startsWith(QLatin1String("Payload")))
                payload.remove(key); // the profile's own bookkeeping, not preferences
        }
        QVERIFY(payload.size() >= 5);
        const auto config = throughStore(PolicyDialect::Plist, payload);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        QVERIFY(config->backendUrl.isValid());
        QVERIFY(!config->enrollmentCode.isEmpty());
    }

    // The MSI writes its public properties to the policy key: each registry value it writes under
    // Software\Policies\Odis\Agent is a key of the table, and with every property set the Windows reader
    // takes them all.
    void msiPolicyValuesReadThroughTheWindowsReader()
    {
        const QByteArray wxs = readSource(u"installer/windows/odis-agent.wxs"_qs);
        QVERIFY(!wxs.isEmpty());
        const QHash<QString, QString> properties{{u"BACKEND_URL"_qs, u"https://api.clinic.test"_qs},
                                                 {u"ENROLLMENT_CODE"_qs, u"PROV-1"_qs},
                                                 {u"NEO_BASE_URL"_qs, u"https://ca.idexxneo.com"_qs},
                                                 {u"TELEMETRY"_qs, u"0"_qs},
                                                 {u"LOG_LEVEL"_qs, u"warn"_qs}};
        QXmlStreamReader xml(wxs);
        QVariantMap written;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement() || xml.name() != QLatin1String("RegistryValue"))
                continue;
            const auto attributes = xml.attributes();
            if (attributes.value(QLatin1StringView("Key")) !=
                QLatin1String("Software\\Policies\\Odis\\Agent"))
                continue;
            QCOMPARE(attributes.value(QLatin1StringView("Root")).toString(), u"HKLM"_qs);
            QCOMPARE(attributes.value(QLatin1StringView("Type")).toString(), u"string"_qs);
            const QString name = attributes.value(QLatin1StringView("Name")).toString();
            QVERIFY2(managedKeyByPolicyName(name) != nullptr, qPrintable(name));
            static const QRegularExpression property(QStringLiteral(R"(^\[([A-Z_]+)\]$)"));
            const auto match = property.match(attributes.value(QLatin1StringView("Value")));
            QVERIFY2(match.hasMatch(), qPrintable(attributes.value(QLatin1StringView("Value")).toString()));
            QVERIFY2(properties.contains(match.captured(1)), qPrintable(match.captured(1)));
            written.insert(name, properties.value(match.captured(1)));
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(written.size(), properties.size());
        const auto config = throughStore(PolicyDialect::Registry, written);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        QCOMPARE(config->backendUrl, QUrl(u"https://api.clinic.test"_qs));
        QCOMPARE(config->neoBaseUrl, QUrl(u"https://ca.idexxneo.com"_qs));
        QCOMPARE(config->enrollmentCode, u"PROV-1"_qs);
        QVERIFY(!config->telemetryEnabled);
        QCOMPARE(config->logLevel, spdlog::level::warn);

        // Installed without any property: every value empty, nothing overrides the defaults.
        QVariantMap unset;
        for (const QString& name : written.keys())
            unset.insert(name, QString());
        const auto defaults = throughStore(PolicyDialect::Registry, unset);
        QVERIFY(defaults);
        QCOMPARE(defaults->backendUrl, AgentConfig::kDefaultBackendUrl);
        QVERIFY(defaults->enrollmentCode.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestManagedKeys)
#include "tst_managed_keys.moc"
