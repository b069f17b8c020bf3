#pragma once

// The fuzz entry functions: one per fuzzed parser, each taking raw bytes as the outside world would hand
// them to the agent (a Neo answer, a backend reply, a configuration file) and checking what must hold
// for every input. They are compiled twice: into the libFuzzer targets (ODIS_FUZZ=ON, clang with
// AddressSanitizer and UBSan; fuzz_main.cpp) and into the normal build, where tst_fuzz_replay feeds them
// every committed corpus and regression input, so a bug the fuzzer once found fails the ordinary suite.
//
// Each returns an empty string when every property held, else what broke (the fuzz main aborts with it,
// the replay test fails with it). A crash is a crash in both.

#include <QByteArrayView>
#include <QString>

#include <span>

namespace odis::fuzz {

using Entry = QString (*)(QByteArrayView input);

struct Target
{
    const char* name; // the folder under tests/fuzz/corpus and tests/fuzz/regressions, the fuzzer's name
    Entry run;
};

// Neo JSON answers as the page's fetch hands them on (invalid UTF-8 replaced and flagged).
QString fuzzNeoSchedule(QByteArrayView input);
QString fuzzNeoConsultation(QByteArrayView input);
QString fuzzNeoAppointment(QByteArrayView input);
QString fuzzNeoConfig(QByteArrayView input);
// The DOM fallback's answers (dom_extract.js) turned into schedule rows and a consultation.
QString fuzzDomExtraction(QByteArrayView input);
// Neo's notes HTML to the contract's text and to the sanitised HTML that is uploaded.
QString fuzzHtmlText(QByteArrayView input);
// Any JSON to canonical JSON and its version.
QString fuzzCanonicalJson(QByteArrayView input);
// A backend answer: status (2 bytes), the Retry-After header (up to the first '\n'), then the body.
QString fuzzBackendReply(QByteArrayView input);
// A configuration file, read as the user's and as the managed file.
QString fuzzAgentConfig(QByteArrayView input);

// The targets the normal build has (all of them); the fuzz build names one per executable.
[[nodiscard]] std::span<const Target> allTargets();

} // namespace odis::fuzz
