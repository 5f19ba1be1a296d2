// Fuzzes plain_text_skeleton() with its own promise as the oracle: wherever PCRE2 matches the
// pattern on a plain span of the text (ASCII, no '&'), the skeleton exists as a regex ("never"
// is then wrong) and matches that span too. Input: a flags byte, then the pattern, a NUL, then
// the text.
#include <cstdint>
#include <string>
#include <string_view>

#include "milters/spam/regex/pcre_regex.hpp"
#include "milters/spam/regex/plain_text_skeleton.hpp"
#include "tests/fuzz/regex_fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto input = mw::fuzz::read_regex_fuzz_input(data, size);
    if (!input) return 0;
    const mw::spam::RegexSpec& spec = input->spec;
    const std::string& text = input->text;
    const auto skeleton = mw::spam::plain_text_skeleton(spec);
    if (!skeleton) return 0;
    auto re = mw::spam::PcreRegex::compile(spec);
    if (!re) return 0;
    mw::spam::MatchScratch scratch;
    const auto m = re->search(text, scratch);
    if (!m) return 0;
    const std::string_view span = std::string_view(text).substr(m->begin, m->end - m->begin);
    if (!mw::spam::is_plain_text(span)) return 0;
    if (skeleton->never) __builtin_trap();
    auto loose = mw::spam::PcreRegex::compile(skeleton->spec);
    if (!loose || !loose->search(span, scratch)) __builtin_trap();
    return 0;
}
