#pragma once

#include <QHash>
#include <QList>
#include <QReadWriteLock>
#include <QString>
#include <QStringList>

#include <deque>

namespace odis::storage {

// Rewrites one log message so that no secret or clinic data reaches a log: values registered at run
// time (passwords, tokens, cookie values, the database key, names the sync has seen) and what the
// pattern rules recognise (redaction_rules.h) become "[redacted]". Thread-safe: every logging thread
// calls redact() while the sync registers values. A safety net, not a licence to log clinic data.
class Redactor
{
public:
    // Shorter values would mangle ordinary words and numbers; they are ignored.
    static constexpr qsizetype kMinimumValueLength = 3;
    static constexpr qsizetype kDefaultCapacity = 4096;

    // `capacity`: how many registered values are remembered; beyond it the oldest are forgotten first.
    explicit Redactor(qsizetype capacity = kDefaultCapacity);
    Redactor(const Redactor&) = delete;
    Redactor& operator=(const Redactor&) = delete;

    // How a registered value is recognised inside a message.
    enum class Match
    {
        Anywhere,   // secrets: also inside a longer run of letters and digits
        WholeWords, // names, phones, e-mails: not inside a longer word ("Ted" is not in "completed")
    };

    // Matched case-insensitively, also in its percent-encoded and JSON-escaped spellings. True when the
    // value was not known yet (RedactionScope forgets only what it added).
    bool addSensitiveValue(const QString& value, Match match = Match::Anywhere);
    void forgetSensitiveValue(const QString& value);
    void forgetSensitiveValues();
    [[nodiscard]] qsizetype sensitiveValueCount() const;

    [[nodiscard]] QString redact(const QString& message) const;

    // At most `maxChars` characters of `message`, redacted: the message is cut first (a pasted note of
    // megabytes costs no more than its first `maxChars`), then redacted; what the cut left half of at the
    // end (a value, an e-mail, a number, the text after an opening tag) goes too, since the rules could not
    // see it whole. Messages that fit are just redact()ed. Ends with " [truncated]" when cut.
    [[nodiscard]] QString redactTruncated(const QString& message, qsizetype maxChars) const;

private:
    [[nodiscard]] QString redactKnownValues(const QString& message) const;
    void insertSpelling(const QString& folded, Match match);
    void removeSpelling(const QString& folded);

    const qsizetype capacity_;
    // Qt's lock lets a waiting writer in before new readers: a burst of logging cannot starve the sync
    // thread that registers a name (glibc's std::shared_mutex prefers readers).
    mutable QReadWriteLock lock_;
    std::deque<QStringList> order_;       // registered values (each with its spellings), oldest first
    QHash<QString, int> spellingRefs_;    // case-folded spelling -> how many registered values use it
    QHash<quint32, QStringList> buckets_; // first two folded characters -> spellings, longest first
    QHash<QString, int> wholeWordRefs_;   // spellings of WholeWords values (and how many use them)
};

// Values registered for one sync run (names, phones and e-mails it read): forgotten when the scope ends,
// so that a long-lived process does not keep every clinic's names. Values the redactor knew before are
// left alone.
class RedactionScope
{
public:
    explicit RedactionScope(Redactor& redactor)
        : m_redactor(redactor)
    {}
    ~RedactionScope();
    RedactionScope(const RedactionScope&) = delete;
    RedactionScope& operator=(const RedactionScope&) = delete;

    void add(const QString& value);
    void addAll(const QStringList& values);
    [[nodiscard]] qsizetype size() const { return m_added.size(); }

private:
    Redactor& m_redactor;
    QStringList m_added;
};

} // namespace odis::storage
