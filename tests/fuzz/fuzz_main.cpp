// The libFuzzer target of one entry (ODIS_FUZZ_ENTRY names it; tests/fuzz/CMakeLists.txt builds one
// executable per entry). A property that does not hold aborts, which libFuzzer reports as a crash and
// keeps the input of.

#include "tests/fuzz/fuzz_entries.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString problem =
        odis::fuzz::ODIS_FUZZ_ENTRY(QByteArrayView(reinterpret_cast<const char*>(data), qsizetype(size)));
    if (!problem.isEmpty()) {
        std::fprintf(stderr, "fuzz property broken: %s\n", problem.toUtf8().constData());
        std::abort();
    }
    return 0;
}
