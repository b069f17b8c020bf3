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

    // Matched case-insensitively, also in its percent-encoded and JSON-escaped spellings.
    void addSensitiveValue(const QString& value);
    void forgetSensitiveValues();
    [[nodiscard]] qsizetype sensitiveValueCount() const;

    [[nodiscard]] QString redact(const QString& message) const;

private:
    [[nodiscard]] QString redactKnownValues(const QString& message) const;
    void insertSpelling(const QString& folded);
    void removeSpelling(const QString& folded);

    const qsizetype capacity_;
    // Qt's lock lets a waiting writer in before new readers: a burst of logging cannot starve the sync
    // thread that registers a name (glibc's std::shared_mutex prefers readers).
    mutable QReadWriteLock lock_;
    std::deque<QStringList> order_;       // registered values (each with its spellings), oldest first
    QHash<QString, int> spellingRefs_;    // case-folded spelling -> how many registered values use it
    QHash<quint32, QStringList> buckets_; // first two folded characters -> spellings, longest first
};

} // namespace odis::storage
