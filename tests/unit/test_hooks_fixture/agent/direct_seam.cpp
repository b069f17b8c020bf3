// Fixture of tst_test_hooks_scan_rejects (never compiled): seams reading their variable directly, which a
// package build would keep. The scan must name both; the XDG_ read is someone else's variable and fine.
#include <QtGlobal>

QString testNow()
{
    return qEnvironmentVariable("ODIS_TEST_NOW");
}
QByteArray holdAt(const char* name)
{
    return qgetenv(name);
}
QString configDirs()
{
    return qEnvironmentVariable("XDG_CONFIG_DIRS");
}
