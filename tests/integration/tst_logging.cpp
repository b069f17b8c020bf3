#include "storage/logging.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QObject>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>
#include <map>
#include <spdlog/logger.h>
#include <spdlog/spdlog.h>
#include <string>
#include <thread>

using odis::storage::Logging;
using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTestSync, "odis.sync")

namespace {

// Canaries: each must never appear in any log file, whichever way it was logged.
const QString kPassword = u"Hunter2-Sup3rSecret!"_s;
const QString kCookieValue = u"b7f3c9e1d2a4f6081726354"_s;
const QString kBasicCredentials = u"QWxhZGRpbjpvcGVuIHNlc2FtZQ=="_s;
const QString kBearerToken = u"odis_tok_9f8e7d6c5b4a39281706"_s;
const QString kEmail = u"jane.okonkwo@example-clinic.com"_s;
const QString kClientName = u"Okonkwo-Whitfield"_s;
const QStringList kPhones{u"555-201-3344"_s, u"(555) 201-3344"_s, u"5552013344"_s, u"+1 555 201 3344"_s,
                          u"+44 20 7946 0958"_s};
const QString kHtmlNote = u"<p>Biscuit vomited twice; <b>owner</b> worried</p>"_s;
const QString kJsonBody =
    u"{\"first_name\":\"Marguerite\",\"last_name\":\"Vandersloot\",\"notes\":\"Lethargic "
    u"since Tuesday\",\"neo_appointment_id\":482913,\"items\":7}"_s;

// What is searched for, lower-cased (the files are searched lower-cased too).
const QStringList kForbidden{u"hunter2-sup3rsecret!"_s,
                             u"b7f3c9e1d2a4f6081726354"_s,
                             u"qwxhzgrpbjpvcgvuihnlc2ftzq"_s,
                             u"odis_tok_9f8e7d6c5b4a39281706"_s,
                             u"jane.okonkwo"_s,
                             u"example-clinic.com"_s,
                             u"okonkwo"_s,
                             u"whitfield"_s,
                             u"201-3344"_s,
                             u"201 3344"_s,
                             u"2013344"_s,
                             u"7946 0958"_s,
                             u"biscuit"_s,
                             u"vomited"_s,
                             u"worried"_s,
                             u"marguerite"_s,
                             u"vandersloot"_s,
                             u"lethargic"_s,
                             u"tuesday"_s};

// One message per kind of canary, each tagged so that the test can prove the line was written.
QStringList canaryMessages(const QString& path)
{
    QStringList messages{
        u"login password="_s + kPassword,
        u"retry with "_s + kPassword + u" attempt 2"_s,
        u"Cookie: neo_session="_s + kCookieValue + u"; theme=dark"_s,
        u"jar holds "_s + kCookieValue + u" for 20 min"_s,
        u"Authorization: Basic "_s + kBasicCredentials,
        u"upload with Bearer "_s + kBearerToken + u" items=7"_s,
        u"client "_s + kEmail + u" appointment 482913"_s,
        u"owner "_s + kClientName + u" called about 482913"_s,
        u"note "_s + kHtmlNote + u" len 48"_s,
        u"body "_s + kJsonBody,
    };
    for (const QString& phone : kPhones)
        messages << u"dial "_s + phone + u" for 482913"_s;
    for (qsizetype i = 0; i < messages.size(); ++i)
        messages[i].prepend(u"probe=%1#%2 "_s.arg(path).arg(i));
    return messages;
}

struct LogFolder
{
    int fileCount = 0;
    qint64 totalBytes = 0;
    qint64 largestFile = 0;
    QString text;
};

LogFolder readLogFolder(const QString& directory)
{
    LogFolder folder;
    for (const QFileInfo& info : QDir(directory).entryInfoList(QDir::Files | QDir::Hidden)) {
        QFile file(info.absoluteFilePath());
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read a log file");
        const QByteArray bytes = file.readAll();
        ++folder.fileCount;
        folder.totalBytes += bytes.size();
        folder.largestFile = std::max<qint64>(folder.largestFile, bytes.size());
        folder.text += QString::fromUtf8(bytes);
    }
    return folder;
}

QString lineWith(const QString& text, const QString& probe)
{
    for (const QString& line : text.split(u'\n')) {
        if (line.contains(probe + u' '))
            return line;
    }
    return {};
}

QStringList* capturedQtMessages = nullptr;

void captureQtMessage(QtMsgType, const QMessageLogContext&, const QString& message)
{
    if (capturedQtMessages)
        capturedQtMessages->append(message);
}

} // namespace

class TstLogging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void everyPathIsRedacted();
    void defaultLevelIsInfo();
    void totalSizeStaysUnderCap();
    void filesAreOwnerOnly();
    void restoresPreviousHandlers();
    void defaultFolderIsPerUser();
    void rejectsInvalidOptions();
};

void TstLogging::everyPathIsRedacted()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString folder = temp.filePath(u"logs"_s);
    // Small files so that the canaries are spread over rotated files; enough of them that none is dropped.
    std::map<QString, QStringList> written;
    {
        auto logging = Logging::start(
            {.directory = folder, .maxFileBytes = 4096, .maxFiles = 64, .level = spdlog::level::debug});
        QVERIFY2(logging, qPrintable(logging ? QString() : logging.error().toString()));
        (*logging)->redactor().addSensitiveValue(kPassword);
        (*logging)->redactor().addSensitiveValue(kCookieValue);
        (*logging)->redactor().addSensitiveValue(kClientName);
        const auto sync = (*logging)->logger("sync");

        const std::map<QString, std::function<void(const QString&)>> paths{
            {u"spdlog.info"_s, [](const QString& m) { spdlog::info("{}", m.toStdString()); }},
            {u"spdlog.warn"_s, [](const QString& m) { spdlog::warn(m.toStdString()); }},
            {u"spdlog.error"_s, [](const QString& m) { spdlog::error("failed: {}", m.toStdString()); }},
            {u"spdlog.debug"_s, [](const QString& m) { spdlog::debug("{}", m.toStdString()); }},
            {u"spdlog.critical"_s, [](const QString& m) { spdlog::critical("{}", m.toStdString()); }},
            {u"named"_s, [&sync](const QString& m) { sync->info("{}", m.toStdString()); }},
            {u"named.get"_s, [](const QString& m) { spdlog::get("sync")->warn("{}", m.toStdString()); }},
            {u"qt.debug"_s, [](const QString& m) { qDebug() << m; }}, // quoted and escaped by QDebug
            {u"qt.info"_s, [](const QString& m) { qInfo().noquote() << m; }},
            {u"qt.warning"_s, [](const QString& m) { qWarning("%s", qUtf8Printable(m)); }},
            {u"qt.critical"_s, [](const QString& m) { qCritical().noquote() << m; }},
            {u"qt.cwarning"_s, [](const QString& m) { qCWarning(lcTestSync).noquote() << m; }},
        };
        for (const auto& [path, log] : paths) {
            written[path] = canaryMessages(path);
            for (const QString& message : written[path])
                log(message);
        }
        written[u"thread"_s] = canaryMessages(u"thread"_s);
        std::thread other([&] {
            for (const QString& message : written[u"thread"_s]) {
                spdlog::info("{}", message.toStdString());
                qWarning().noquote() << message;
                sync->error("{}", message.toStdString());
            }
        });
        other.join();
        (*logging)->flush();
    }

    const LogFolder logs = readLogFolder(folder);
    QVERIFY2(logs.fileCount >= 2, "the small cap must have rotated the file");
    const QString lower = logs.text.toLower();
    for (const QString& canary : kForbidden)
        QVERIFY2(!lower.contains(canary), qPrintable(u"leaked: "_s + canary));
    for (const auto& [path, messages] : written) {
        for (qsizetype i = 0; i < messages.size(); ++i) {
            const QString probe = u"probe=%1#%2"_s.arg(path).arg(i);
            QVERIFY2(!lineWith(logs.text, probe).isEmpty(), qPrintable(u"not written: "_s + probe));
        }
    }
    // The useful parts survive redaction.
    QVERIFY(
        lineWith(logs.text, u"probe=spdlog.info#6"_s).endsWith(u"client [redacted] appointment 482913"_s));
    QVERIFY(lineWith(logs.text, u"probe=named#5"_s).contains(u"items=7"_s));
    QVERIFY(
        lineWith(logs.text, u"probe=qt.info#9"_s).contains(u"\"neo_appointment_id\":482913,\"items\":7"_s));
    QVERIFY(lineWith(logs.text, u"probe=qt.debug#9"_s).contains(u"482913"_s));
    QVERIFY(lineWith(logs.text, u"probe=thread#12"_s).endsWith(u"for 482913"_s));
    // Levels and Qt categories are kept.
    QVERIFY(lineWith(logs.text, u"probe=qt.debug#0"_s).contains(u"[debug] [odis]"_s));
    QVERIFY(lineWith(logs.text, u"probe=qt.debug#0"_s).contains(u"[qt:default]"_s));
    QVERIFY(lineWith(logs.text, u"probe=qt.cwarning#0"_s).contains(u"[warning] [odis]"_s));
    QVERIFY(lineWith(logs.text, u"probe=qt.cwarning#0"_s).contains(u"[qt:odis.sync]"_s));
    QVERIFY(lineWith(logs.text, u"probe=qt.critical#0"_s).contains(u"[error]"_s));
    QVERIFY(lineWith(logs.text, u"probe=named#0"_s).contains(u"[info] [sync]"_s));
}

void TstLogging::defaultLevelIsInfo()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    {
        auto logging = Logging::start({.directory = temp.path()});
        QVERIFY(logging);
        spdlog::debug("probe=spdlog-debug hidden");
        qDebug("probe=qt-debug hidden");
        (*logging)->logger("sync")->debug("probe=named-debug hidden");
        spdlog::info("probe=spdlog-info shown");
        qInfo("probe=qt-info shown");
        (*logging)->setLevel(spdlog::level::debug);
        (*logging)->logger("sync")->debug("probe=named-debug-enabled shown");
    }
    const QString text = readLogFolder(temp.path()).text;
    QVERIFY(!text.contains(u"hidden"_s));
    QVERIFY(text.contains(u"probe=spdlog-info shown"_s));
    QVERIFY(text.contains(u"probe=qt-info shown"_s));
    QVERIFY(text.contains(u"probe=named-debug-enabled shown"_s));
}

void TstLogging::totalSizeStaysUnderCap()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    constexpr std::size_t kFileBytes = 8192;
    constexpr std::size_t kFiles = 3;
    {
        auto logging =
            Logging::start({.directory = temp.path(), .maxFileBytes = kFileBytes, .maxFiles = kFiles});
        QVERIFY(logging);
        const std::string padding(80, '.');
        for (int i = 0; i < 4000; ++i) // about 500 KiB, 20 times the cap
            spdlog::info("probe=fill#{} {}", i, padding);
        spdlog::info("one pasted note {}", std::string(200 * 1024, 'x')); // larger than the whole cap
        spdlog::info("probe=last");
    }
    const LogFolder logs = readLogFolder(temp.path());
    QCOMPARE(logs.fileCount, int(kFiles));
    QVERIFY2(logs.largestFile <= qint64(kFileBytes), qPrintable(QString::number(logs.largestFile)));
    QVERIFY2(logs.totalBytes <= qint64(kFileBytes * kFiles), qPrintable(QString::number(logs.totalBytes)));
    QVERIFY(logs.text.contains(u"[truncated]"_s));
    QVERIFY(logs.text.contains(u"probe=last"_s));
    QVERIFY(logs.text.contains(u"probe=fill#3999 "_s));
    QVERIFY(!logs.text.contains(u"probe=fill#0 "_s)); // the oldest lines made room
}

// Windows has no such modes (the folder under the user's profile is private already): there the test
// only checks that the files are written.
void TstLogging::filesAreOwnerOnly()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString folder = temp.filePath(u"logs"_s);
    QVERIFY(QDir().mkpath(folder));
    constexpr auto kShared = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                             QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther |
                             QFileDevice::ExeOther;
    QVERIFY(QFile::setPermissions(folder, kShared));
    QFile old(folder + u"/odis-agent.1.log"_s); // left by an older run with the default mode
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.close();
    QVERIFY(QFile::setPermissions(old.fileName(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                      QFileDevice::ReadGroup | QFileDevice::ReadOther));
    {
        auto logging = Logging::start({.directory = folder, .maxFileBytes = 4096, .maxFiles = 4});
        QVERIFY(logging);
        for (int i = 0; i < 200; ++i)
            spdlog::info("probe=perm#{} rotating through every file", i);
    }
    constexpr auto kOthers = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                             QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    const QFileInfoList files = QDir(folder).entryInfoList(QDir::Files);
    QCOMPARE(files.size(), 4);
#ifdef Q_OS_UNIX
    QVERIFY(!(QFile::permissions(folder) & kOthers));
    for (const QFileInfo& file : files) {
        QVERIFY2(!(file.permissions() & kOthers), qPrintable(file.fileName()));
        QVERIFY(file.permissions().testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    }
#else
    Q_UNUSED(kOthers);
#endif
}

void TstLogging::restoresPreviousHandlers()
{
    QStringList captured;
    capturedQtMessages = &captured;
    const QtMessageHandler before = qInstallMessageHandler(captureQtMessage);
    const auto previousDefault = spdlog::default_logger();
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    {
        auto logging = Logging::start({.directory = temp.path()});
        QVERIFY(logging);
        QVERIFY((*logging)->logger("sync"));
        QVERIFY(spdlog::default_logger() != previousDefault);
        qWarning("probe=while-installed");
    }
    qWarning("probe=after");
    qInstallMessageHandler(before);
    capturedQtMessages = nullptr;

    QCOMPARE(captured, QStringList{u"probe=after"_s});
    QVERIFY(spdlog::default_logger() == previousDefault);
    QVERIFY(!spdlog::get("sync"));
    QVERIFY(readLogFolder(temp.path()).text.contains(u"probe=while-installed"_s));
}

void TstLogging::defaultFolderIsPerUser()
{
    const QString expected =
        QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/logs"_s;
    QCOMPARE(Logging::defaultDirectory(), expected);
    {
        auto logging = Logging::start({});
        QVERIFY(logging);
        QCOMPARE((*logging)->directory(), expected);
        spdlog::info("probe=default-folder");
    }
    QVERIFY(QFileInfo::exists(expected + u"/odis-agent.log"_s));
    QVERIFY(QDir(expected).removeRecursively());
}

void TstLogging::rejectsInvalidOptions()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    QCOMPARE(Logging::start({.directory = temp.path(), .maxFileBytes = 100}).error().code,
             u"invalid_log_options"_s);
    QCOMPARE(Logging::start({.directory = temp.path(), .maxFiles = 0}).error().code,
             u"invalid_log_options"_s);
    QCOMPARE(Logging::start({.directory = temp.path(), .fileName = u"../escape.log"_s}).error().code,
             u"invalid_log_options"_s);
    QFile blocker(temp.filePath(u"not-a-folder"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    QCOMPARE(Logging::start({.directory = blocker.fileName()}).error().code, u"log_folder_unavailable"_s);
}

QTEST_GUILESS_MAIN(TstLogging)
#include "tst_logging.moc"
