#include "agent/diagnostics/diagnostics_bundle.h"

#include "agent/agent_config.h"
#include "agent/agent_context.h"
#include "agent/diagnostics/zip_writer.h"
#include "agent/run/run_log.h"
#include "agent/run/run_report.h"
#include "storage/audit_verification.h"
#include "storage/clock.h"
#include "storage/codes/agent_codes.h"
#include "storage/install_identity.h"
#include "storage/redactor.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSysInfo>

#include <algorithm>

namespace odis::agent {

namespace {

constexpr int kRunsKept = 20;
constexpr qint64 kMaxLogBytes = qint64{8} * 1024 * 1024; // per file: the rotation keeps them smaller anyway

QByteArray json(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

QJsonValue textOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

// A URL without its user name or password.
QString bareUrl(const QUrl& url)
{
    return url.isEmpty() ? QString() : url.adjusted(QUrl::RemoveUserInfo).toString();
}

QJsonObject sanitisedConfig(const AgentConfig& c)
{
    QJsonArray sources;
    for (const QString& s : c.sources)
        sources.append(s);
    return QJsonObject{
        {QStringLiteral("sources"), sources},
        {QStringLiteral("backend"),
         QJsonObject{{QStringLiteral("url"), bareUrl(c.backendUrl)},
                     {QStringLiteral("ca_file"), textOrNull(c.backendCaFile)},
                     {QStringLiteral("spki_pins"), int(c.spkiPins.size())},
                     {QStringLiteral("transfer_timeout_s"), qint64(c.transferTimeout.count())},
                     {QStringLiteral("total_timeout_s"), qint64(c.totalTimeout.count())}}},
        {QStringLiteral("neo"),
         QJsonObject{{QStringLiteral("base_url"), textOrNull(bareUrl(c.neoBaseUrl))},
                     {QStringLiteral("selector_profile"), textOrNull(c.selectorProfileFile)}}},
        {QStringLiteral("telemetry"),
         QJsonObject{{QStringLiteral("enabled"), c.telemetryEnabled},
                     {QStringLiteral("posthog_host"), bareUrl(c.posthogHost)},
                     {QStringLiteral("posthog_api_key"),
                      c.posthogApiKey.isEmpty() ? QStringLiteral("not set") : QStringLiteral("set")}}},
        {QStringLiteral("proxy"), QJsonObject{{QStringLiteral("url"), textOrNull(bareUrl(c.proxyUrl))}}},
        {QStringLiteral("log_level"), logLevelName(c.logLevel)},
    };
}

QJsonObject systemInfo(const AgentContext& ctx, const QJsonObject& status, const Clock& clock)
{
    return QJsonObject{
        {QStringLiteral("agent_version"), QStringLiteral(ODIS_VERSION)},
        {QStringLiteral("qt_version"), QString::fromLatin1(qVersion())},
        {QStringLiteral("os"), QSysInfo::prettyProductName()},
        {QStringLiteral("kernel"),
         QString(QSysInfo::kernelType() + QLatin1Char(' ') + QSysInfo::kernelVersion())},
        {QStringLiteral("cpu_architecture"), QSysInfo::currentCpuArchitecture()},
        {QStringLiteral("install_id"), storage::InstallIdentity::toText(ctx.installId)},
        {QStringLiteral("agent_id"), status.value(QStringLiteral("agent_id"))},
        {QStringLiteral("schema_version"), ctx.store.report.schemaVersion},
        {QStringLiteral("cipher_version"), ctx.store.report.cipherVersion},
        {QStringLiteral("collected_at"), clock.nowUtc().toString(Qt::ISODateWithMs)},
    };
}

[[nodiscard]] Result<QJsonObject> runsJson(AgentContext& ctx, const Clock& clock)
{
    RunLog log(ctx.db(), clock);
    auto runs = log.lastRuns(kRunsKept);
    if (!runs)
        return propagate(runs);
    QJsonArray list;
    for (const RunRecord& run : std::as_const(*runs)) {
        auto report = runReportJson(run, run.finished() ? RunReportKind::End : RunReportKind::Start);
        if (report) {
            QJsonObject r = *report;
            r.insert(QStringLiteral("drift_warnings"), run.driftWarnings);
            if (!run.finished()) {
                r.insert(QStringLiteral("status"), QStringLiteral("running"));
                r.insert(QStringLiteral("step"), textOrNull(run.step));
            }
            list.append(r);
        }
    }
    return QJsonObject{{QStringLiteral("runs"), list}};
}

QJsonObject auditJson(AgentContext& ctx)
{
    const storage::AuditVerification verification = storage::verifyAuditChain(*ctx.audit);
    QJsonObject a{{QStringLiteral("verification"), verification.message},
                  {QStringLiteral("intact"), verification.exitCode == storage::AuditVerification::kIntact}};
    if (auto head = ctx.audit->head(); head && *head)
        a.insert(QStringLiteral("head_seq"), (*head)->seq);
    if (auto anchor = ctx.audit->storedAnchor(); anchor && *anchor)
        a.insert(QStringLiteral("anchor_seq"), (*anchor)->seq);
    return a;
}

const char* kReadme =
    "Odis Clinic Agent diagnostics bundle\n"
    "\n"
    "For Odis support. It holds the agent's version and system information, its configuration without\n"
    "secrets, its status and scheduler state, the last run reports, the audit chain's verification, and its\n"
    "log files (redacted when written and again when collected).\n"
    "\n"
    "It never holds the encrypted database, a key, a token, a password, a cookie, or clinic data (names,\n"
    "phone numbers, e-mail addresses, clinical notes): only ids, codes, counts and times.\n";

} // namespace

QJsonArray DiagnosticsManifest::manifestJson() const
{
    QJsonArray list;
    for (const DiagnosticsFile& f : files)
        list.append(QJsonObject{{QStringLiteral("name"), f.name}, {QStringLiteral("size"), f.size}});
    return list;
}

Result<QList<ZipEntry>> collectDiagnostics(const DiagnosticsSources& sources)
{
    AgentContext& ctx = sources.context;
    QList<ZipEntry> entries;
    entries.append(ZipEntry{QStringLiteral("README.txt"), QByteArray(kReadme)});
    entries.append(
        ZipEntry{QStringLiteral("system.json"), json(systemInfo(ctx, sources.status, sources.clock))});
    entries.append(ZipEntry{QStringLiteral("config.json"), json(sanitisedConfig(sources.config))});
    entries.append(ZipEntry{QStringLiteral("status.json"), json(sources.status)});
    auto runs = runsJson(ctx, sources.clock);
    if (!runs)
        return propagate(runs);
    entries.append(ZipEntry{QStringLiteral("runs.json"), json(*runs)});
    entries.append(ZipEntry{QStringLiteral("audit.json"), json(auditJson(ctx))});

    QStringList logs;
    QDirIterator it(ctx.logging->directory(), {QStringLiteral("odis-agent*.log*")}, QDir::Files);
    while (it.hasNext())
        logs << it.next();
    std::sort(logs.begin(), logs.end());
    const storage::Redactor& redactor = ctx.logging->redactor();
    for (const QString& path : std::as_const(logs)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(codes::kLogUnreadable,
                        QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), file.errorString()));
        const qint64 size = file.size();
        if (size > kMaxLogBytes)
            file.seek(size - kMaxLogBytes); // the newest part
        const QString text = QString::fromUtf8(file.readAll());
        QStringList lines = text.split(u'\n');
        for (QString& line : lines)
            line = redactor.redact(line);
        entries.append(
            ZipEntry{QStringLiteral("logs/") + QFileInfo(path).fileName(), lines.join(u'\n').toUtf8()});
    }
    return entries;
}

DiagnosticsManifest manifestOf(const QList<ZipEntry>& entries)
{
    DiagnosticsManifest manifest;
    for (const ZipEntry& e : entries)
        manifest.files.append(DiagnosticsFile{e.name, e.data.size()});
    return manifest;
}

Result<DiagnosticsManifest> writeDiagnosticsZip(const QList<ZipEntry>& entries, const QString& path,
                                                const Clock& clock)
{
    auto archive = zipArchive(entries, clock.nowUtc());
    if (!archive)
        return propagate(archive);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return fail(codes::kDiagnosticsWriteFailed,
                    QStringLiteral("cannot create the folder of %1").arg(path));
    QSaveFile file(path);
    // The bundle is for the user and Odis support, not for everyone on the machine: owner-only from its
    // first byte (QSaveFile would give it an earlier file's mode, or the umask's). The folder is the user's.
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(*archive) != archive->size() || !file.commit())
        return fail(codes::kDiagnosticsWriteFailed, QStringLiteral("%1: %2").arg(path, file.errorString()));
    DiagnosticsManifest manifest = manifestOf(entries);
    manifest.bytes = archive->size();
    return manifest;
}

Result<DiagnosticsManifest> writeDiagnosticsBundle(const DiagnosticsSources& sources, const QString& path)
{
    auto entries = collectDiagnostics(sources);
    if (!entries)
        return propagate(entries);
    return writeDiagnosticsZip(*entries, path, sources.clock);
}

} // namespace odis::agent
