#include "agent/verbs/verb_input.h"

#include "storage/codes/agent_codes.h"

#include <QFile>

#include <algorithm>
#include <cstdio>
#include <string>

#if defined(Q_OS_UNIX)
#include <termios.h>
#include <unistd.h>
#endif

namespace odis::agent {

std::optional<QString> readInputLine(const char* prompt, bool secret)
{
#if defined(Q_OS_UNIX)
    const bool terminal = isatty(STDIN_FILENO) != 0;
    termios saved{};
    if (terminal) {
        std::fprintf(stderr, "%s", prompt);
        std::fflush(stderr);
        if (secret && tcgetattr(STDIN_FILENO, &saved) == 0) {
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            (void)tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        }
    }
#else
    Q_UNUSED(prompt);
    Q_UNUSED(secret);
#endif
    std::string line;
    bool got = false;
    for (int c = std::fgetc(stdin); c != EOF; c = std::fgetc(stdin)) {
        got = true;
        if (c == '\n')
            break;
        line.push_back(static_cast<char>(c));
    }
#if defined(Q_OS_UNIX)
    if (terminal && secret) {
        (void)tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fprintf(stderr, "\n");
    }
#endif
    if (!got)
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    QString text = QString::fromStdString(line);
    // The buffer held a secret for some callers: it is not left behind in the freed heap.
    std::fill(line.begin(), line.end(), '\0');
    return text;
}

Result<QString> readFirstLine(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(codes::kInputFileUnreadable,
                    QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray head = file.read(4096);
    const qsizetype end = head.indexOf('\n');
    return QString::fromUtf8(end < 0 ? head : head.left(end)).trimmed();
}

} // namespace odis::agent
