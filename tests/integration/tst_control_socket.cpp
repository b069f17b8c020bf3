// The resident agent's control socket (agent/control/control_server.h) refuses every other user, by each
// of its three guards: the private directory (0700), the socket file itself (user-only), and the peer's
// user id checked on every connection. Another user is `nobody`, in a child process that gives up root
// (the test runs as root, as in CI); the same user gets answers.

#include "agent/control/control_client.h"
#include "agent/control/control_server.h"

#include <QFile>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace odis;
using namespace odis::agent;

namespace {

// What the other user's attempt came to.
enum Outcome
{
    kClosedWithoutAnswer = 0,
    kAnswered = 1,
    kAccessDenied = 2,
    kOtherError = 3,
    kCannotSwitchUser = 4,
};

// Forks a child that becomes `uid` and tries the socket at `path`; the parent keeps its event loop running
// (the server answers from it) until the child is done.
int tryAsOtherUser(const QByteArray& path, uid_t uid, gid_t gid)
{
    const pid_t child = ::fork();
    if (child == 0) {
        // Only async-signal-safe calls from here on.
        if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
            ::_exit(kCannotSwitchUser);
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (fd < 0 || size_t(path.size()) >= sizeof(address.sun_path))
            ::_exit(kOtherError);
        for (qsizetype i = 0; i < path.size(); ++i)
            address.sun_path[i] = path.at(i);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0)
            ::_exit(errno == EACCES || errno == EPERM ? kAccessDenied : kOtherError);
        const char request[] = "{\"cmd\":\"status\"}\n";
        (void)!::write(fd, request, sizeof(request) - 1);
        pollfd waiting{fd, POLLIN, 0};
        if (::poll(&waiting, 1, 10'000) <= 0)
            ::_exit(kOtherError);
        char buffer[16];
        const ssize_t n = ::read(fd, buffer, sizeof(buffer));
        ::_exit(n > 0 ? kAnswered : kClosedWithoutAnswer);
    }
    int status = 0;
    for (int i = 0; i < 600; ++i) {
        if (::waitpid(child, &status, WNOHANG) == child)
            return WIFEXITED(status) ? WEXITSTATUS(status) : kOtherError;
        QTest::qWait(50);
    }
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    return kOtherError;
}

} // namespace

class ControlSocketTest : public QObject
{
    Q_OBJECT

private:
    uid_t m_nobodyUid = 0;
    gid_t m_nobodyGid = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(::geteuid() == 0, "this test plays another user from root (as CI runs it): run it as root");
        const passwd* nobody = ::getpwnam("nobody");
        QVERIFY2(nobody != nullptr, "no user `nobody` on this system");
        m_nobodyUid = nobody->pw_uid;
        m_nobodyGid = nobody->pw_gid;
    }

    void anotherUserIsRefusedBySameUserAnswered()
    {
        // A parent anyone may traverse, so that the guards under test are the agent's own.
        QTemporaryDir parent;
        QVERIFY(::chmod(QFile::encodeName(parent.path()).constData(), 0755) == 0);
        const ControlEndpoint endpoint{parent.filePath(QStringLiteral("odis-agent-test")),
                                       parent.filePath(QStringLiteral("odis-agent-test/control"))};
        int requests = 0;
        auto server = ControlServer::listen(
            endpoint, [&requests](const QJsonObject&, const ControlServer::Reply& reply) {
                ++requests;
                reply(QJsonObject{{QStringLiteral("ok"), true}});
            });
        QVERIFY2(server, qPrintable(server ? QString() : server.error().toString()));

        // The same user is answered.
        std::optional<Result<QJsonObject>> answer;
        sendControlRequest(endpoint, QJsonObject{{QStringLiteral("cmd"), QStringLiteral("status")}},
                           std::chrono::seconds(10),
                           [&answer](Result<QJsonObject> a) { answer = std::move(a); });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10'000);
        QVERIFY(*answer && (*answer)->value(QStringLiteral("ok")).toBool());
        QCOMPARE(requests, 1);

        // Guard 1: the directory is private.
        struct stat info
        {};
        QVERIFY(::stat(QFile::encodeName(endpoint.directory).constData(), &info) == 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0700));
        QCOMPARE(tryAsOtherUser(QFile::encodeName(endpoint.name), m_nobodyUid, m_nobodyGid),
                 int(kAccessDenied));

        // Guard 2: with the directory opened up, the socket file itself still refuses.
        QVERIFY(::stat(QFile::encodeName(endpoint.name).constData(), &info) == 0);
        QCOMPARE(info.st_mode & 0077, mode_t(0));
        QVERIFY(::chmod(QFile::encodeName(endpoint.directory).constData(), 0755) == 0);
        QCOMPARE(tryAsOtherUser(QFile::encodeName(endpoint.name), m_nobodyUid, m_nobodyGid),
                 int(kAccessDenied));

        // Guard 3: with the file opened up too, the server checks who connected and closes without a word.
        QVERIFY(::chmod(QFile::encodeName(endpoint.name).constData(), 0777) == 0);
        QCOMPARE(tryAsOtherUser(QFile::encodeName(endpoint.name), m_nobodyUid, m_nobodyGid),
                 int(kClosedWithoutAnswer));
        QCOMPARE(requests, 1);

        // A new start makes the directory private again.
        QVERIFY(endpoint.preparePrivateDirectory());
        QVERIFY(::stat(QFile::encodeName(endpoint.directory).constData(), &info) == 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0700));
    }

    void nothingListeningSaysNotRunning()
    {
        QTemporaryDir dir;
        const ControlEndpoint endpoint{dir.path(), dir.filePath(QStringLiteral("control"))};
        std::optional<Result<QJsonObject>> answer;
        sendControlRequest(endpoint, QJsonObject{{QStringLiteral("cmd"), QStringLiteral("status")}},
                           std::chrono::seconds(5),
                           [&answer](Result<QJsonObject> a) { answer = std::move(a); });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10'000);
        QVERIFY(!*answer);
        QCOMPARE(answer->error().code, QString(kAgentNotRunning));
    }

    void aBadRequestIsAnsweredNotDropped()
    {
        QTemporaryDir dir;
        const ControlEndpoint endpoint{dir.filePath(QStringLiteral("p")),
                                       dir.filePath(QStringLiteral("p/control"))};
        auto server =
            ControlServer::listen(endpoint, [](const QJsonObject&, const ControlServer::Reply& reply) {
                reply(QJsonObject{{QStringLiteral("ok"), true}});
            });
        QVERIFY(server);
        QLocalSocket socket;
        socket.connectToServer(endpoint.name);
        QVERIFY(socket.waitForConnected(5'000));
        socket.write("not json\n");
        QTRY_VERIFY_WITH_TIMEOUT(socket.canReadLine(), 5'000);
        QVERIFY(socket.readLine().contains("control_bad_request"));
    }
};

QTEST_GUILESS_MAIN(ControlSocketTest)
#include "tst_control_socket.moc"
