#pragma once

// What verbs read from a person or a script: one line of standard input (a prompt and no echo for a
// secret, on a terminal), the first line of a file. Secrets never come from the argument list, which
// every user of the machine can read (ps, /proc/<pid>/cmdline).

#include "storage/result.h"

#include <QString>

#include <optional>

namespace odis::agent {

// One line of standard input without its line break; nullopt at the end of input. On a terminal the
// prompt goes to stderr and, for a secret, echo is off while it is typed.
[[nodiscard]] std::optional<QString> readInputLine(const char* prompt, bool secret);

// The first line of `path` (a small file: at most 4 KB are read), trimmed. Error input_file_unreadable.
[[nodiscard]] Result<QString> readFirstLine(const QString& path);

} // namespace odis::agent
