#pragma once

#include "storage/redactor.h"

#include <cstddef>
#include <memory>
#include <spdlog/sinks/sink.h>
#include <vector>

namespace odis::storage {

// An spdlog sink that redacts each message's formatted payload (after fmt has put the arguments in)
// and only then hands it to the sinks it wraps, so no inner sink ever sees the original text. Payloads
// longer than `maxPayloadBytes` are cut before they are redacted (Redactor::redactTruncated: the cost
// stays bounded, and what the cut split is dropped as well), which keeps every log file under its size
// cap and keeps a pasted note from flooding the log. Thread-safe when the inner sinks are (the _mt ones).
class RedactingSink final : public spdlog::sinks::sink
{
public:
    RedactingSink(std::shared_ptr<const Redactor> redactor, std::vector<spdlog::sink_ptr> sinks,
                  std::size_t maxPayloadBytes);

    void log(const spdlog::details::log_msg& msg) override;
    void flush() override;
    void set_pattern(const std::string& pattern) override;
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override;

private:
    const std::shared_ptr<const Redactor> redactor_;
    const std::vector<spdlog::sink_ptr> sinks_;
    const std::size_t maxPayloadBytes_;
};

} // namespace odis::storage
