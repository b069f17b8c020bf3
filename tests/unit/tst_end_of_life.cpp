// End-of-life words (docs/discharge-rules.md, "End-of-life words"): the built-in vocabulary (every term,
// British and American spellings, "*" forms), its look-alikes, the softer list, HTML, phrases across line
// breaks and hyphens, whole words only, the clinic's blocked_keywords, and the vocabulary file's rules.
//
// Settled here: "PTSD" (and "doable", "attempts", "Leuthardt", "euthyroid", "urine", "trip") are different
// words and do not match; "PTS." "(pts)" "non-euthanasia" match. Attribute values are markup, not text:
// <div class="euthanasia"> does not match, the same word between tags does.

#include "sync/core/end_of_life.h"

#include <QTest>

using namespace odis::sync;

namespace {

EndOfLifeVocabulary builtIn()
{
    const auto vocabulary = loadEndOfLifeVocabulary();
    if (!vocabulary)
        qFatal("built-in vocabulary: %s", qPrintable(vocabulary.error().toString()));
    return *vocabulary;
}

QString joined(const QStringList& words)
{
    return words.join(QLatin1Char('|'));
}

} // namespace

class TstEndOfLife : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtInVocabulary();
    void vocabularyFile_data();
    void vocabularyFile();
    void findsWords_data();
    void findsWords();
    void everyTermMatchesAlone();
    void blockedKeywords_data();
    void blockedKeywords();
    void matchableText_data();
    void matchableText();
};

void TstEndOfLife::builtInVocabulary()
{
    const EndOfLifeVocabulary vocabulary = builtIn();
    // The words the product's rules name, each in the list (or covered by a "*" term).
    for (const char* term : {"euthan*",
                             "euth",
                             "pts",
                             "put to sleep",
                             "put down",
                             "humane ending",
                             "doa",
                             "dead on arrival",
                             "died",
                             "dead",
                             "death",
                             "deceased",
                             "passed away",
                             "cremat*",
                             "ashes",
                             "urn",
                             "memorial*",
                             "paw print",
                             "necrops*",
                             "post mortem*",
                             "rainbow bridge",
                             "rip"})
        QVERIFY2(vocabulary.endOfLife.contains(QString::fromLatin1(term)), term);
    for (const char* term : {"quality of life", "hospice", "palliat*", "comfort care"})
        QVERIFY2(vocabulary.possible.contains(QString::fromLatin1(term)), term);
    QVERIFY(!loadEndOfLifeVocabulary(QStringLiteral(":/odis/discharge/absent.json")));
    QCOMPARE(loadEndOfLifeVocabulary(QStringLiteral(":/odis/discharge/absent.json")).error().code,
             QString(kEndOfLifeVocabularyUnreadable));
}

void TstEndOfLife::vocabularyFile_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("problem"); // empty: valid

    const auto file = [](const char* endOfLife, const char* possible = R"(["hospice"])") -> QByteArray {
        return QByteArray(R"({"format": 1, "end_of_life": )") + endOfLife + R"(, "end_of_life_possible": )" +
               possible + "}";
    };
    QTest::newRow("valid") << file(R"(["euthan*", "put to sleep", "o'clock", "24h"])") << "";
    QTest::newRow("not json") << QByteArray("{\"format\": 1,") << "not a JSON object";
    QTest::newRow("format 2") << QByteArray(
                                     R"({"format": 2, "end_of_life": ["a"], "end_of_life_possible": ["b"]})")
                              << "format";
    QTest::newRow("unknown key") << QByteArray(
                                        R"({"format": 1, "end_of_life": ["dead"], "end_of_life_possible":
                                     ["qol"], "extra": []})")
                                 << "unknown key \"extra\"";
    QTest::newRow("missing list") << QByteArray(R"({"format": 1, "end_of_life": ["dead"]})")
                                  << "end_of_life_possible is missing";
    QTest::newRow("empty list") << file("[]") << "end_of_life is missing, empty";
    QTest::newRow("upper case") << file(R"(["Dead"])") << "end_of_life[0]";
    QTest::newRow("two spaces") << file(R"(["dead", "put  down"])") << "end_of_life[1]";
    QTest::newRow("leading space") << file(R"([" dead"])") << "end_of_life[0]";
    QTest::newRow("star inside") << file(R"(["eu*th"])") << "end_of_life[0]";
    QTest::newRow("star on a short stem") << file(R"(["eu*"])") << "end_of_life[0]";
    QTest::newRow("star on a short last word") << file(R"(["post mo*"])") << "end_of_life[0]";
    QTest::newRow("punctuation") << file(R"(["r.i.p"])") << "end_of_life[0]";
    QTest::newRow("not a string") << file("[1]") << "end_of_life[0]";
    QTest::newRow("repeated in a list") << file(R"(["dead", "dead"])") << "repeats \"dead\"";
    QTest::newRow("repeated across lists") << file(R"(["hospice"])") << "end_of_life_possible[0] repeats";
}

void TstEndOfLife::vocabularyFile()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, problem);
    const auto parsed = parseEndOfLifeVocabulary(json);
    if (problem.isEmpty()) {
        QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().toString()));
        return;
    }
    QVERIFY(!parsed.has_value());
    QCOMPARE(parsed.error().code, QString(kEndOfLifeVocabularyInvalid));
    QVERIFY2(parsed.error().message.contains(problem), qPrintable(parsed.error().message));
}

void TstEndOfLife::findsWords_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("endOfLife"); // matched words joined with '|'; empty: none
    QTest::addColumn<QString>("possible");

    const auto eol = [](const char* name, const char* text, const char* words) {
        QTest::newRow(name) << QString::fromUtf8(text) << QString::fromUtf8(words) << QString();
    };
    const auto soft = [](const char* name, const char* text, const char* words) {
        QTest::newRow(name) << QString::fromUtf8(text) << QString() << QString::fromUtf8(words);
    };
    const auto none = [](const char* name, const char* text) {
        QTest::newRow(name) << QString::fromUtf8(text) << QString() << QString();
    };
    // Every form of euthanasia, British and American.
    eol("euthanasia", "Owner elected euthanasia.", "euthanasia");
    eol("euthanize", "Discussed whether to euthanize", "euthanize");
    eol("euthanized", "Patient euthanized at 15:00", "euthanized");
    eol("euthanise", "plan to euthanise tomorrow", "euthanise");
    eol("euthanised", "was euthanised", "euthanised");
    eol("euthanasing", "euthanasing today", "euthanasing");
    eol("euthanased", "Euthanased with the family present", "euthanased");
    eol("euthanizing", "EUTHANIZING", "euthanizing");
    eol("euthanasias", "two euthanasias this week", "euthanasias");
    eol("euth", "Euth consent signed", "euth");
    eol("eutha", "Eutha. consent signed", "eutha");
    eol("euthed", "euthed at 3 pm", "euthed");
    // The other words and phrases.
    eol("pts", "PTS today", "pts");
    eol("put to sleep", "Decided to put to sleep", "put to sleep");
    eol("put down", "had to be put down", "put down");
    eol("humane ending", "a humane ending was chosen", "humane ending");
    eol("doa", "DOA on presentation", "doa");
    eol("dead on arrival wins over dead", "Dead on arrival", "dead on arrival");
    eol("died", "Died at home", "died");
    eol("dead", "found dead", "dead");
    eol("death", "death during anaesthesia", "death");
    eol("deceased", "Patient deceased", "deceased");
    eol("dying", "owner thinks he is dying", "dying");
    eol("passed away", "passed away overnight", "passed away");
    eol("passed peacefully", "Passed peacefully", "passed peacefully");
    eol("passed overnight", "passed overnight", "passed overnight");
    eol("passed at home", "passed at home", "passed at home");
    eol("passed in her sleep", "passed in her sleep", "passed in her sleep");
    eol("passed in his sleep", "passed in his sleep", "passed in his sleep");
    eol("passed in their sleep", "passed in their sleep", "passed in their sleep");
    eol("sadly passed", "Sadly passed yesterday", "sadly passed");
    eol("cremation", "Cremation - communal", "cremation");
    eol("cremated", "to be cremated", "cremated");
    eol("crematorium", "sent to the crematorium", "crematorium");
    eol("cremains", "cremains returned", "cremains");
    eol("ashes", "Ashes returned", "ashes");
    eol("urn", "Urn selected", "urn");
    eol("urns", "urns catalogue", "urns");
    eol("memorial", "Memorial stone", "memorial");
    eol("memorials", "memorials", "memorials");
    eol("paw print", "clay paw print", "paw print");
    eol("paw prints", "paw prints made", "paw prints");
    eol("pawprint", "Pawprint kit", "pawprint");
    eol("pawprints", "pawprints", "pawprints");
    eol("necropsy", "Necropsy requested", "necropsy");
    eol("necropsies", "necropsies", "necropsies");
    eol("autopsy", "autopsy", "autopsy");
    eol("post mortem", "post mortem", "post mortem");
    eol("post-mortem British", "Post-mortem declined", "post mortem");
    eol("post-mortems", "post-mortems", "post mortems");
    eol("postmortem American", "postmortem exam", "postmortem");
    eol("rainbow bridge", "crossed the Rainbow Bridge", "rainbow bridge");
    eol("rip", "RIP buddy", "rip");
    // Softer signals.
    soft("quality of life", "Quality of life - discuss", "quality of life");
    soft("qol", "QOL scale 4/10", "qol");
    soft("hospice", "hospice care", "hospice");
    soft("palliative", "Palliative plan", "palliative");
    soft("palliation", "palliation only", "palliation");
    soft("comfort care", "comfort care at home", "comfort care");
    soft("end of life", "end-of-life talk", "end of life");
    QTest::newRow("both lists") << QStringLiteral("QOL poor; PTS") << QStringLiteral("pts")
                                << QStringLiteral("qol");
    QTest::newRow("every word, in order, once") << QStringLiteral("Cremation then PTS; cremation again, Urn")
                                                << QStringLiteral("cremation|pts|urn") << QString();
    // Whole words: punctuation and hyphens are boundaries, letters and digits are not.
    eol("pts with period", "Plan: PTS.", "pts");
    eol("pts in parentheses", "(pts)", "pts");
    eol("pts possessive apostrophe", "PTS's paperwork", "pts");
    eol("hyphenated prefix", "non-euthanasia options", "euthanasia");
    // Look-alikes.
    none("ptsd is another word", "History of PTSD-like anxiety");
    none("attempts", "Two attempts at venipuncture");
    none("receipts", "Receipts attached");
    none("concepts", "Concepts reviewed");
    none("pts followed by digit", "pts2 score");
    none("doable", "Surgery doable next week");
    none("doane", "Referred by Dr Doane");
    none("leuthardt", "Case discussed with Dr Leuthardt");
    none("euthyroid", "Euthyroid on recheck");
    none("star only at the start of a word", "reeuthanised");
    none("predeceased", "Owner's partner predeceased");
    none("deadline", "deadline Friday");
    none("urine", "Urine sample collected");
    none("returned", "Returned for suture removal");
    none("trip", "a trip to the park; stripes; ripped toy");
    none("crashes", "Crashes into furniture");
    none("studied", "studied the diet");
    none("passed stool", "Passed a normal stool; passed urine");
    none("hospital", "Hospital stay, comfortable");
    none("underscore joins words", "code_pts_x");
    none("nothing", "Healthy, recheck in 6 months.");
    // Phrases across white space, line breaks and hyphens.
    eol("phrase across newline", "we will put to\nsleep", "put to sleep");
    eol("phrase across several spaces", "passed    away", "passed away");
    eol("phrase across <br>", "put to<br>sleep", "put to sleep");
    eol("phrase across paragraphs", "<p>humane</p><p>ending</p>", "humane ending");
    eol("phrase with hyphens", "passed-away", "passed away");
    eol("phrase with nbsp entity", "humane&nbsp;ending", "humane ending");
    none("phrase words apart", "put the cat to sleep");
    // HTML: text counts, markup does not.
    eol("inside a tag's text", "<div><b>Euthanasia</b> performed</div>", "euthanasia");
    eol("inline tag inside a word joins it", "eu<b>thanasia</b>", "euthanasia");
    none("attribute value only", "<div class=\"euthanasia\" title='PTS'>Recheck</div>");
    none("attribute with > inside quotes", "<span title=\"a>euthanasia\">ok</span>");
    none("comment only", "<!-- euthanasia template -->Recheck");
    none("script only", "<script>var pts = 1;</script>Recheck");
    none("style only", "<style>.cremation{}</style>ok");
    eol("encoded entity text", "&#69;uthanasia", "euthanasia");
    eol("hex entity text", "&#x50;TS", "pts");
    eol("unterminated tag keeps text", "<b euthanasia", "euthanasia");
    eol("less-than sign is text", "weight < 5 kg, PTS", "pts");
}

void TstEndOfLife::findsWords()
{
    QFETCH(QString, text);
    QFETCH(QString, endOfLife);
    QFETCH(QString, possible);
    const EndOfLifeMatcher matcher(builtIn(), {});
    const EndOfLifeWords words = matcher.findIn(text);
    QCOMPARE(joined(words.endOfLife), endOfLife);
    QCOMPARE(joined(words.possible), possible);
    QCOMPARE(words.isEmpty(), endOfLife.isEmpty() && possible.isEmpty());
}

void TstEndOfLife::everyTermMatchesAlone()
{
    // Guards the list itself: each term matches on its own, in upper case, inside HTML, and only in its
    // own list.
    const EndOfLifeVocabulary vocabulary = builtIn();
    const EndOfLifeMatcher matcher(vocabulary, {});
    for (const bool definite : {true, false}) {
        for (const QString& term : definite ? vocabulary.endOfLife : vocabulary.possible) {
            const QString word =
                term.endsWith(QLatin1Char('*')) ? term.chopped(1) + QStringLiteral("ing") : term;
            const QString html = QStringLiteral("<p>Note: ") + word.toUpper() + QStringLiteral(".</p>");
            const EndOfLifeWords found = matcher.findIn(html);
            QCOMPARE(joined(definite ? found.endOfLife : found.possible), word);
            QVERIFY2((definite ? found.possible : found.endOfLife).isEmpty(), qPrintable(term));
        }
    }
}

void TstEndOfLife::blockedKeywords_data()
{
    QTest::addColumn<QStringList>("keywords");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("words");

    const QStringList clinic{QStringLiteral("Tribute"), QStringLiteral("  farewell   visit  "), QString(),
                             QStringLiteral("R.I.P."), QStringLiteral("#rainbowbridge")};
    QTest::newRow("keyword") << clinic << "Tribute stone ordered"
                             << "tribute";
    QTest::newRow("keyword is literal, whole word") << clinic << "tributes"
                                                    << "";
    QTest::newRow("trimmed phrase keyword") << clinic << "a farewell\nvisit"
                                            << "farewell visit";
    QTest::newRow("phrase keyword across a hyphen") << clinic << "farewell-visit"
                                                    << "farewell visit";
    QTest::newRow("keyword with punctuation") << clinic << "Notes: r.i.p. buddy"
                                              << "r.i.p.";
    QTest::newRow("keyword starting with punctuation") << clinic << "tag#rainbowbridge"
                                                       << "#rainbowbridge";
    QTest::newRow("a star in a keyword is literal") << QStringList{QStringLiteral("tribu*")} << "tribute"
                                                    << "";
    QTest::newRow("regex characters are literal") << QStringList{QStringLiteral("a+b")} << "aab"
                                                  << "";
    QTest::newRow("regex characters match literally") << QStringList{QStringLiteral("a+b")} << "x a+b y"
                                                      << "a+b";
    QTest::newRow("vocabulary still applies") << clinic << "zzzz"
                                              << "zzzz";
    QTest::newRow("no keywords") << QStringList() << "tribute"
                                 << "";
}

void TstEndOfLife::blockedKeywords()
{
    QFETCH(QStringList, keywords);
    QFETCH(QString, text);
    QFETCH(QString, words);
    // A vocabulary of its own, so that only the keywords are tested here.
    const EndOfLifeVocabulary vocabulary{{QStringLiteral("zzzz")}, {QStringLiteral("yyyy")}};
    const EndOfLifeWords found = EndOfLifeMatcher(vocabulary, keywords).findIn(text);
    QCOMPARE(joined(found.endOfLife), words);
    QVERIFY(found.possible.isEmpty());
}

void TstEndOfLife::matchableText_data()
{
    // notes_text (htmlToText(), tested in tst_html_text) on one line: what the matcher sees.
    QTest::addColumn<QString>("html");
    QTest::addColumn<QString>("text");

    // clang-format off
    QTest::newRow("plain") << "  Healthy   dog \n" << "Healthy dog";
    QTest::newRow("line breaks become spaces") << "put to\n\n  sleep" << "put to sleep";
    QTest::newRow("block tags separate") << "<p>one</p><p>two</p>three<br/>four" << "one two three four";
    QTest::newRow("table rows separate") << "<table><tr><td>a</td></tr><tr><td>b</td></tr></table>" << "a b";
    QTest::newRow("inline tags join") << "<b>bo</b><i>ld</i>" << "bold";
    QTest::newRow("entities") << "&lt;5 kg &amp; &quot;ok&quot; &#233;&#xE9;" << "<5 kg & \"ok\" \u00e9\u00e9";
    QTest::newRow("only markup and nbsp is empty") << "<p>&nbsp;</p><div> <br> </div>" << "";
    QTest::newRow("script dropped") << "a<script type=\"x\">if (a<b) {}</script>b" << "ab";
    QTest::newRow("comment dropped") << "a<!-- euthanasia -->c" << "ac";
    QTest::newRow("attribute dropped") << "<div title=\"a>b\">c</div>" << "c";
    // clang-format on
}

void TstEndOfLife::matchableText()
{
    QFETCH(QString, html);
    QFETCH(QString, text);
    QCOMPARE(odis::sync::matchableText(html), text);
}

QTEST_GUILESS_MAIN(TstEndOfLife)
#include "tst_end_of_life.moc"
