#include "agent/resident/instance_lock.h"

#include "agent/agent_context.h"
#include "storage/codes/agent_codes.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>

namespace odis::agent {

QString InstanceLock::defaultPath()
{
    return QFileInfo(AgentPaths::defaults().databaseFile).absolutePath() + QStringLiteral("/agent.lock");
}

Result<std::unique_ptr<InstanceLock>> InstanceLock::acquire(const QString& path)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return fail(codes::kLockFailed, QStringLiteral("cannot create the folder of %1").arg(path));
    auto lock = std::make_unique<QLockFile>(path);
    lock->setStaleLockTime(0); // never stale by age; a lock whose process is gone is taken over
    if (lock->tryLock(0))
        return std::unique_ptr<InstanceLock>(new InstanceLock(std::move(lock)));
    if (lock->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString app;
        (void)lock->getLockInfo(&pid, &host, &app);
        return fail(codes::kAgentAlreadyRunning,
                    QStringLiteral("the agent is already running for this user (pid %1)").arg(pid));
    }
    return fail(codes::kLockFailed, QStringLiteral("cannot write the lock file %1").arg(path));
}

InstanceLock::InstanceLock(std::unique_ptr<QLockFile> lock)
    : m_lock(std::move(lock))
{}

InstanceLock::~InstanceLock() = default;

} // namespace odis::agent
