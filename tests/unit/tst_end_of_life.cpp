// End-of-life mentions (docs/discharge-rules.md, "End-of-life mentions"): every fixed term, case,
// HTML, phrases across line breaks, whole words only, and the clinic's blocked_keywords.
//
// Settled here: "PTSD" (and "doable", "ptsa", "predeceased") are different words and do not match;
// "PTS." "(pts)" "non-euthanasia" match. Attribute values are markup, not text: <div class="euthanasia">
// does not match, the same word between tags does.

#include "sync/core/end_of_life.h"

#include <QTest>

using namespace odis::sync;

class TstEndOfLife : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsTerms_data();
    void findsTerms();
    void blockedKeywords_data();
    void blockedKeywords();
    void matchableText_data();
    void matchableText();
    void everyFixedTermMatchesAlone();
};

void TstEndOfLife::findsTerms_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("term"); // empty: no match

    // Every fixed term, as written in the list.
    QTest::newRow("euthanasia") << "Owner elected euthanasia."
                                << "euthanasia";
    QTest::newRow("euthanize") << "Discussed whether to euthanize"
                               << "euthanize";
    QTest::newRow("euthanized") << "Patient euthanized at 15:00"
                                << "euthanized";
    QTest::newRow("euthanise") << "plan to euthanise tomorrow"
                               << "euthanise";
    QTest::newRow("euthanised") << "was euthanised"
                                << "euthanised";
    QTest::newRow("eutha abbreviation") << "Eutha. consent signed"
                                        << "eutha";
    QTest::newRow("pts") << "PTS today"
                         << "pts";
    QTest::newRow("put to sleep") << "Decided to put to sleep"
                                  << "put to sleep";
    QTest::newRow("humane ending") << "a humane ending was chosen"
                                   << "humane ending";
    QTest::newRow("doa") << "DOA on presentation"
                         << "doa";
    QTest::newRow("dead on arrival") << "Dead on arrival"
                                     << "dead on arrival";
    QTest::newRow("deceased") << "Patient deceased"
                              << "deceased";
    QTest::newRow("passed away") << "passed away overnight"
                                 << "passed away";
    QTest::newRow("death during") << "death during anaesthesia"
                                  << "death during";
    QTest::newRow("cremation") << "Cremation - communal"
                               << "cremation";
    // Case.
    QTest::newRow("upper case") << "EUTHANASIA"
                                << "euthanasia";
    QTest::newRow("mixed case phrase") << "Put To Sleep"
                                       << "put to sleep";
    QTest::newRow("lower case pts") << "pts"
                                    << "pts";
    // Whole words: punctuation and hyphens are boundaries, letters and digits are not.
    QTest::newRow("pts with period") << "Plan: PTS."
                                     << "pts";
    QTest::newRow("pts in parentheses") << "(pts)"
                                        << "pts";
    QTest::newRow("pts possessive apostrophe") << "PTS's paperwork"
                                               << "pts";
    QTest::newRow("hyphenated prefix") << "non-euthanasia options"
                                       << "euthanasia";
    QTest::newRow("ptsd is another word") << "History of PTSD-like anxiety"
                                          << "";
    QTest::newRow("pts inside a word") << "Receipts attached"
                                       << "";
    QTest::newRow("pts followed by digit") << "pts2 score"
                                           << "";
    QTest::newRow("doa inside doable") << "Surgery doable next week"
                                       << "";
    QTest::newRow("deceased inside predeceased") << "Owner's partner predeceased"
                                                 << "";
    QTest::newRow("underscore joins words") << "code_pts_x"
                                            << "";
    QTest::newRow("nothing") << "Healthy, recheck in 6 months."
                             << "";
    // Phrases across white space, line breaks and hyphens.
    QTest::newRow("phrase across newline") << "we will put to\nsleep"
                                           << "put to sleep";
    QTest::newRow("phrase across several spaces") << "passed    away"
                                                  << "passed away";
    QTest::newRow("phrase across <br>") << "put to<br>sleep"
                                        << "put to sleep";
    QTest::newRow("phrase across paragraphs") << "<p>dead on</p><p>arrival</p>"
                                              << "dead on arrival";
    QTest::newRow("phrase with hyphens") << "passed-away"
                                         << "passed away";
    QTest::newRow("phrase with nbsp entity") << "humane&nbsp;ending"
                                             << "humane ending";
    QTest::newRow("phrase words apart") << "put the cat to sleep"
                                        << "";
    // HTML: text counts, markup does not.
    QTest::newRow("inside a tag's text") << "<div><b>Euthanasia</b> performed</div>"
                                         << "euthanasia";
    QTest::newRow("inline tag inside a word joins it") << "eu<b>thanasia</b>"
                                                       << "euthanasia";
    QTest::newRow("attribute value only") << "<div class=\"euthanasia\" title='PTS'>Recheck</div>"
                                          << "";
    QTest::newRow("attribute with > inside quotes") << "<span title=\"a>euthanasia\">ok</span>"
                                                    << "";
    QTest::newRow("comment only") << "<!-- euthanasia template -->Recheck"
                                  << "";
    QTest::newRow("script only") << "<script>var pts = 1;</script>Recheck"
                                 << "";
    QTest::newRow("style only") << "<style>.cremation{}</style>ok"
                                << "";
    QTest::newRow("encoded entity text") << "&#69;uthanasia"
                                         << "euthanasia";
    QTest::newRow("hex entity text") << "&#x50;TS"
                                     << "pts";
    QTest::newRow("unterminated tag keeps text") << "<b euthanasia"
                                                 << "euthanasia";
    QTest::newRow("less-than sign is text") << "weight < 5 kg, PTS"
                                            << "pts";
}

void TstEndOfLife::findsTerms()
{
    QFETCH(QString, text);
    QFETCH(QString, term);
    const EndOfLifeMatcher matcher;
    QCOMPARE(matcher.findIn(text).value_or(QString()), term);
    QCOMPARE(matcher.mentions(text), !term.isEmpty());
}

void TstEndOfLife::blockedKeywords_data()
{
    QTest::addColumn<QStringList>("keywords");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("term");

    const QStringList clinic{QStringLiteral("memorial"), QStringLiteral("  paw print  "), QString(),
                             QStringLiteral("R.I.P."), QStringLiteral("#rainbowbridge")};
    QTest::newRow("keyword") << clinic << "Memorial stone ordered"
                             << "memorial";
    QTest::newRow("keyword whole word") << clinic << "memorials"
                                        << "";
    QTest::newRow("trimmed phrase keyword") << clinic << "clay paw\nprint made"
                                            << "paw print";
    QTest::newRow("keyword with punctuation") << clinic << "Notes: r.i.p. buddy"
                                              << "R.I.P.";
    QTest::newRow("keyword starting with punctuation") << clinic << "tag#rainbowbridge"
                                                       << "#rainbowbridge";
    QTest::newRow("regex characters are literal") << QStringList{QStringLiteral("a+b")} << "aab"
                                                  << "";
    QTest::newRow("regex characters match literally") << QStringList{QStringLiteral("a+b")} << "x a+b y"
                                                      << "a+b";
    QTest::newRow("fixed terms still apply") << clinic << "cremation"
                                             << "cremation";
    QTest::newRow("no keywords") << QStringList() << "memorial"
                                 << "";
}

void TstEndOfLife::blockedKeywords()
{
    QFETCH(QStringList, keywords);
    QFETCH(QString, text);
    QFETCH(QString, term);
    QCOMPARE(EndOfLifeMatcher(keywords).findIn(text).value_or(QString()), term);
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

void TstEndOfLife::everyFixedTermMatchesAlone()
{
    // Guards the list itself: each term matches on its own, in upper case, inside HTML.
    const EndOfLifeMatcher matcher;
    const QStringList terms = EndOfLifeMatcher::fixedTerms();
    QCOMPARE(terms.size(), 15);
    for (const QString& term : terms) {
        QCOMPARE(matcher.findIn(term).value_or(QString()), term);
        const QString html = QStringLiteral("<p>Note: ") + term.toUpper() + QStringLiteral(".</p>");
        QCOMPARE(matcher.findIn(html).value_or(QString()), term);
    }
}

QTEST_GUILESS_MAIN(TstEndOfLife)
#include "tst_end_of_life.moc"
