#include "tests/sim/common/termination_signals.h"

#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace odis::sim {

namespace {

int g_fds[2] = {-1, -1}; // [0] written by the handler, [1] read by the notifier

// C linkage names are global even in an anonymous namespace: this one must differ from the agent's.
extern "C" void odisSimOnTerminationSignal(int signalNumber)
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
    ::sigaction(SIGTERM, &restore, nullptr);
    ::sigaction(SIGINT, &restore, nullptr);
    ::close(g_fds[0]);
    ::close(g_fds[1]);
    g_fds[0] = g_fds[1] = -1;
}

Status TerminationSignals::install()
{
    if (g_fds[0] != -1)
        return fail(QStringLiteral("signals_in_use"),
                    QStringLiteral("termination signals are already handled"));
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_fds) != 0)
        return fail(QStringLiteral("signals_unavailable"), QStringLiteral("socketpair failed"));
    m_installed = true; // from here on the destructor closes the pair and restores the defaults
    struct sigaction action
    {};
    action.sa_handler = odisSimOnTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (::sigaction(SIGTERM, &action, nullptr) != 0 || ::sigaction(SIGINT, &action, nullptr) != 0)
        return fail(QStringLiteral("signals_unavailable"), QStringLiteral("sigaction failed"));
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

} // namespace odis::sim
