#pragma once

#include <QString>
#include <QStringList>

namespace odis::test {

// Every key QtKeychain stored under `service`, as the Secret Service itself lists them: QtKeychain's
// libsecret schema keeps the key in the "user" attribute and the service in "server".
// Keys starting with `prefix` only, sorted. Fails loudly when secret-tool cannot run.
// Tests in other processes share the session's keyring: when one of them deletes an item while
// secret-tool is reading the secrets it found, secret-tool stops with "No such secret item" and a
// partial listing. Such a listing is taken again; any other failure is fatal.
[[nodiscard]] QStringList secretToolKeys(const QString& service, const QString& prefix);

} // namespace odis::test
