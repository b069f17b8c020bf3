// Fixture of tst_layering_rejects (never compiled): pure logic including a QtWebEngine header.
#include <QWebEnginePage>
