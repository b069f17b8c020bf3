// notes_text, has_notes and name normalisation exactly as docs/backend-api.md fixes them, on clean,
// realistic and malformed HTML.

#include "sync/core/html_text.h"
#include "tests/support/fixtures.h"

#include <QTest>

class HtmlTextTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void htmlToText_data();
    void htmlToText();
    void realisticNote();
    void longNotes();
    void pathologicalInputStaysLinear_data();
    void pathologicalInputStaysLinear();
    void hasNotes_data();
    void hasNotes();
    void normaliseName_data();
    void normaliseName();
};

void HtmlTextTest::htmlToText_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QString>("text");

    // Plain text and white space.
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("plain") << "Ate well."
                           << "Ate well.";
    QTest::newRow("collapse and trim") << "  a \t  b  "
                                       << "a b";
    QTest::newRow("source line breaks kept") << "S: quiet\nO: BAR"
                                             << "S: quiet\nO: BAR";
    QTest::newRow("crlf") << "a\r\nb"
                          << "a\nb";
    QTest::newRow("lone cr") << "a\rb"
                             << "a\nb";
    QTest::newRow("empty lines dropped") << "\n\na\n \n\t\nb\n\n"
                                         << "a\nb";
    QTest::newRow("unicode spaces") << "a\u2003\u3000b\u00A0c"
                                    << "a b c";
    QTest::newRow("only white space") << " \n\t\u00A0 "
                                      << "";

    // Line-breaking tags, exactly the contract's list.
    QTest::newRow("br") << "a<br>b"
                        << "a\nb";
    QTest::newRow("br self-closed") << "a<br/>b<br />c"
                                    << "a\nb\nc";
    QTest::newRow("BR upper case") << "a<BR>b"
                                   << "a\nb";
    QTest::newRow("stray </br>") << "a</br>b"
                                 << "a\nb";
    QTest::newRow("br with attributes") << "a<br class=\"x\">b"
                                        << "a\nb";
    QTest::newRow("paragraphs") << "<p>a</p><p>b</p>"
                                << "a\nb";
    QTest::newRow("opening p is not a break") << "a<p>b"
                                              << "ab";
    QTest::newRow("end tag with space") << "<P>a</P >b"
                                        << "a\nb";
    QTest::newRow("div") << "<div>a</div>b"
                         << "a\nb";
    QTest::newRow("list") << "<ul><li>one</li><li>two</li></ul>"
                          << "one\ntwo";
    QTest::newRow("table rows, cells run together")
        << "<table><tr><td>Weight</td><td>12 kg</td></tr><tr><td>T</td></tr></table>"
        << "Weight12 kg\nT";
    QTest::newRow("headings") << "<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4><h5>E</h5><h6>F</h6>G"
                              << "A\nB\nC\nD\nE\nF\nG";
    QTest::newRow("h7 is not a heading") << "<h7>a</h7>b"
                                         << "ab";
    QTest::newRow("span and b removed") << "<span style=\"color:red\">a</span> <b>b</b>"
                                        << "a b";
    QTest::newRow("empty paragraphs") << "<p></p><p> </p><p>&nbsp;</p><p>x</p>"
                                      << "x";

    // Script and style go with their content.
    QTest::newRow("script") << "a<script>var x = '<p>hi</p>';</script>b"
                            << "ab";
    QTest::newRow("SCRIPT with attributes") << "a<SCRIPT type=\"text/javascript\">x()</SCRIPT >b"
                                            << "ab";
    QTest::newRow("style") << "<style>p { color: red }</style>Text"
                           << "Text";
    QTest::newRow("script end lookalike") << "<script>a</scriptx>b</script>c"
                                          << "c";
    QTest::newRow("unclosed script hides the rest") << "a<script>alert(1)<p>b</p>"
                                                    << "a";
    QTest::newRow("self-closed script hides nothing") << "<script src=x.js/>after"
                                                      << "after";
    QTest::newRow("script inside a paragraph") << "<p>ok<script>steal()</script></p>"
                                               << "ok";

    // Entities: the contract's named ones, case-sensitive with ';', and numeric.
    QTest::newRow("named") << "&amp;&lt;&gt;&quot;&apos;"
                           << "&<>\"'";
    QTest::newRow("nbsp collapses") << "a&nbsp;&nbsp;b"
                                    << "a b";
    QTest::newRow("decimal") << "caf&#233;"
                             << "café";
    QTest::newRow("hex") << "caf&#xE9; caf&#XE9;"
                         << "café café";
    QTest::newRow("astral") << "&#128054;&#x1F408;"
                            << "\U0001F436\U0001F408";
    QTest::newRow("numeric line break") << "a&#10;b"
                                        << "a\nb";
    QTest::newRow("NUL") << "a&#0;b"
                         << "a\uFFFDb";
    QTest::newRow("surrogate") << "a&#xD800;b"
                               << "a\uFFFDb";
    QTest::newRow("beyond Unicode") << "a&#99999999999999999999;b"
                                    << "a\uFFFDb";
    QTest::newRow("no semicolon") << "&amp &#233 AT&T"
                                  << "&amp &#233 AT&T";
    QTest::newRow("other named entities stay") << "6&ndash;12 &eacute;"
                                               << "6&ndash;12 &eacute;";
    QTest::newRow("upper case entity stays") << "&AMP;"
                                             << "&AMP;";
    QTest::newRow("no digits") << "&#; &#x; &#xZ;"
                               << "&#; &#x; &#xZ;";
    QTest::newRow("decoded once") << "&amp;lt;"
                                  << "&lt;";
    QTest::newRow("decoded markup is text") << "&lt;br&gt;x&lt;/p&gt;"
                                            << "<br>x</p>";
    QTest::newRow("entity in attribute ignored") << "<a title=\"&amp;\">x</a>"
                                                 << "x";

    // Malformed markup never fails and keeps the text.
    QTest::newRow("less than in text") << "weight < 5 kg"
                                       << "weight < 5 kg";
    QTest::newRow("heart") << "good boy <3"
                           << "good boy <3";
    QTest::newRow("no closing >") << "a <b and more"
                                  << "a <b and more";
    QTest::newRow("comparison") << "if a<b then"
                                << "if a<b then";
    QTest::newRow("> in double quotes") << "<a title=\"a > b\">link</a>"
                                        << "link";
    QTest::newRow("> in single quotes") << "<a title='x>y' href=z>t</a>"
                                        << "t";
    QTest::newRow("quote in unquoted value") << "<a title=don't>t</a>"
                                             << "t";
    QTest::newRow("unterminated quote") << "<a title=\"oops>text"
                                        << "text";
    QTest::newRow("unclosed element") << "<p>unclosed<div>too"
                                      << "unclosedtoo";
    QTest::newRow("doubled brackets") << "<<b>>"
                                      << "<>";
    QTest::newRow("space after </") << "a</ p>b"
                                    << "ab";
    QTest::newRow("digit after </") << "</3</h3>x"
                                    << "x";
    QTest::newRow("empty end tag") << "a</>b"
                                   << "ab";
    QTest::newRow("</ without >") << "a </ b"
                                  << "a </ b";
    QTest::newRow("comment") << "a<!-- <p>hidden</p> -->b"
                             << "ab";
    QTest::newRow("comment with >") << "a<!-- x > y -->b"
                                    << "ab";
    QTest::newRow("unterminated comment") << "a<!-- b"
                                          << "a";
    QTest::newRow("doctype") << "<!DOCTYPE html>x"
                             << "x";
    QTest::newRow("processing instruction") << "<?xml version='1.0'?>x"
                                            << "x";
    QTest::newRow("namespaced tags") << "<o:p>a</o:p><w:br/>b"
                                     << "ab";
    QTest::newRow("tag split over lines") << "a<span\nclass=\"x\"\n>b</span>"
                                          << "ab";

    // Unicode passes through untouched (normalisation is for names, not notes).
    QTest::newRow("rtl") << "<p>שלום</p><p>عالم</p>"
                         << "שלום\nعالم";
    QTest::newRow("combining marks kept") << "Jose\u0301"
                                          << "Jose\u0301";
    QTest::newRow("emoji") << "<b>\U0001F436</b> ok"
                           << "\U0001F436 ok";
    QTest::newRow("bidi override kept") << "\u202Eevil"
                                        << "\u202Eevil";
}

void HtmlTextTest::htmlToText()
{
    QFETCH(QString, html);
    QFETCH(QString, text);
    QCOMPARE(odis::sync::htmlToText(html), text);
}

void HtmlTextTest::realisticNote()
{
    const QString html = QString::fromUtf8(odis::test::readFixture(QStringLiteral("neo/notes_soap.html")));
    const QString expected = QString::fromUtf8(odis::test::readFixture(QStringLiteral("neo/notes_soap.txt")));
    QCOMPARE(odis::sync::htmlToText(html), expected);
}

void HtmlTextTest::longNotes()
{
    // Tens of kilobytes of real-looking notes: every paragraph becomes one line, nothing is lost.
    QString html;
    QStringList expected;
    for (int i = 0; i < 600; ++i) {
        const QString line =
            QStringLiteral("Day %1: ate &amp; drank, T 38.%2&#176;C, no vomiting.").arg(i).arg(i % 10);
        html += QStringLiteral("<p>") + line + QStringLiteral("</p>\n");
        expected << QStringLiteral("Day %1: ate & drank, T 38.%2°C, no vomiting.").arg(i).arg(i % 10);
    }
    QVERIFY(html.size() > 30'000);
    QCOMPARE(odis::sync::htmlToText(html), expected.join(u'\n'));
}

void HtmlTextTest::pathologicalInputStaysLinear_data()
{
    // Each of these would take minutes with a quadratic scan; the test's time-out is the guard.
    QTest::addColumn<QString>("html");
    QTest::addColumn<qsizetype>("textSize");
    QTest::newRow("open tags without >")
        << QString(QStringLiteral("<a")).repeated(200'000) << qsizetype(400'000);
    QTest::newRow("declarations without >")
        << QString(QStringLiteral("<!")).repeated(200'000) << qsizetype(400'000);
    QTest::newRow("ampersands") << QString(QStringLiteral("&#1")).repeated(200'000) << qsizetype(600'000);
    QTest::newRow("quotes") << QString(QStringLiteral("<a x=\"")).repeated(100'000) << qsizetype(-1);
    QTest::newRow("quotes then >") << QString(QStringLiteral("<a x=\"")).repeated(100'000) + u'>'
                                   << qsizetype(0);
    QTest::newRow("end tags in script")
        << QStringLiteral("<script>") + QString(QStringLiteral("</s")).repeated(200'000) << qsizetype(0);
}

void HtmlTextTest::pathologicalInputStaysLinear()
{
    QFETCH(QString, html);
    QFETCH(qsizetype, textSize);
    const QString text = odis::sync::htmlToText(html);
    if (textSize >= 0)
        QCOMPARE(text.size(), textSize);
}

void HtmlTextTest::hasNotes_data()
{
    QTest::addColumn<QString>("notes");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<bool>("expected");
    QTest::newRow("both empty") << ""
                                << "" << false;
    QTest::newRow("markup only") << "<p> </p><br>"
                                 << "&nbsp;" << false;
    QTest::newRow("script only") << "<script>x()</script>"
                                 << "<style>p{}</style>" << false;
    QTest::newRow("comment only") << "<!-- draft -->"
                                  << "" << false;
    QTest::newRow("notes") << "Ate well"
                           << "" << true;
    QTest::newRow("summary") << ""
                             << "<p>Call us</p>" << true;
    QTest::newRow("both") << "<p>a</p>"
                          << "<p>b</p>" << true;
    QTest::newRow("an entity is text") << "&amp;"
                                       << "" << true;
}

void HtmlTextTest::hasNotes()
{
    QFETCH(QString, notes);
    QFETCH(QString, summary);
    QFETCH(bool, expected);
    QCOMPARE(odis::sync::hasNotes(notes, summary), expected);
}

void HtmlTextTest::normaliseName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("kept") << "BISCUIT"
                          << "BISCUIT";
    QTest::newRow("trim and collapse") << "  Jane \t  Doe \n"
                                       << "Jane Doe";
    QTest::newRow("nbsp and em space") << "María\u00A0José\u2003García"
                                       << "María José García";
    QTest::newRow("NFC") << "Jose\u0301 N\u0303un\u0303ez"
                         << "José Ñuñez";
    QTest::newRow("already NFC") << "ZO\u00C9"
                                 << "ZO\u00C9";
    QTest::newRow("case kept") << "mcDONALD"
                               << "mcDONALD";
    QTest::newRow("apostrophe") << "O'Brien"
                                << "O'Brien";
    QTest::newRow("hebrew") << "  \u05E9\u05E8\u05D4 "
                            << "\u05E9\u05E8\u05D4";
    QTest::newRow("cjk") << "小白"
                         << "小白";
    QTest::newRow("emoji") << "\U0001F436  REX"
                           << "\U0001F436 REX";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("white space only") << " \t "
                                      << "";
    QTest::newRow("hangul jamo compose") << "\u1100\u1161"
                                         << "\uAC00";
}

void HtmlTextTest::normaliseName()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(odis::sync::normaliseName(name), expected);
}

QTEST_GUILESS_MAIN(HtmlTextTest)
#include "tst_html_text.moc"
