// Fuzzes the regex readers of the literal prefilter, required_literals(), repeated_literals() and
// repeated_pair_pattern(), with their own promise as the oracle: wherever PCRE2 matches the
// pattern in the text, the match holds one of the required literals, for a repeated group as
// many as the repeat at distinct end offsets, and the text matches the pair pattern. Input: a
// flags byte, then the pattern, a NUL, then the text.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "milters/spam/regex/pcre_regex.hpp"
#include "tests/fuzz/regex_fuzz_input.hpp"
#include "milters/spam/regex/repeated_group.hpp"
#include "milters/spam/regex/required_literals.hpp"

namespace {

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// Distinct end offsets of the literals' occurrences in `span`.
std::size_t occurrences(std::string span, const mw::spam::RequiredLiterals& lits) {
    if (lits.caseless) span = lower(span);
    std::set<std::size_t> ends;
    for (const auto& l : lits.literals)
        for (auto at = span.find(l); at != std::string::npos; at = span.find(l, at + 1)) ends.insert(at + l.size());
    return ends.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto input = mw::fuzz::read_regex_fuzz_input(data, size);
    if (!input) return 0;
    const mw::spam::RegexSpec& spec = input->spec;
    const std::string& text = input->text;
    const auto required = mw::spam::required_literals(spec);
    const auto repeated = mw::spam::repeated_literals(spec);
    const auto pair = mw::spam::repeated_pair_pattern(spec);
    if (!required && !repeated && !pair) return 0;
    auto re = mw::spam::PcreRegex::compile(spec);
    if (!re) return 0;
    mw::spam::MatchScratch scratch;
    const auto m = re->search(text, scratch);
    if (!m) return 0;
    const std::string span = text.substr(m->begin, m->end - m->begin);
    if (required && occurrences(span, *required) < 1) __builtin_trap();
    if (repeated && occurrences(span, repeated->literals) < repeated->occurrences) __builtin_trap();
    if (pair) {
        // PCRE2 may refuse a pair that repeats a group name; Hyperscan then decides alone.
        auto pair_re = mw::spam::PcreRegex::compile(*pair);
        bool limited = false;
        if (pair_re && !pair_re->search(text, scratch, 0, &limited) && !limited) __builtin_trap();
    }
    return 0;
}
