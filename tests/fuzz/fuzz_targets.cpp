#include "tests/fuzz/fuzz_entries.h"

#include <array>

namespace odis::fuzz {

std::span<const Target> allTargets()
{
    static constexpr std::array<Target, 9> kTargets{{
        {"neo_schedule", &fuzzNeoSchedule},
        {"neo_consultation", &fuzzNeoConsultation},
        {"neo_appointment", &fuzzNeoAppointment},
        {"neo_config", &fuzzNeoConfig},
        {"dom_extraction", &fuzzDomExtraction},
        {"html_text", &fuzzHtmlText},
        {"canonical_json", &fuzzCanonicalJson},
        {"backend_reply", &fuzzBackendReply},
        {"agent_config", &fuzzAgentConfig},
    }};
    return kTargets;
}

} // namespace odis::fuzz
