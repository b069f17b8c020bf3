#include "agent/resident/time_source.h"

#include "agent/test_hooks.h"
#include "storage/codes/agent_codes.h"

#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QJsonDocument>
#include <QJsonObject>

#include <spdlog/spdlog.h>

namespace odis::agent {

SystemTimeSource::SystemTimeSource(QObject* parent)
    : TimeSource(parent)
{
    m_monotonic.start();
}

Result<std::unique_ptr<FileTimeSource>> FileTimeSource::open(const QString& path, QObject* parent)
{
    std::unique_ptr<FileTimeSource> source(new FileTimeSource(path, parent));
    if (auto loaded = source->reload(); !loaded)
        return propagate(loaded);
    source->watch();
    return source;
}

FileTimeSource::FileTimeSource(QString path, QObject* parent)
    : TimeSource(parent)
    , m_path(std::move(path))
{}

FileTimeSource::~FileTimeSource() = default;

Status FileTimeSource::reload()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(codes::kTestClockInvalid,
                    QStringLiteral("%1 cannot be read: %2").arg(m_path, file.errorString()));
    const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
    const QDateTime now =
        QDateTime::fromString(object.value(QStringLiteral("now")).toString(), Qt::ISODateWithMs);
    if (!now.isValid() || now.timeSpec() != Qt::UTC)
        return fail(
            codes::kTestClockInvalid,
            QStringLiteral("%1 must hold {\"now\": <UTC instant>, \"monotonic_ms\": <n>}").arg(m_path));
    m_now = now;
    m_monotonicMs = object.value(QStringLiteral("monotonic_ms")).toInteger();
    return ok();
}

void FileTimeSource::watch()
{
    // The directory too: a file replaced by a rename is a new file the old watch no longer sees.
    m_watcher = new QFileSystemWatcher(this);
    m_watcher->addPath(m_path);
    m_watcher->addPath(QFileInfo(m_path).absolutePath());
    auto onChange = [this] {
        if (!m_watcher->files().contains(m_path) && QFileInfo::exists(m_path))
            m_watcher->addPath(m_path);
        const QDateTime before = m_now;
        const qint64 monotonicBefore = m_monotonicMs;
        if (auto loaded = reload(); !loaded) {
            spdlog::warn("test clock: {}", loaded.error().code.toStdString());
            return;
        }
        if (m_now != before || m_monotonicMs != monotonicBefore)
            Q_EMIT changed();
    };
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, onChange);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, onChange);
}

Result<std::unique_ptr<TimeSource>> timeSourceFromEnvironment()
{
    const QString path = testHook(FileTimeSource::kEnvironmentVariable);
    if (path.isEmpty())
        return std::unique_ptr<TimeSource>(std::make_unique<SystemTimeSource>());
    auto source = FileTimeSource::open(path);
    if (!source)
        return propagate(source);
    return std::unique_ptr<TimeSource>(std::move(*source));
}

} // namespace odis::agent
