#include "storage/redactor.h"

#include "storage/redaction_rules.h"

#include <QByteArray>
#include <QReadLocker>
#include <QRegularExpression>
#include <QStringView>
#include <QUrl>
#include <QWriteLocker>

#include <algorithm>

namespace odis::storage {

namespace {

// Folds one UTF-16 unit at a time, so a folded string keeps the length of the original and a match
// found in the folded form maps back to the same span of the message.
QString folded(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text)
        out.append(c.toCaseFolded());
    return out;
}

quint32 bucketKey(QChar first, QChar second)
{
    return (quint32(first.toCaseFolded().unicode()) << 16) | second.toCaseFolded().unicode();
}

// The spellings a value takes on its way into a log line: as typed, in a query string or form body,
// and inside a JSON string.
QStringList spellingsOf(const QString& value)
{
    QStringList spellings{value};
    spellings << QString::fromLatin1(QUrl::toPercentEncoding(value));
    spellings << QString::fromLatin1(QUrl::toPercentEncoding(value, " ")).replace(u' ', u'+');
    QString json = value;
    json.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
    spellings << json;
    QStringList out;
    for (const QString& spelling : std::as_const(spellings)) {
        const QString f = folded(spelling);
        if (f.size() >= Redactor::kMinimumValueLength && !out.contains(f))
            out << f;
    }
    return out;
}

} // namespace

Redactor::Redactor(qsizetype capacity)
    : capacity_(std::max<qsizetype>(capacity, 1))
{}

bool Redactor::addSensitiveValue(const QString& value, Match match)
{
    if (value.trimmed().size() < kMinimumValueLength)
        return false;
    const QStringList spellings = spellingsOf(value);
    QWriteLocker lock(&lock_);
    if (spellingRefs_.contains(spellings.first()))
        return false; // already known (or a spelling of a known value)
    for (const QString& spelling : spellings)
        insertSpelling(spelling, match);
    order_.push_back(spellings);
    while (qsizetype(order_.size()) > capacity_) {
        for (const QString& spelling : std::as_const(order_.front()))
            removeSpelling(spelling);
        order_.pop_front();
    }
    return true;
}

void Redactor::forgetSensitiveValue(const QString& value)
{
    if (value.trimmed().size() < kMinimumValueLength)
        return;
    const QString first = spellingsOf(value).first();
    QWriteLocker lock(&lock_);
    const auto it = std::ranges::find_if(order_, [&](const QStringList& s) { return s.first() == first; });
    if (it == order_.end())
        return;
    for (const QString& spelling : std::as_const(*it))
        removeSpelling(spelling);
    order_.erase(it);
}

RedactionScope::~RedactionScope()
{
    for (const QString& value : std::as_const(m_added))
        m_redactor.forgetSensitiveValue(value);
}

void RedactionScope::add(const QString& value)
{
    if (m_redactor.addSensitiveValue(value, Redactor::Match::WholeWords))
        m_added << value;
}

void RedactionScope::addAll(const QStringList& values)
{
    for (const QString& value : values)
        add(value);
}

void Redactor::forgetSensitiveValues()
{
    QWriteLocker lock(&lock_);
    order_.clear();
    spellingRefs_.clear();
    buckets_.clear();
    wholeWordRefs_.clear();
}

qsizetype Redactor::sensitiveValueCount() const
{
    QReadLocker lock(&lock_);
    return qsizetype(order_.size());
}

QString Redactor::redact(const QString& message) const
{
    // PCRE refuses to match invalid UTF-16 (a lone surrogate), which would let the whole message through.
    if (!message.isValidUtf16())
        return redact(QString::fromUtf8(message.toUtf8()));
    return redaction::redactPatterns(redactKnownValues(message));
}

QString Redactor::redactTruncated(const QString& message, qsizetype maxChars) const
{
    static constexpr QStringView kTruncated = u" [truncated]";
    if (message.size() <= maxChars) {
        QString whole = redact(message);
        // Redaction can lengthen a message ("[redacted]" for a short value); cutting redacted text
        // leaks nothing.
        return whole.size() <= maxChars ? whole : whole.left(maxChars) + kTruncated;
    }
    qsizetype cut = std::max<qsizetype>(maxChars, 0);
    if (cut > 0 && message[cut - 1].isHighSurrogate())
        --cut; // never half a character
    QString head = message.left(cut);
    // What the cut may have split, taken back to a separator: a value, a token, an e-mail address or a
    // number whose rest lies beyond the cut would not be recognised by the rules.
    qsizetype keep = head.size();
    while (keep > 0 && !head[keep - 1].isSpace() && head[keep - 1] != u',' && head[keep - 1] != u';')
        --keep;
    // A phone number with spaces ("555 201 33|44") reaches back over its groups.
    static const QRegularExpression digitsTail(QStringLiteral(R"([\d+()][\d\s().+\-]*$)"));
    if (const auto m = digitsTail.match(head.left(keep)); m.hasMatch() && m.capturedLength() > 0)
        keep = m.capturedStart();
    bool dropped = keep < head.size();
    head.truncate(keep);
    // A registered value cut after its first words ("Mary Ann Sm|ith" leaves "Mary Ann").
    {
        QReadLocker lock(&lock_);
        const QString tail = folded(QStringView(head).right(std::min<qsizetype>(head.size(), 512)));
        qsizetype from = tail.size();
        for (qsizetype start = 0; start < tail.size(); ++start) {
            if (start > 0 && !tail[start - 1].isSpace())
                continue;
            const QStringView suffix = QStringView(tail).sliced(start).trimmed();
            if (suffix.size() < kMinimumValueLength)
                break;
            const auto bucket = buckets_.constFind(bucketKey(suffix[0], suffix[1]));
            if (bucket == buckets_.constEnd())
                continue;
            if (std::ranges::any_of(*bucket, [&](const QString& s) {
                    return s.size() > suffix.size() && s.startsWith(suffix);
                })) {
                from = start;
                break;
            }
        }
        if (from < tail.size()) {
            head.chop(tail.size() - from);
            dropped = true;
        }
    }
    // Markup whose end lies beyond the cut: a note's text may run from its first tag to the end of what is
    // kept, past the last tag the rules see, so all of it goes.
    QString out;
    if (const qsizetype tag = redaction::firstHtmlTag(head); tag >= 0) {
        out = redact(head.left(tag)) + redaction::kRedactedMarker;
        dropped = false;
    } else {
        out = redact(head);
    }
    if (dropped)
        out += redaction::kRedactedMarker;
    return out + kTruncated;
}

QString Redactor::redactKnownValues(const QString& message) const
{
    QReadLocker lock(&lock_);
    if (buckets_.isEmpty())
        return message;
    QString out;
    qsizetype copied = 0;
    qsizetype i = 0;
    while (i + 1 < message.size()) {
        qsizetype matched = 0;
        if (const auto bucket = buckets_.constFind(bucketKey(message[i], message[i + 1]));
            bucket != buckets_.constEnd()) {
            const QStringView rest = QStringView(message).sliced(i);
            const auto wordChar = [](QChar c) { return c.isLetterOrNumber(); };
            for (const QString& spelling : *bucket) { // longest first: "Mary Ann" before "Mary"
                if (!rest.startsWith(spelling, Qt::CaseInsensitive))
                    continue;
                if (wholeWordRefs_.contains(spelling) &&
                    ((i > 0 && wordChar(message[i - 1]) && wordChar(spelling.front())) ||
                     (i + spelling.size() < message.size() && wordChar(message[i + spelling.size()]) &&
                      wordChar(spelling.back()))))
                    continue; // part of a longer word
                matched = spelling.size();
                break;
            }
        }
        if (matched == 0) {
            ++i;
            continue;
        }
        out += QStringView(message).sliced(copied, i - copied);
        out += redaction::kRedactedMarker;
        i += matched;
        copied = i;
    }
    if (copied == 0)
        return message;
    out += QStringView(message).sliced(copied);
    return out;
}

void Redactor::insertSpelling(const QString& spelling, Match match)
{
    if (match == Match::WholeWords)
        ++wholeWordRefs_[spelling];
    if (spellingRefs_[spelling]++ > 0)
        return;
    QStringList& bucket = buckets_[bucketKey(spelling[0], spelling[1])];
    const auto at =
        std::ranges::find_if(bucket, [&](const QString& other) { return other.size() < spelling.size(); });
    bucket.insert(at, spelling);
}

void Redactor::removeSpelling(const QString& spelling)
{
    if (const auto word = wholeWordRefs_.find(spelling); word != wholeWordRefs_.end() && --word.value() <= 0)
        wholeWordRefs_.erase(word);
    const auto ref = spellingRefs_.find(spelling);
    if (ref == spellingRefs_.end() || --ref.value() > 0)
        return;
    spellingRefs_.erase(ref);
    const quint32 key = bucketKey(spelling[0], spelling[1]);
    QStringList& bucket = buckets_[key];
    bucket.removeOne(spelling);
    if (bucket.isEmpty())
        buckets_.remove(key);
}

} // namespace odis::storage
