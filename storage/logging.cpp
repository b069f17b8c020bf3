#include "storage/logging.h"

#include "storage/codes/storage_codes.h"
#include "storage/redacting_sink.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <string_view>
#include <utility>
#include <vector>

namespace odis::storage {

namespace {

constexpr QFileDevice::Permissions kOwnerFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions kOwnerFolder = kOwnerFile | QFileDevice::ExeOwner;
constexpr std::size_t kMaxPayloadBytes = std::size_t{64} * 1024;
// UTC like everything the agent stores; the logger name says which part of the agent spoke.
constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%eZ [%l] [%n] [t%t] %v";

spdlog::level::level_enum levelForQtMessage(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return spdlog::level::debug;
    case QtInfoMsg:
        return spdlog::level::info;
    case QtWarningMsg:
        return spdlog::level::warn;
    case QtCriticalMsg:
        return spdlog::level::err;
    case QtFatalMsg:
        return spdlog::level::critical;
    }
    return spdlog::level::warn;
}

// Installed with qInstallMessageHandler, so it can only reach the logger through spdlog's registry.
void forwardQtMessage(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const std::shared_ptr<spdlog::logger> logger = spdlog::default_logger();
    const spdlog::level::level_enum level = levelForQtMessage(type);
    if (!logger || !logger->should_log(level))
        return;
    const QByteArray text = message.toUtf8();
    const char* category = context.category ? context.category : "default";
    logger->log(level, "[qt:{}] {}", category, std::string_view(text.constData(), std::size_t(text.size())));
    if (type == QtFatalMsg)
        logger->flush(); // Qt aborts right after the handler returns
}

QString decodeName(const spdlog::filename_t& name)
{
    return QFile::decodeName(QByteArray(name.data(), qsizetype(name.size())));
}

// A log file is created owner-only before spdlog opens it (no window in which it is world-readable),
// and a file left by an older run is tightened when it is opened again.
spdlog::file_event_handlers ownerOnlyFiles()
{
    spdlog::file_event_handlers handlers;
    handlers.before_open = [](const spdlog::filename_t& name) {
        QFile file(decodeName(name));
        if (!file.exists())
            (void)file.open(QIODevice::WriteOnly | QIODevice::Append, kOwnerFile);
    };
    handlers.after_open = [](const spdlog::filename_t& name, std::FILE*) {
        (void)QFile::setPermissions(decodeName(name), kOwnerFile);
    };
    return handlers;
}

[[nodiscard]] Status preparePrivateFolder(const QString& directory)
{
    if (!QDir().mkpath(directory))
        return fail(codes::kLogFolderUnavailable, QStringLiteral("cannot create the log folder"));
#ifdef Q_OS_UNIX
    if (!QFile::setPermissions(directory, kOwnerFolder))
        return fail(codes::kLogFolderUnavailable,
                    QStringLiteral("cannot restrict the log folder to its owner"));
#endif
    // Rotated files from an older run that created them with the default mode.
    const QDir dir(directory);
    for (const QFileInfo& file : dir.entryInfoList(QDir::Files | QDir::Hidden))
        (void)QFile::setPermissions(file.absoluteFilePath(), kOwnerFile);
    return ok();
}

} // namespace

Result<std::unique_ptr<Logging>> Logging::start(const LoggingOptions& options)
{
    if (options.maxFileBytes < kMinimumFileBytes || options.maxFiles < 1 || options.fileName.isEmpty() ||
        options.fileName.contains(u'/') || options.fileName.contains(u'\\'))
        return fail(codes::kInvalidLogOptions,
                    QStringLiteral("the log needs a plain file name, at least one file and %1 bytes per file")
                        .arg(kMinimumFileBytes));
    const QString directory = options.directory.isEmpty() ? defaultDirectory() : options.directory;
    if (directory.isEmpty())
        return fail(codes::kLogFolderUnavailable, QStringLiteral("no per-user data folder"));
    if (auto prepared = preparePrivateFolder(directory); !prepared)
        return propagate(prepared);

    const QString filePath = QDir(directory).absoluteFilePath(options.fileName);
    std::vector<spdlog::sink_ptr> sinks;
    spdlog::sink_ptr fileSink;
    try {
        // spdlog counts rotated files only; maxFiles counts the active one too.
        fileSink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
            QFile::encodeName(filePath).toStdString(), options.maxFileBytes, options.maxFiles - 1, false,
            ownerOnlyFiles());
        sinks.push_back(fileSink);
    } catch (const spdlog::spdlog_ex&) {
        return fail(codes::kLogFileUnavailable,
                    QStringLiteral("cannot open %1 in the log folder").arg(options.fileName));
    }
    if (options.mirrorToStderr)
        sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());

    auto redactor = std::make_shared<Redactor>();
    // Half a file per message at most: every file stays under maxFileBytes, whatever is logged.
    auto redacting = std::make_shared<RedactingSink>(redactor, std::move(sinks),
                                                     std::min(kMaxPayloadBytes, options.maxFileBytes / 2));
    auto logger = std::make_shared<spdlog::logger>("odis", std::move(redacting));
    logger->set_formatter(
        std::make_unique<spdlog::pattern_formatter>(kPattern, spdlog::pattern_time_type::utc));
    logger->set_level(options.level);
    // A few hundred lines per sync: flushing each one costs little, and a crash keeps its last words.
    logger->flush_on(spdlog::level::trace);
    return std::unique_ptr<Logging>(
        new Logging(directory, filePath, std::move(redactor), std::move(logger), std::move(fileSink)));
}

Logging::Logging(QString directory, QString filePath, std::shared_ptr<Redactor> redactor,
                 std::shared_ptr<spdlog::logger> logger, spdlog::sink_ptr fileSink)
    : directory_(std::move(directory))
    , filePath_(std::move(filePath))
    , redactor_(std::move(redactor))
    , logger_(std::move(logger))
    , fileSink_(std::move(fileSink))
    , previousDefault_(spdlog::default_logger())
{
    spdlog::set_default_logger(logger_);
    previousQtHandler_ = qInstallMessageHandler(forwardQtMessage);
}

Logging::~Logging()
{
    qInstallMessageHandler(previousQtHandler_);
    logger_->flush();
    for (const auto& [name, named] : namedLoggers_) {
        if (const auto ours = named.lock(); ours && spdlog::get(name) == ours)
            spdlog::drop(name);
    }
    spdlog::set_default_logger(previousDefault_);
}

QString Logging::defaultDirectory()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    return base.isEmpty() ? QString() : base + QStringLiteral("/logs");
}

std::shared_ptr<spdlog::logger> Logging::logger(const std::string& name)
{
    if (name == logger_->name())
        return logger_;
    std::lock_guard lock(namedMutex_);
    if (const auto known = namedLoggers_.find(name); known != namedLoggers_.end()) {
        if (auto existing = known->second.lock())
            return existing;
    }
    auto named = logger_->clone(name);
    // A logger of that name made elsewhere writes around the redaction: ours takes its place.
    spdlog::drop(name);
    try {
        spdlog::register_logger(named);
    } catch (const spdlog::spdlog_ex&) {
        // Another thread registered the name in between: ours still logs, spdlog::get just finds theirs.
    }
    namedLoggers_[name] = named;
    return named;
}

void Logging::setLevel(spdlog::level::level_enum level)
{
    logger_->set_level(level);
    std::lock_guard lock(namedMutex_);
    for (const auto& [name, named] : namedLoggers_) {
        if (const auto ours = named.lock())
            ours->set_level(level);
    }
}

void Logging::flush()
{
    logger_->flush();
}

Status Logging::removeLogFiles()
{
    logger_->flush();
    fileSink_->set_level(spdlog::level::off); // the open file gets nothing more
    QStringList stayed;
    QDir dir(directory_);
    for (const QFileInfo& file : dir.entryInfoList(QDir::Files | QDir::Hidden | QDir::System)) {
        if (!QFile::remove(file.absoluteFilePath()))
            stayed << file.fileName();
    }
    if (!stayed.isEmpty())
        return fail(codes::kLogFilesNotRemoved, QStringLiteral("these log files could not be removed: %1")
                                                    .arg(stayed.join(QStringLiteral(", "))));
    (void)dir.rmdir(directory_); // the folder too, now empty (it may hold something of someone else's)
    return ok();
}

} // namespace odis::storage
