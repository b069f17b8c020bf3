// The install id file: created once, read back unchanged, never silently replaced.

#include "storage/install_identity.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using odis::storage::InstallIdentity;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

void writeFile(const QString& path, const QByteArray& content)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
}

} // namespace

class TestInstallIdentity : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Odis"));
        QCoreApplication::setApplicationName(QStringLiteral("odis-agent-test"));
        QVERIFY(m_dir.isValid());
    }

    // The id names this install's keychain entries: other users of the machine have no business with it.
    void fileAndFolderAreTheUsersAlone()
    {
        const QString folder = m_dir.filePath(QStringLiteral("private/odis-agent"));
        const QString path = folder + QStringLiteral("/install-id");
        QVERIFY(InstallIdentity::loadOrCreate(path).has_value());
        const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
        QCOMPARE(QFile::permissions(path) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser), owner);
        QCOMPARE(QFile::permissions(folder) &
                     ~(QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser),
                 owner | QFileDevice::ExeOwner);

        // An id an older version left readable by everyone is narrowed when it is read.
        QVERIFY(QFile::setPermissions(path, owner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
        QVERIFY(QFile::setPermissions(folder, owner | QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                                  QFileDevice::ExeOther));
        QVERIFY(InstallIdentity::loadOrCreate(path).has_value());
        QCOMPARE(QFile::permissions(path) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser), owner);
        QVERIFY(!(QFile::permissions(folder) & (QFileDevice::ReadOther | QFileDevice::ExeOther)));
    }

    void createdOnceThenReadBack()
    {
        const QString path = m_dir.filePath(QStringLiteral("nested/config/install-id"));
        const auto first = InstallIdentity::loadOrCreate(path);
        QVERIFY2(first, qPrintable(first ? QString() : first.error().toString()));
        QVERIFY(!first->isNull());
        QCOMPARE(first->version(), QUuid::Random);
        QCOMPARE(readAll(path).trimmed(), InstallIdentity::toText(*first).toLatin1());

        const auto second = InstallIdentity::loadOrCreate(path);
        QVERIFY(second);
        QCOMPARE(*second, *first);
    }

    void distinctPerFile()
    {
        const auto a = InstallIdentity::loadOrCreate(m_dir.filePath(QStringLiteral("a/install-id")));
        const auto b = InstallIdentity::loadOrCreate(m_dir.filePath(QStringLiteral("b/install-id")));
        QVERIFY(a && b);
        QVERIFY(*a != *b);
    }

    void textForm()
    {
        const QUuid id = QUuid::fromString(QStringLiteral("{8F14E45F-CEEA-467F-A8F1-3B2C4D5E6F70}"));
        QCOMPARE(InstallIdentity::toText(id), QStringLiteral("8f14e45f-ceea-467f-a8f1-3b2c4d5e6f70"));
    }

    void acceptsTrailingWhitespace()
    {
        const QString path = m_dir.filePath(QStringLiteral("edited-install-id"));
        writeFile(path, "  8f14e45f-ceea-467f-a8f1-3b2c4d5e6f70\r\n");
        const auto id = InstallIdentity::loadOrCreate(path);
        QVERIFY(id);
        QCOMPARE(InstallIdentity::toText(*id), QStringLiteral("8f14e45f-ceea-467f-a8f1-3b2c4d5e6f70"));
    }

    void damagedFileIsRefusedAndKept_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("garbage") << QByteArray("not an id");
        QTest::newRow("truncated") << QByteArray("8f14e45f-ceea-467f-a8f1-3b2c4d5e6f");
        QTest::newRow("braces") << QByteArray("{8f14e45f-ceea-467f-a8f1-3b2c4d5e6f70}");
        QTest::newRow("null uuid") << QByteArray("00000000-0000-0000-0000-000000000000");
    }
    void damagedFileIsRefusedAndKept()
    {
        QFETCH(QByteArray, content);
        const QString path = m_dir.filePath(QStringLiteral("damaged-install-id"));
        writeFile(path, content);
        const auto id = InstallIdentity::loadOrCreate(path);
        QVERIFY(!id);
        QCOMPARE(id.error().code, QStringLiteral("install_id_invalid"));
        QVERIFY(id.error().message.contains(path));
        QCOMPARE(readAll(path), content); // never replaced: a new id would orphan the keychain entries
    }

    void unreadableAndUnwritable()
    {
        const QString folderInTheWay = m_dir.filePath(QStringLiteral("is-a-folder"));
        QVERIFY(QDir().mkpath(folderInTheWay));
        const auto unreadable = InstallIdentity::loadOrCreate(folderInTheWay);
        QVERIFY(!unreadable);
        QCOMPARE(unreadable.error().code, QStringLiteral("install_id_unreadable"));

        const QString fileInTheWay = m_dir.filePath(QStringLiteral("plain-file"));
        writeFile(fileInTheWay, "x");
        const auto unwritable = InstallIdentity::loadOrCreate(fileInTheWay + QStringLiteral("/install-id"));
        QVERIFY(!unwritable);
        QCOMPARE(unwritable.error().code, QStringLiteral("install_id_write_failed"));
    }

    void defaultPathIsPerUserConfig()
    {
        const QString path = InstallIdentity::defaultPath();
        QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)));
        QVERIFY(path.endsWith(QStringLiteral("/install-id")));
        QVERIFY(path.contains(QStringLiteral("qttest"))); // test mode: never the real user's folder
    }
};

QTEST_GUILESS_MAIN(TestInstallIdentity)
#include "tst_install_identity.moc"
