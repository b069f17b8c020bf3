#pragma once

// Looks for canaries (a password, a token, a cookie, an owner's name, phone or e-mail, a note's text) in
// bytes, files and whole trees: what issue 16's leak scans run after the simulated month. A canary is
// searched as written, lower-cased, percent-encoded (URLs, form bodies) and, for phones, as bare digits;
// zip archives (the diagnostics bundle) and gzip files (rotated logs) are searched inside too. Values
// shorter than kMinCanaryLength are refused: a pet called "Max" would match unrelated bytes and prove
// nothing.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace odis::test {

inline constexpr int kMinCanaryLength = 6;

struct LeakFinding
{
    QString kind;  // "password", "phone", ...: never the value itself (the report is a test artefact too)
    QString where; // a file path or the name of what was scanned
    [[nodiscard]] QString toString() const { return kind + QStringLiteral(" in ") + where; }
};

class LeakScanner
{
public:
    // False (and nothing added) when the value is too short to be a meaningful canary.
    bool addCanary(const QString& kind, const QString& value);
    // A phone: also its national digits alone (10 or more), as a log line might strip the punctuation.
    bool addPhoneCanary(const QString& e164, const QString& asTyped);
    [[nodiscard]] int canaryCount() const { return int(m_canaries.size()); }

    [[nodiscard]] QList<LeakFinding> scanBytes(const QString& where, const QByteArray& data) const;
    // A file; a .zip is searched member by member (unzip -p), a .gz decompressed.
    [[nodiscard]] QList<LeakFinding> scanFile(const QString& path) const;
    // Every regular file under `root` (hidden ones included, symlinks not followed) for which `skip` is
    // false. `scanned` (optional) receives how many files were read.
    [[nodiscard]] QList<LeakFinding> scanTree(const QString& root,
                                              const std::function<bool(const QString&)>& skip = {},
                                              int* scanned = nullptr) const;

private:
    struct Canary
    {
        QString kind;
        QList<QByteArray> needles; // lower-cased forms
    };
    QList<Canary> m_canaries;
};

// Files and folders under `root` that a Chromium profile leaves (Cookies, Cache, Local Storage, IndexedDB,
// QtWebEngine, ...): a web engine that ran off the record leaves none.
[[nodiscard]] QStringList webEngineLeftovers(const QString& root);

} // namespace odis::test
