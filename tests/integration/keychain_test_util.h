#pragma once

// Helpers for tests on the real keychain (the private session's gnome-keyring): wait for an
// asynchronous callback, look at the raw entries with QtKeychain and secret-tool, independently of
// the code under test.

#include "storage/result.h"
#include "tests/support/secret_tool.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QTestEventLoop>
#include <qt6keychain/keychain.h>

#include <functional>
#include <memory>
#include <optional>

namespace odis::test {

inline constexpr int kKeychainTimeoutMs = 20000;

// Runs the event loop until `done` says so. A real loop, not QTest::qWaitFor: that one sleeps 10 ms
// between rounds, which adds up over the dozens of keychain jobs behind one chunked write.
template <typename Pred> void spinUntil(QTestEventLoop& loop, Pred done)
{
    if (!done())
        loop.enterLoopMSecs(kKeychainTimeoutMs);
}

// Starts an operation that reports through a callback and waits for it. A callback that never comes
// yields test_timeout; one that comes twice is counted in *calls (when given).
template <typename R> R await(const std::function<void(std::function<void(R)>)>& start, int* calls = nullptr)
{
    // Shared with the callback, which may still come after a timeout gave up waiting.
    struct State
    {
        std::optional<R> result;
        int count = 0;
        QTestEventLoop loop;
    };
    const auto state = std::make_shared<State>();
    start([state](R r) {
        ++state->count;
        state->result = std::move(r);
        state->loop.exitLoop();
    });
    spinUntil(state->loop, [&] { return state->result.has_value(); });
    if (calls)
        *calls = state->count;
    if (!state->result)
        return std::unexpected(Error{QStringLiteral("test_timeout"), QStringLiteral("no callback")});
    return std::move(*state->result);
}

// The raw QtKeychain entry under `service`/`key`, bypassing the credential store.
inline Result<std::optional<QByteArray>> rawRead(const QString& service, const QString& key)
{
    auto* job = new QKeychain::ReadPasswordJob(service);
    job->setInsecureFallback(false);
    job->setKey(key);
    std::optional<Result<std::optional<QByteArray>>> out;
    QTestEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&out, &loop](QKeychain::Job* j) {
        const auto* r = static_cast<QKeychain::ReadPasswordJob*>(j);
        if (r->error() == QKeychain::NoError)
            out = std::optional<QByteArray>(r->binaryData());
        else if (r->error() == QKeychain::EntryNotFound)
            out = std::optional<QByteArray>();
        else
            out = std::unexpected(Error{QStringLiteral("raw_read_failed"), r->errorString()});
        loop.exitLoop();
    });
    job->start();
    spinUntil(loop, [&] { return out.has_value(); });
    return out.value_or(std::unexpected(Error{QStringLiteral("test_timeout"), key}));
}

inline Status rawWrite(const QString& service, const QString& key, const QByteArray& value)
{
    auto* job = new QKeychain::WritePasswordJob(service);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setBinaryData(value);
    std::optional<Status> out;
    QTestEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&out, &loop](QKeychain::Job* j) {
        out = j->error() == QKeychain::NoError
                  ? Status()
                  : Status(std::unexpected(Error{QStringLiteral("raw_write_failed"), j->errorString()}));
        loop.exitLoop();
    });
    job->start();
    spinUntil(loop, [&] { return out.has_value(); });
    return out.value_or(std::unexpected(Error{QStringLiteral("test_timeout"), key}));
}

inline Status rawRemove(const QString& service, const QString& key)
{
    auto* job = new QKeychain::DeletePasswordJob(service);
    job->setInsecureFallback(false);
    job->setKey(key);
    std::optional<Status> out;
    QTestEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&out, &loop](QKeychain::Job* j) {
        out = j->error() == QKeychain::NoError
                  ? Status()
                  : Status(std::unexpected(Error{QStringLiteral("raw_remove_failed"), j->errorString()}));
        loop.exitLoop();
    });
    job->start();
    spinUntil(loop, [&] { return out.has_value(); });
    return out.value_or(std::unexpected(Error{QStringLiteral("test_timeout"), key}));
}

} // namespace odis::test
