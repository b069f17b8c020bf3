#include "storage/redaction_rules.h"

#include <QRegularExpression>
#include <QRegularExpressionMatch>
#include <QStringList>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <optional>

namespace odis::storage::redaction {

namespace {

// What a key says about its value.
enum class KeyKind
{
    Other,
    Secret,     // credentials: any scalar value goes
    Header,     // Authorization / Cookie headers: the value may hold spaces, ';' and ',' up to the line end
    ClinicData, // names, phones, e-mails, notes, addresses: text goes, counts and booleans stay
    Reason,     // free text in Neo, a snake_case code in our own decisions: only codes stay
};

bool isAnyOf(QStringView key, std::initializer_list<QStringView> names)
{
    return std::ranges::any_of(names, [key](QStringView name) { return key == name; });
}

bool startsWithAny(QStringView key, std::initializer_list<QStringView> prefixes)
{
    return std::ranges::any_of(prefixes, [key](QStringView prefix) { return key.startsWith(prefix); });
}

bool endsWithAny(QStringView key, std::initializer_list<QStringView> suffixes)
{
    return std::ranges::any_of(suffixes, [key](QStringView suffix) { return key.endsWith(suffix); });
}

bool containsAny(QStringView key, std::initializer_list<QStringView> parts)
{
    return std::ranges::any_of(parts, [key](QStringView part) { return key.contains(part); });
}

// "client.first_name", "First-Name" and "firstName" all become "firstname".
QString normalizedKey(QStringView key)
{
    if (const qsizetype dot = key.lastIndexOf(u'.'); dot >= 0)
        key = key.sliced(dot + 1);
    QString out;
    out.reserve(key.size());
    for (const QChar c : key) {
        if (c != u'_' && c != u'-')
            out.append(c.toLower());
    }
    return out;
}

KeyKind classifyKey(QStringView rawKey)
{
    const QString key = normalizedKey(rawKey);
    if (isAnyOf(key, {u"authorization", u"proxyauthorization", u"cookie", u"setcookie"}))
        return KeyKind::Header;
    // Not "credential" as a substring: credential_state ("valid", "invalid") is worth logging.
    if (containsAny(key, {u"password", u"passwd", u"passphrase", u"secret", u"cookie"}) ||
        isAnyOf(key, {u"pwd", u"pass", u"auth", u"otp", u"totp", u"pin", u"sid", u"credential",
                      u"credentials", u"enrollmentcode", u"verificationcode", u"mfacode"}) ||
        endsWithAny(key, {u"token", u"key", u"session", u"sessionid", u"authorization"}))
        return KeyKind::Secret;
    if (isAnyOf(key, {u"title", u"owner", u"provider", u"bookedby", u"user", u"login", u"street", u"city",
                      u"zip", u"zipcode", u"postcode", u"postalcode", u"dob", u"dateofbirth", u"birthdate",
                      u"tel", u"fax", u"comment", u"comments"}) ||
        startsWithAny(key, {u"phone", u"mobile", u"email", u"notes", u"discharge", u"address"}) ||
        endsWithAny(
            key, {u"name", u"phone", u"email", u"mail", u"note", u"notes", u"summary", u"address", u"owner"}))
        return KeyKind::ClinicData;
    if (key.endsWith(u"reason"))
        return KeyKind::Reason;
    return KeyKind::Other;
}

qsizetype lineEnd(const QString& text, qsizetype from)
{
    for (qsizetype i = from; i < text.size(); ++i) {
        if (text[i] == u'\n' || text[i] == u'\r')
            return i;
    }
    return text.size();
}

qsizetype firstOf(const QString& text, qsizetype from, QStringView stops)
{
    for (qsizetype i = from; i < text.size(); ++i) {
        if (stops.contains(text[i]))
            return i;
    }
    return text.size();
}

struct ValueSpan
{
    qsizetype begin = 0;
    qsizetype end = 0;
    bool quoted = false;
};

// Where the value that starts at `pos` ends. `jsonLike` is true when the key was quoted.
std::optional<ValueSpan> valueAt(const QString& text, qsizetype pos, bool jsonLike, KeyKind kind)
{
    const qsizetype n = text.size();
    if (pos >= n)
        return std::nullopt;
    const QChar first = text[pos];
    if (first == u'{' || first == u'[')
        return std::nullopt; // a structure: its own pairs are visited one by one
    if (first == u'\\' && pos + 1 < n && text[pos + 1] == u'"') { // JSON inside a JSON string
        const qsizetype close = text.indexOf(u"\\\"", pos + 2);
        return ValueSpan{pos + 2, close < 0 ? lineEnd(text, pos + 2) : close, true};
    }
    if (first == u'"' || first == u'\'') {
        for (qsizetype i = pos + 1; i < n && text[i] != u'\n'; ++i) {
            if (text[i] == u'\\')
                ++i;
            else if (text[i] == first)
                return ValueSpan{pos + 1, i, true};
        }
        return ValueSpan{pos + 1, lineEnd(text, pos + 1), true}; // unterminated: cut at the line end
    }
    if (jsonLike)
        return ValueSpan{pos, firstOf(text, pos, u",}] \t\r\n\"\\"), false};
    if (kind == KeyKind::Header)
        return ValueSpan{pos, lineEnd(text, pos), false};

    // Plain text: a value may hold spaces ("name=Jane Doe"), so it runs to the next pair, a query
    // separator, a quote or the line end.
    static const QRegularExpression nextPair(
        QStringLiteral(R"([\s,;&]+-{0,2}\\?["']?[A-Za-z_][\w.\-]*\\?["']?[ \t]*[:=])"));
    qsizetype end = firstOf(text, pos, u"&\"\\\r\n");
    if (const auto m = nextPair.match(text, pos); m.hasMatch() && m.capturedStart() < end)
        end = m.capturedStart();
    while (end > pos && text[end - 1].isSpace())
        --end;
    return ValueSpan{pos, end, false};
}

bool isShortNumber(QStringView value)
{
    static const QRegularExpression number(QStringLiteral(R"(^-?\d{1,6}(?:\.\d+)?$)"));
    return number.match(value.toString()).hasMatch();
}

bool isMachineCode(QStringView value)
{
    static const QRegularExpression code(QStringLiteral(R"(^[a-z0-9]+(?:[_.:\-][a-z0-9]+)*$)"));
    return code.match(value.toString()).hasMatch();
}

// The agent's own words about a field of Neo's answers, after its path ("consultation.notes: missing",
// "client.phone: object instead of string or null (x3)"): they say what went wrong, never what the value
// was. A field's path and what happened to it are not clinic data; the value is, and stays out.
bool isFieldProblem(QStringView value)
{
    static const QString type = QStringLiteral("(?:string|number|boolean|object|array|null|undefined)");
    static const QString types = type + QStringLiteral("(?: or ") + type + QStringLiteral(")*");
    static const QStringList phrases{
        QStringLiteral("missing"),
        QStringLiteral("empty"),
        QStringLiteral("unknown field"),
        QStringLiteral("invalid UTF-8"),
        types + QStringLiteral(" instead of ") + types,
        QStringLiteral("not an? [a-z ]+"),
        QStringLiteral("longer than \\d+ characters"),
        QStringLiteral("id [a-z ]+"),
        QStringLiteral("absent from every [a-z]+ answer of this run; present in \\d+% before"),
        QStringLiteral("waits for a second read"),
        QStringLiteral("not sent and nothing stored to keep; read again next run"),
    };
    static const QRegularExpression problem(QStringLiteral("^(?:") + phrases.join(u'|') +
                                            QStringLiteral(")(?: \\(x\\d+\\))?$"));
    return problem.match(value.toString()).hasMatch();
}

bool keepValue(QStringView value, bool quoted, KeyKind kind)
{
    if (value.isEmpty() || value == kRedactedMarker)
        return true;
    if (!quoted && isFieldProblem(value))
        return true;
    if (kind == KeyKind::Reason)
        return isMachineCode(value);
    if (quoted)
        return false;
    if (value == u"true" || value == u"false" || value == u"null")
        return true;
    // notes_found=3 or has_notes=true are counts and flags; a phone stored as a number is longer.
    return kind == KeyKind::ClinicData && isShortNumber(value);
}

// Replaces capture `group` of every match that `accept` agrees with.
QString replaceMatches(const QString& text, const QRegularExpression& re, int group = 0,
                       const std::function<bool(QStringView)>& accept = {})
{
    QString out;
    qsizetype copied = 0;
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (accept && !accept(m.capturedView(group)))
            continue;
        out += QStringView(text).sliced(copied, m.capturedStart(group) - copied);
        out += kRedactedMarker;
        copied = m.capturedEnd(group);
    }
    if (copied == 0)
        return text;
    out += QStringView(text).sliced(copied);
    return out;
}

qsizetype digitCount(QStringView text)
{
    return std::ranges::count_if(text, [](QChar c) { return c.isDigit(); });
}

bool hasSeparator(QStringView text)
{
    return text.contains(u' ') || text.contains(u'-');
}

} // namespace

const QRegularExpression& htmlTagPattern()
{
    // Only real HTML tag names, so that "<none>", "std::vector<int>" or "a < b > c" survive.
    static const QRegularExpression tag(
        QStringLiteral(R"(<!--.*?-->|<!DOCTYPE[^>]*>|</?(?:a|abbr|article|b|big|blockquote|body|br|button|)"
                       R"(caption|center|code|col|colgroup|dd|del|div|dl|dt|em|font|footer|form|h[1-6]|head|)"
                       R"(header|hr|html|i|iframe|img|input|ins|label|li|link|mark|meta|nav|o:p|ol|option|p|)"
                       R"(pre|s|script|section|select|small|span|strike|strong|style|sub|sup|table|tbody|td|)"
                       R"(textarea|tfoot|th|thead|title|tr|u|ul)(?:\s[^<>]*)?/?>)"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    return tag;
}

qsizetype firstHtmlTag(const QString& text)
{
    return htmlTagPattern().match(text).capturedStart();
}

QString redactHtml(const QString& text)
{
    auto it = htmlTagPattern().globalMatch(text);
    if (!it.hasNext())
        return text;
    // A note's text sits between its tags, so everything from the first tag to the last one goes.
    const qsizetype begin = it.peekNext().capturedStart();
    qsizetype end = begin;
    while (it.hasNext())
        end = it.next().capturedEnd();
    return QStringView(text).first(begin) + kRedactedMarker + QStringView(text).sliced(end);
}

QString redactKeyValuePairs(const QString& text)
{
    // A key, optionally quoted (also as \" inside a JSON string), then ':' or '='.
    static const QRegularExpression keyPattern(
        QStringLiteral(R"((?<![\w.])(\\?["']?)([A-Za-z_][\w.\-]*)(\\?["']?)[ \t]*[:=][ \t]*)"));
    QString out;
    qsizetype copied = 0;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const QRegularExpressionMatch m = keyPattern.match(text, pos);
        if (!m.hasMatch())
            break;
        pos = m.capturedEnd();
        const KeyKind kind = classifyKey(m.capturedView(2));
        if (kind == KeyKind::Other)
            continue; // keep scanning inside its value: URLs carry query pairs
        const bool jsonLike = !m.capturedView(1).isEmpty() || !m.capturedView(3).isEmpty();
        const auto value = valueAt(text, pos, jsonLike, kind);
        if (!value ||
            keepValue(QStringView(text).sliced(value->begin, value->end - value->begin), value->quoted, kind))
            continue;
        out += QStringView(text).sliced(copied, value->begin - copied);
        out += kRedactedMarker;
        copied = value->end;
        pos = value->end;
    }
    if (copied == 0)
        return text;
    out += QStringView(text).sliced(copied);
    return out;
}

QString redactBareCredentials(const QString& text)
{
    static const QRegularExpression scheme(
        QStringLiteral(R"(\b(?:Bearer|Basic)\s+([A-Za-z0-9._~+/\-]{8,}=*))"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression jwt(QStringLiteral(R"(\beyJ[\w\-]{4,}\.[\w\-]{4,}\.[\w\-]*)"));
    return replaceMatches(replaceMatches(text, scheme, 1), jwt);
}

QString redactEmails(const QString& text)
{
    static const QRegularExpression email(
        QStringLiteral(R"([\w.%+\-]+(?:@|%40)[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}(?![\w\-]))"),
        QRegularExpression::UseUnicodePropertiesOption);
    return replaceMatches(text, email);
}

QString redactPhoneNumbers(const QString& text)
{
    // International: '+', a country code and 8 to 15 digits in groups ("+44 20 7946 0958", "+14155550123").
    static const QRegularExpression international(
        QStringLiteral(R"((?<![\w+])\+\d{1,3}(?:[ .\-]?\(?\d{1,5}\)?){1,6}(?!\w))"));
    // North American: area code and exchange never start with 0 or 1, which spares epoch seconds.
    static const QRegularExpression northAmerican(QStringLiteral(
        R"((?<![\w+.\-])(?:1[ .\-]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[ .\-]?[2-9]\d{2}[ .\-]?\d{4}(?![\w]|[.\-]\d))"));
    // National with a trunk 0 ("020 7946 0958", "07700 900123"): a separator is required, so that
    // zero-padded ids stay.
    static const QRegularExpression trunk(
        QStringLiteral(R"((?<![\w+.:/\-])0\d{2,4}[ \-]?\d{3,4}[ \-]?\d{3,4}(?![\w]|[.:\-]\d))"));

    QString out = replaceMatches(text, international, 0, [](QStringView match) {
        const qsizetype digits = digitCount(match);
        return digits >= 8 && digits <= 15;
    });
    out = replaceMatches(out, northAmerican);
    return replaceMatches(out, trunk, 0, [](QStringView match) {
        const qsizetype digits = digitCount(match);
        return hasSeparator(match) && digits >= 10 && digits <= 11;
    });
}

QString redactPatterns(const QString& text)
{
    // HTML first: a note's markup holds attribute pairs (class="x") that would cut a plain-text value
    // short and let the note's words through.
    return redactPhoneNumbers(redactEmails(redactBareCredentials(redactKeyValuePairs(redactHtml(text)))));
}

} // namespace odis::storage::redaction
