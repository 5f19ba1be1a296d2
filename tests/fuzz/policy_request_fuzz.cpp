// libFuzzer entry for PolicyRequestParser: the input is fed in fragments whose sizes come from
// the first byte, then every request and the error (if any) are drained. Checks invariants
// that must hold for any input: no request without request=smtpd_access_policy, no attribute
// line over the bound, never more than kMaxPolicyAttrs attributes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/base/limits.hpp"
#include "policyd/policy_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::size_t step = 1 + data[0] % 64;
    std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    mw::policyd::PolicyRequestParser parser;
    while (!input.empty()) {
        const auto n = std::min(step, input.size());
        parser.feed(input.substr(0, n));
        input.remove_prefix(n);
    }
    for (;;) {
        auto r = parser.next();
        if (!r) {
            if (r.error().message.empty()) std::abort();
            break;
        }
        if (!*r) break;
        const auto& req = **r;
        if (req.request != "smtpd_access_policy") std::abort();
        if (req.attribute_count > mw::limits::kMaxPolicyAttrs) std::abort();
        if (req.sender.size() > mw::limits::kMaxPolicyLine) std::abort();
    }
    return 0;
}
