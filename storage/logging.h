#pragma once

#include "storage/redactor.h"
#include "storage/result.h"

#include <QString>
#include <QtGlobal>

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <spdlog/common.h>
#include <spdlog/sinks/sink.h>
#include <string>

namespace spdlog {
class logger;
}

namespace odis::storage {

struct LoggingOptions
{
    QString directory; // empty: Logging::defaultDirectory()
    QString fileName = QStringLiteral("odis-agent.log");
    std::size_t maxFileBytes = std::size_t{5} * 1024 * 1024; // at least kMinimumFileBytes
    std::size_t maxFiles = 4; // the active file included: cap = maxFileBytes * maxFiles
    spdlog::level::level_enum level = spdlog::level::info;
    bool mirrorToStderr = false; // the CLI shows the (redacted) log on stderr too
};

// Sets up the agent's logging for as long as it lives: a size-capped rotating file in the per-user log
// folder (folder 0700, files 0600 where the OS has such modes), optionally stderr, all behind one
// RedactingSink. main() owns it. Logging is process-wide by nature, so it installs the spdlog default
// logger and the Qt message handler (qDebug, qCWarning, ... reach the same files with their category),
// and puts back the previous ones when destroyed.
class Logging
{
public:
    static constexpr std::size_t kMinimumFileBytes = 4096;

    [[nodiscard]] static Result<std::unique_ptr<Logging>> start(const LoggingOptions& options);
    ~Logging();
    Logging(const Logging&) = delete;
    Logging& operator=(const Logging&) = delete;

    // QStandardPaths::AppLocalDataLocation + "/logs"; empty when the platform has no such folder.
    [[nodiscard]] static QString defaultDirectory();

    // Where code registers what it must never see in a log (passwords, tokens, names it has read).
    [[nodiscard]] Redactor& redactor() { return *redactor_; }

    // A named logger on the same redacted sinks (registered with spdlog, so spdlog::get(name) finds
    // it). Loggers made with spdlog's own factories bypass redaction: use this one.
    [[nodiscard]] std::shared_ptr<spdlog::logger> logger(const std::string& name);

    void setLevel(spdlog::level::level_enum level);
    void flush();
    // For a deprovisioning: nothing more is written to the log files, and they are deleted (the log
    // folder too when that leaves it empty). stderr, when mirrored, keeps logging. Error
    // log_files_not_removed naming what stayed.
    [[nodiscard]] Status removeLogFiles();
    [[nodiscard]] QString directory() const { return directory_; }
    [[nodiscard]] QString activeFilePath() const { return filePath_; }

private:
    Logging(QString directory, QString filePath, std::shared_ptr<Redactor> redactor,
            std::shared_ptr<spdlog::logger> logger, spdlog::sink_ptr fileSink);

    const QString directory_;
    const QString filePath_;
    const std::shared_ptr<Redactor> redactor_;
    const std::shared_ptr<spdlog::logger> logger_;
    const spdlog::sink_ptr fileSink_;
    std::shared_ptr<spdlog::logger> previousDefault_;
    QtMessageHandler previousQtHandler_ = nullptr;
    std::mutex namedMutex_;
    std::map<std::string, std::weak_ptr<spdlog::logger>> namedLoggers_;
};

} // namespace odis::storage
