#include "storage/redactor.h"

#include "storage/redaction_rules.h"

#include <QByteArray>
#include <QReadLocker>
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

void Redactor::addSensitiveValue(const QString& value)
{
    if (value.trimmed().size() < kMinimumValueLength)
        return;
    const QStringList spellings = spellingsOf(value);
    QWriteLocker lock(&lock_);
    if (spellingRefs_.contains(spellings.first()))
        return; // already known (or a spelling of a known value)
    for (const QString& spelling : spellings)
        insertSpelling(spelling);
    order_.push_back(spellings);
    while (qsizetype(order_.size()) > capacity_) {
        for (const QString& spelling : std::as_const(order_.front()))
            removeSpelling(spelling);
        order_.pop_front();
    }
}

void Redactor::forgetSensitiveValues()
{
    QWriteLocker lock(&lock_);
    order_.clear();
    spellingRefs_.clear();
    buckets_.clear();
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
            for (const QString& spelling : *bucket) { // longest first: "Mary Ann" before "Mary"
                if (rest.startsWith(spelling, Qt::CaseInsensitive)) {
                    matched = spelling.size();
                    break;
                }
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

void Redactor::insertSpelling(const QString& spelling)
{
    if (spellingRefs_[spelling]++ > 0)
        return;
    QStringList& bucket = buckets_[bucketKey(spelling[0], spelling[1])];
    const auto at =
        std::ranges::find_if(bucket, [&](const QString& other) { return other.size() < spelling.size(); });
    bucket.insert(at, spelling);
}

void Redactor::removeSpelling(const QString& spelling)
{
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
