// Every error code is named once (issue 12, docs/error-codes.md): each wire string is defined by one
// constant in storage/codes/, listed once in docs/error-codes.md, and no product source (storage/, sync/,
// agent/, ui/) spells it as a string literal instead of using the constant. Reads the source tree
// (ODIS_SOURCE_DIR); tests and the simulators (tests/) may spell codes: they check the wire.

#include "storage/codes/agent_codes.h"
#include "storage/codes/backend_codes.h"
#include "storage/codes/neo_codes.h"
#include "storage/codes/storage_codes.h"

#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {

QString sourceDir()
{
    return qEnvironmentVariable("ODIS_SOURCE_DIR");
}

QString readText(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// Whether the quote at `i` separates digits (1'000, 0xFF'FF) rather than opening a character literal
// ('x', u'x').
bool isDigitSeparator(const QString& text, qsizetype i)
{
    qsizetype start = i;
    while (start > 0 && (text.at(start - 1).isLetterOrNumber() || text.at(start - 1) == u'_'))
        --start;
    const QStringView token = QStringView(text).sliced(start, i - start);
    if (token.isEmpty() || token == u"u" || token == u"U" || token == u"L" || token == u"u8")
        return false;
    return token.front().isDigit();
}

// The string literals of C++ source `text`, outside comments, with their line numbers. Enough of C++'s
// lexis for our sources: line and block comments, escapes, raw strings, character literals (a quote
// inside one does not open a string) and digit separators (1'000).
QList<std::pair<int, QString>> stringLiterals(const QString& text)
{
    QList<std::pair<int, QString>> out;
    int line = 1;
    const qsizetype n = text.size();
    auto skipTo = [&](qsizetype from, qsizetype to) {
        for (qsizetype k = from; k < to && k < n; ++k) {
            if (text.at(k) == u'\n')
                ++line;
        }
    };
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text.at(i);
        if (text.mid(i, 2) == u"//") {
            const qsizetype end = text.indexOf(u'\n', i);
            i = end < 0 ? n : end;
        } else if (text.mid(i, 2) == u"/*") {
            const qsizetype close = text.indexOf(u"*/", i + 2);
            const qsizetype end = close < 0 ? n : close + 2;
            skipTo(i, end);
            i = end;
        } else if (c == u'R' && i + 1 < n && text.at(i + 1) == u'"') {
            const qsizetype open = text.indexOf(u'(', i + 2);
            const QString term = u')' + text.mid(i + 2, open - i - 2) + u'"';
            const qsizetype close = open < 0 ? -1 : text.indexOf(term, open + 1);
            const qsizetype end = close < 0 ? n : close + term.size();
            if (open >= 0)
                out.append({line, text.mid(open + 1, close < 0 ? n - open - 1 : close - open - 1)});
            skipTo(i, end);
            i = end;
        } else if (c == u'"' || (c == u'\'' && !isDigitSeparator(text, i))) {
            qsizetype k = i + 1;
            QString content;
            while (k < n && text.at(k) != c) {
                if (text.at(k) == u'\\')
                    content += text.at(k++);
                if (k < n)
                    content += text.at(k++);
            }
            if (c == u'"')
                out.append({line, content});
            skipTo(i, k + 1);
            i = k + 1;
        } else {
            if (c == u'\n')
                ++line;
            ++i;
        }
    }
    return out;
}

// "neo_login_rejected" -> "kNeoLoginRejected": the constant's name follows from its wire string, so a
// reader finds one from the other.
QString constantNameOf(const QString& code)
{
    QString name = QStringLiteral("k");
    for (const QString& word : code.split(u'_'))
        name += word.left(1).toUpper() + word.mid(1);
    return name;
}

struct Definition
{
    QString name;
    QString file;
};

// code -> its definitions in storage/codes/ (more than one is a failure the test reports).
QHash<QString, QList<Definition>> definedCodes(QStringList& problems)
{
    static const QRegularExpression constant(
        QStringLiteral("^inline constexpr QLatin1StringView (k\\w+)\\{\"([^\"]*)\"\\};(\\s+//.*)?$"));
    static const QRegularExpression snake(QStringLiteral("^[a-z][a-z0-9]*(_[a-z0-9]+)+$"));
    QHash<QString, QList<Definition>> codes;
    QDirIterator it(sourceDir() + QStringLiteral("/storage/codes"), {QStringLiteral("*.h")}, QDir::Files);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString file = QStringLiteral("storage/codes/") + it.fileName();
        const QStringList lines = readText(path).split(u'\n');
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const QString& line = lines.at(i);
            const auto m = constant.match(line);
            if (!m.hasMatch()) {
                // A code defined in any other shape would escape the checks below.
                if (!stringLiterals(line).isEmpty() && !line.startsWith(u"#include"))
                    problems << QStringLiteral("%1:%2: not a code definition of the form "
                                               "inline constexpr QLatin1StringView kName{\"code\"};")
                                    .arg(file)
                                    .arg(i + 1);
                continue;
            }
            const QString code = m.captured(2);
            if (!snake.match(code).hasMatch())
                problems << QStringLiteral("%1:%2: \"%3\" is not snake_case of two words or more")
                                .arg(file)
                                .arg(i + 1)
                                .arg(code);
            if (m.captured(1) != constantNameOf(code))
                problems << QStringLiteral("%1:%2: %3 should be named %4")
                                .arg(file)
                                .arg(i + 1)
                                .arg(m.captured(1), constantNameOf(code));
            codes[code].append({m.captured(1), file});
        }
    }
    return codes;
}

// The codes in docs/error-codes.md's table: rows starting "| `code` |"; code -> how many rows.
QHash<QString, int> documentedCodes()
{
    static const QRegularExpression row(QStringLiteral("^\\| `([a-z0-9_]+)` \\|"));
    QHash<QString, int> codes;
    for (const QString& line : readText(sourceDir() + QStringLiteral("/docs/error-codes.md")).split(u'\n')) {
        const auto m = row.match(line);
        if (m.hasMatch())
            ++codes[m.captured(1)];
    }
    return codes;
}

// Literals that spell a code but mean something else, each with its reason.
const QSet<std::pair<QString, QString>> kSameSpellingOtherMeaning{
    // The status JSON's key "consecutive_failures" (a count, docs/backend-api.md), not the alert.
    {QStringLiteral("agent/resident/agent_status.cpp"), QStringLiteral("consecutive_failures")},
    {QStringLiteral("agent/resident/resident_remote.cpp"), QStringLiteral("consecutive_failures")},
};

} // namespace

class ErrorCodesTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(!sourceDir().isEmpty(), "ODIS_SOURCE_DIR is not set"); }

    // The scanner itself: a literal is found, a comment's quote and a character literal are not.
    void literalScanner_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QStringList>("literals");
        QTest::newRow("call") << QStringLiteral("fail(QStringLiteral(\"db_open_failed\"), x);")
                              << QStringList{QStringLiteral("db_open_failed")};
        QTest::newRow("line comment") << QStringLiteral("f(); // \"db_open_failed\"\n") << QStringList{};
        QTest::newRow("block comment")
            << QStringLiteral("/* \"a_b\"\n */ g(\"c_d\");") << QStringList{QStringLiteral("c_d")};
        QTest::newRow("char quote") << QStringLiteral("if (c == '\"') h(u\"e_f\");")
                                    << QStringList{QStringLiteral("e_f")};
        QTest::newRow("utf-16 char quote")
            << QStringLiteral("if (c == u'\"') h(\"m_n\");") << QStringList{QStringLiteral("m_n")};
        QTest::newRow("escaped quote") << QStringLiteral("x(\"a\\\"b\"); y(\"g_h\");")
                                       << QStringList{QStringLiteral("a\\\"b"), QStringLiteral("g_h")};
        QTest::newRow("raw") << QStringLiteral("QStringLiteral(R\"(\"x\" y)\"); z(\"i_j\");")
                             << QStringList{QStringLiteral("\"x\" y"), QStringLiteral("i_j")};
        QTest::newRow("digit separator")
            << QStringLiteral("int n = 1'000; k(\"k_l\");") << QStringList{QStringLiteral("k_l")};
    }

    void literalScanner()
    {
        QFETCH(QString, source);
        QFETCH(QStringList, literals);
        QStringList found;
        for (const auto& literal : stringLiterals(source))
            found << literal.second;
        QCOMPARE(found, literals);
    }

    // The headers compiled are the ones read: a spot check that the parsing above sees real constants.
    void compiledConstantsAreTheParsedOnes()
    {
        QStringList problems;
        const auto codes = definedCodes(problems);
        for (const QLatin1StringView code :
             {odis::codes::kAgentDeprovisioned, odis::codes::kNeoLoginRejected,
              odis::codes::kKeychainUnavailable, odis::codes::kSyncFailureRate})
            QVERIFY2(codes.contains(QString(code)), qPrintable(QString(code)));
        QVERIFY2(codes.size() > 150, qPrintable(QString::number(codes.size())));
    }

    void eachCodeDefinedOnceAndDocumented()
    {
        QStringList problems;
        const auto defined = definedCodes(problems);
        const auto documented = documentedCodes();
        QVERIFY2(!documented.isEmpty(), "docs/error-codes.md has no table rows");
        for (auto it = defined.cbegin(); it != defined.cend(); ++it) {
            if (it.value().size() > 1) {
                QStringList where;
                for (const Definition& d : it.value())
                    where << d.file + u':' + d.name;
                problems << QStringLiteral("\"%1\" is defined %2 times: %3")
                                .arg(it.key())
                                .arg(it.value().size())
                                .arg(where.join(QStringLiteral(", ")));
            }
            if (!documented.contains(it.key()))
                problems << QStringLiteral("\"%1\" (%2) is not in docs/error-codes.md")
                                .arg(it.key(), it.value().first().file);
        }
        for (auto it = documented.cbegin(); it != documented.cend(); ++it) {
            if (!defined.contains(it.key()))
                problems << QStringLiteral("docs/error-codes.md lists \"%1\", which no header in "
                                           "storage/codes/ defines")
                                .arg(it.key());
            if (it.value() > 1)
                problems << QStringLiteral("docs/error-codes.md lists \"%1\" %2 times")
                                .arg(it.key())
                                .arg(it.value());
        }
        problems.sort();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    void productCodeUsesTheConstants()
    {
        QStringList problems;
        const auto defined = definedCodes(problems);
        QVERIFY(!defined.isEmpty());
        problems.clear(); // the definitions' own problems belong to the test above
        int files = 0;
        for (const QString& folder : {QStringLiteral("storage"), QStringLiteral("sync"),
                                      QStringLiteral("agent"), QStringLiteral("ui")}) {
            QDirIterator it(sourceDir() + u'/' + folder, {QStringLiteral("*.cpp"), QStringLiteral("*.h")},
                            QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                const QString relative = path.mid(sourceDir().size() + 1);
                if (relative.startsWith(u"storage/codes/"))
                    continue;
                ++files;
                for (const auto& [line, literal] : stringLiterals(readText(path))) {
                    if (!defined.contains(literal) || kSameSpellingOtherMeaning.contains({relative, literal}))
                        continue;
                    const Definition& d = defined.value(literal).first();
                    problems << QStringLiteral("%1:%2: \"%3\" spelled as a literal; use codes::%4 (%5)")
                                    .arg(relative)
                                    .arg(line)
                                    .arg(literal, d.name, d.file);
                }
            }
        }
        QVERIFY2(files > 300, qPrintable(QStringLiteral("only %1 product sources found").arg(files)));
        problems.sort();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(ErrorCodesTest)
#include "tst_error_codes.moc"
