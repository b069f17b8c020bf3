#include "agent/resident/termination_signals.h"

#include "storage/codes/agent_codes.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QSocketNotifier>

#ifdef Q_OS_WIN
#include <windows.h>
#else
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace odis::agent {

#ifdef Q_OS_WIN

namespace {

TerminationSignals* g_instance = nullptr;

BOOL WINAPI onConsoleEvent(DWORD event)
{
    // Called on a thread of its own: the Qt signal is queued to the event loop.
    if (g_instance == nullptr)
        return FALSE;
    QMetaObject::invokeMethod(
        g_instance, [event] { Q_EMIT g_instance->received(int(event)); }, Qt::QueuedConnection);
    return TRUE;
}

} // namespace

TerminationSignals::TerminationSignals(QObject* parent)
    : QObject(parent)
{}

TerminationSignals::~TerminationSignals()
{
    if (m_installed) {
        SetConsoleCtrlHandler(onConsoleEvent, FALSE);
        g_instance = nullptr;
    }
}

Status TerminationSignals::install()
{
    if (g_instance != nullptr)
        return fail(codes::kSignalsInUse, QStringLiteral("termination signals are already handled"));
    g_instance = this;
    m_installed = true;
    if (!SetConsoleCtrlHandler(onConsoleEvent, TRUE))
        return fail(codes::kSignalsUnavailable, QStringLiteral("SetConsoleCtrlHandler failed"));
    return ok();
}

void TerminationSignals::readPending() {}

#else

namespace {

int g_fds[2] = {-1, -1}; // [0] written by the handler, [1] read by the notifier
constexpr int kSignals[] = {SIGTERM, SIGINT, SIGHUP};

extern "C" void odisAgentOnTerminationSignal(int signalNumber)
{
    const unsigned char byte = static_cast<unsigned char>(signalNumber);
    [[maybe_unused]] const ssize_t n = ::write(g_fds[0], &byte, 1);
}

} // namespace

TerminationSignals::TerminationSignals(QObject* parent)
    : QObject(parent)
{}

TerminationSignals::~TerminationSignals()
{
    if (!m_installed)
        return;
    struct sigaction restore
    {};
    restore.sa_handler = SIG_DFL;
    sigemptyset(&restore.sa_mask);
    for (int s : kSignals)
        ::sigaction(s, &restore, nullptr);
    ::close(g_fds[0]);
    ::close(g_fds[1]);
    g_fds[0] = g_fds[1] = -1;
}

Status TerminationSignals::install()
{
    if (g_fds[0] != -1)
        return fail(codes::kSignalsInUse, QStringLiteral("termination signals are already handled"));
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_fds) != 0)
        return fail(codes::kSignalsUnavailable, QStringLiteral("socketpair failed"));
    m_installed = true; // from here on the destructor closes the pair and restores the defaults
    struct sigaction action
    {};
    action.sa_handler = odisAgentOnTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int s : kSignals) {
        if (::sigaction(s, &action, nullptr) != 0)
            return fail(codes::kSignalsUnavailable, QStringLiteral("sigaction failed"));
    }
    m_notifier = new QSocketNotifier(g_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &TerminationSignals::readPending);
    return ok();
}

void TerminationSignals::readPending()
{
    unsigned char byte = 0;
    if (::read(g_fds[1], &byte, 1) == 1)
        Q_EMIT received(byte);
}

#endif

} // namespace odis::agent
