#pragma once

// One resident agent per user and install: a lock file in the data folder (next to the store). The lock of
// a process that is gone is taken over (QLockFile checks its pid); a live one is never broken by age.

#include "storage/result.h"

#include <QString>

#include <memory>

class QLockFile;

namespace odis::agent {

class InstanceLock
{
public:
    // "agent.lock" in the folder of the store.
    [[nodiscard]] static QString defaultPath();

    // Error agent_already_running (the message names the pid holding it) or lock_failed.
    [[nodiscard]] static Result<std::unique_ptr<InstanceLock>> acquire(const QString& path);

    ~InstanceLock();
    InstanceLock(const InstanceLock&) = delete;
    InstanceLock& operator=(const InstanceLock&) = delete;

private:
    explicit InstanceLock(std::unique_ptr<QLockFile> lock);
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace odis::agent
