#pragma once

// A diagnostics bundle (`odis-agent diagnostics --out FILE.zip`, and the backend's collect_diagnostics
// command): what Odis support needs to see why an install misbehaves, and nothing of the clinic's:
//   README.txt        what the bundle holds and what it never holds
//   system.json       version, Qt, operating system, CPU architecture, install and agent ids
//   config.json       the effective configuration, sanitised (no API key, no proxy credentials)
//   status.json       the agent's status: scheduler state, outbox depth, credential state, alerts
//   runs.json         the last run reports (ids, steps, counts, error codes, durations)
//   audit.json        the audit chain's verification result, head and anchor (seqs and hashes)
//   logs/<file>       the agent's log files, passed through the redactor once more
// Never the database, a key, a token, a password, a cookie, a name, a phone number or a note: the log
// files are already redacted as they are written and again here; everything else is ids, codes and counts.

#include "storage/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace odis {
class Clock;
}

namespace odis::agent {

struct AgentConfig;
struct AgentContext;
struct ZipEntry;

struct DiagnosticsSources
{
    AgentContext& context;
    const AgentConfig& config;
    const Clock& clock;
    QJsonObject status; // the agent's (status()) or the store's (storeStatusJson)
};

struct DiagnosticsFile
{
    QString name;
    qint64 size = 0; // uncompressed bytes
};

struct DiagnosticsManifest
{
    QList<DiagnosticsFile> files;
    qint64 bytes = 0; // the archive's size once written

    [[nodiscard]] QJsonArray manifestJson() const; // [{name, size}]
};

// The bundle's entries. Errors: the store's, log_unreadable.
[[nodiscard]] Result<QList<ZipEntry>> collectDiagnostics(const DiagnosticsSources& sources);

// The manifest of `entries` (what the verb prints before writing).
[[nodiscard]] DiagnosticsManifest manifestOf(const QList<ZipEntry>& entries);

// Writes `entries` as a ZIP to `path` (its folder is created; an existing file is replaced atomically).
// Errors: zip_*, diagnostics_write_failed.
[[nodiscard]] Result<DiagnosticsManifest> writeDiagnosticsZip(const QList<ZipEntry>& entries,
                                                              const QString& path, const Clock& clock);

// collectDiagnostics() then writeDiagnosticsZip().
[[nodiscard]] Result<DiagnosticsManifest> writeDiagnosticsBundle(const DiagnosticsSources& sources,
                                                                 const QString& path);

} // namespace odis::agent
