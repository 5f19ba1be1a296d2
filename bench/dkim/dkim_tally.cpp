#include "bench/dkim/dkim_tally.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"

namespace mw::bench {

namespace {

bool is_added(const milter::Response& e) {
    return e.kind == milter::Response::Kind::AddHeader || e.kind == milter::Response::Kind::InsertHeader;
}

bool name_is(const milter::Response& e, std::string_view name) {
    return iequals_ascii(e.name, name);
}

}  // namespace

std::pair<unsigned, unsigned> count_dkim_results(std::string_view value) {
    // Method results are "dkim=RESULT"; a property like "header.d=" never starts with "dkim=".
    unsigned pass = 0, other = 0;
    for (std::size_t at = value.find("dkim="); at != std::string_view::npos; at = value.find("dkim=", at + 5)) {
        const bool starts = at == 0 || value[at - 1] == ' ' || value[at - 1] == ';' ||
                            value[at - 1] == '\t' || value[at - 1] == '\n';
        if (!starts) continue;
        if (value.substr(at + 5, 4) == "pass") ++pass;
        else ++other;
    }
    return {pass, other};
}

void DkimTally::add(const MessageOutcome& outcome, LoadMode mode, unsigned expect) {
    ++messages;
    unsigned sigs = 0, pass = 0, other = 0;
    for (const auto& e : outcome.edits) {
        if (!is_added(e)) continue;
        if (name_is(e, "DKIM-Signature")) ++sigs;
        if (name_is(e, "Authentication-Results")) {
            const auto [p, o] = count_dkim_results(e.value);
            pass += p;
            other += o;
        }
    }
    signatures += sigs;
    passes += pass;
    other_results += other;
    const bool ok = !outcome.reached_eom ? false
                    : mode == LoadMode::Sign ? sigs == expect
                                             : pass == expect && other == 0;
    if (expect > 0 && !ok) ++unexpected;
}

void DkimTally::merge(const DkimTally& o) {
    messages += o.messages;
    signatures += o.signatures;
    passes += o.passes;
    other_results += o.other_results;
    unexpected += o.unexpected;
}

std::string DkimTally::to_string() const {
    return fmt::format("signed={} pass={} other={} unexpected={}", signatures, passes, other_results, unexpected);
}

}  // namespace mw::bench
