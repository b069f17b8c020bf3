#pragma once

// Best-effort wiping of secrets held in Qt's implicitly shared strings: the bytes of a copy that is the
// last holder of its buffer are overwritten (OPENSSL_cleanse, which the compiler may not drop) before it
// is released; a copy that shares its buffer with others is only released, and the last of them wipes
// it. Copies made by libraries (QtKeychain, QtWebEngine) are out of reach: this shortens how long a
// password or key stays in this process's memory, it does not promise it is gone.

#include <QByteArray>
#include <QString>

namespace odis::storage {

// Overwrites the bytes in place when this copy alone owns its buffer (true), and leaves a shared or
// borrowed buffer alone (false): writing to it would change the other holders' value.
bool overwrite(QByteArray& bytes);
bool overwrite(QString& text);

// overwrite(), then release: the value is empty afterwards.
void wipe(QByteArray& bytes);
void wipe(QString& text);

// Wipes its value when it goes out of scope (a key read into a temporary).
class WipeOnExit
{
public:
    explicit WipeOnExit(QByteArray& bytes)
        : m_bytes(bytes)
    {}
    ~WipeOnExit() { wipe(m_bytes); }
    WipeOnExit(const WipeOnExit&) = delete;
    WipeOnExit& operator=(const WipeOnExit&) = delete;

private:
    QByteArray& m_bytes;
};

} // namespace odis::storage
