#include "storage/redacting_sink.h"

#include <QByteArray>
#include <QString>

#include <algorithm>
#include <utility>

namespace odis::storage {

namespace {

// Cuts UTF-8 text to at most `maxBytes` without splitting a character.
void truncateUtf8(QByteArray& text, std::size_t maxBytes)
{
    static constexpr QByteArrayView kSuffix = " [truncated]";
    if (std::size_t(text.size()) <= maxBytes)
        return;
    qsizetype cut = qsizetype(maxBytes) - kSuffix.size();
    while (cut > 0 && (uchar(text[cut]) & 0xC0) == 0x80) // a continuation byte: step back to a boundary
        --cut;
    text.truncate(std::max<qsizetype>(cut, 0));
    text.append(kSuffix);
}

} // namespace

RedactingSink::RedactingSink(std::shared_ptr<const Redactor> redactor, std::vector<spdlog::sink_ptr> sinks,
                             std::size_t maxPayloadBytes)
    : redactor_(std::move(redactor))
    , sinks_(std::move(sinks))
    , maxPayloadBytes_(maxPayloadBytes)
{}

void RedactingSink::log(const spdlog::details::log_msg& msg)
{
    const QString original = QString::fromUtf8(msg.payload.data(), qsizetype(msg.payload.size()));
    // Cut first, then redacted (a huge message costs no more than its kept part), then cut to the byte
    // budget: cutting text that is already redacted can reveal nothing.
    QByteArray redacted = redactor_->redactTruncated(original, qsizetype(maxPayloadBytes_)).toUtf8();
    truncateUtf8(redacted, maxPayloadBytes_);

    spdlog::details::log_msg copy(msg);
    copy.payload = spdlog::string_view_t(redacted.constData(), std::size_t(redacted.size()));
    for (const auto& sink : sinks_) {
        if (sink->should_log(copy.level))
            sink->log(copy);
    }
}

void RedactingSink::flush()
{
    for (const auto& sink : sinks_)
        sink->flush();
}

void RedactingSink::set_pattern(const std::string& pattern)
{
    for (const auto& sink : sinks_)
        sink->set_pattern(pattern);
}

void RedactingSink::set_formatter(std::unique_ptr<spdlog::formatter> formatter)
{
    for (const auto& sink : sinks_)
        sink->set_formatter(formatter->clone());
}

} // namespace odis::storage
