#define PCRE2_CODE_UNIT_WIDTH 8
#include "milters/spam/scan/capture_regex.hpp"

#include <pcre2.h>

#include <stdexcept>

#include "common/base/c_handle.hpp"
#include "common/base/limits.hpp"

namespace mw::spam {

namespace {

using CodeHandle = CHandle<pcre2_code, pcre2_code_free>;
using MatchDataHandle = CHandle<pcre2_match_data, pcre2_match_data_free>;
using MatchContextHandle = CHandle<pcre2_match_context, pcre2_match_context_free>;
using CompileContextHandle = CHandle<pcre2_compile_context, pcre2_compile_context_free>;

// SA Constants.pm IP_ADDRESS (qr//xi), white space and comments dropped.
constexpr const char* kOctet = "(?:1\\d\\d|2[0-4]\\d|25[0-5]|[1-9]\\d|\\d)";
constexpr const char* kHex = "[a-f0-9]{1,4}";

std::string build_ip_address() {
    const std::string o = kOctet, h = kHex;
    const std::string v4 = o + "\\." + o + "\\." + o + "\\." + o;
    const std::string mapped_prefix =
        "(?:(?:" + h + ":){6}|::(?:" + h + ":){0,5}|(?:" + h + ":){1,5}:|" + h + "::(?:" + h +
        ":){1,4}|(?:" + h + ":){2}:(?:" + h + ":){1,3}|(?:" + h + ":){3}:(?:" + h + ":){1,2}|(?:" + h +
        ":){4}:" + h + ":)";
    const std::string pure =
        "(?:" + h + ":){7}" + h + "|:(?::" + h + "){1,7}|(?:" + h + ":){1,7}:|" + h + ":(?::" + h +
        "){1,6}|(?:" + h + ":){2}(?::" + h + "){1,5}|(?:" + h + ":){3}(?::" + h + "){1,4}|(?:" + h +
        ":){4}(?::" + h + "){1,3}|(?:" + h + ":){5}(?::" + h + "){1,2}|(?:" + h + ":){6}:" + h + "|::";
    return "(?i:\\b(?<!:)" + v4 + "\\b|(?:IPv6:|(?<![a-f0-9:]))(?:" + mapped_prefix + v4 + "|" + pure +
           ")(?![a-f0-9:]))";
}

// SA Constants.pm LOCALHOST (qr//xi).
std::string build_localhost() {
    const std::string z = "0{1,4}";
    const std::string mapped =
        "(?:(?:" + z + ":){5}ffff:|::(?:" + z + ":){0,4}ffff:|(?:" + z + ":){1,4}:ffff:|" + z + "::(?:" +
        z + ":){1,3}ffff:|(?:" + z + ":){2}:0{1,2}:ffff:|(?:" + z + ":){3}:0:ffff:|(?:" + z +
        ":){4}:ffff:)127\\.0\\.0\\.1";
    const std::string one = "0{0,3}1";
    const std::string pure =
        "(?:" + z + ":){7}" + one + "|:(?::" + z + "){0,6}:" + one + "|" + z + ":(?::" + z + "){0,5}:" +
        one + "|(?:" + z + ":){2}(?::" + z + "){0,4}:" + one + "|(?:" + z + ":){3}(?::" + z + "){0,3}:" +
        one + "|(?:" + z + ":){4}(?::" + z + "){0,2}:" + one + "|(?:" + z + ":){5}(?::" + z + "){0,1}:" +
        one + "|(?:" + z + ":){6}:" + one;
    return "(?i:localhost(?:\\.localdomain)?|\\b(?<!:)127\\.0\\.0\\.1\\b|(?:IPv6:|(?<![a-f0-9:]))(?:" +
           mapped + "|" + pure + ")(?![a-f0-9:]))";
}

std::string expand(std::string_view pattern) {
    static const std::string localhost = build_localhost();
    std::string out;
    out.reserve(pattern.size() + 1024);
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern.substr(i, 4) == "@IP@") {
            out += CaptureRegex::ip_address_pattern();
            i += 4;
        } else if (pattern.substr(i, 11) == "@LOCALHOST@") {
            out += localhost;
            i += 11;
        } else {
            out += pattern[i++];
        }
    }
    return out;
}

struct ThreadMatchState {
    MatchDataHandle data{pcre2_match_data_create(Captures::kMaxGroups, nullptr)};
    MatchContextHandle context{pcre2_match_context_create(nullptr)};
    ThreadMatchState() {
        if (!data || !context) throw std::bad_alloc();
        pcre2_set_match_limit(context.get(), limits::kMaxRegexMatchSteps);
        pcre2_set_depth_limit(context.get(), limits::kMaxRegexDepth);
        pcre2_set_heap_limit(context.get(), limits::kMaxRegexHeapKib);
    }
};

ThreadMatchState& thread_state() {
    thread_local ThreadMatchState state;
    return state;
}

}  // namespace

struct CaptureRegex::Impl {
    CodeHandle code;
};

const std::string& CaptureRegex::ip_address_pattern() {
    static const std::string pattern = build_ip_address();
    return pattern;
}

CaptureRegex::CaptureRegex(std::string_view pattern, bool caseless) : impl_(std::make_unique<Impl>()) {
    const std::string text = expand(pattern);
    CompileContextHandle context{pcre2_compile_context_create(nullptr)};
    if (!context) throw std::bad_alloc();
    pcre2_set_newline(context.get(), PCRE2_NEWLINE_LF);   // Perl: only "\n" ends a line
    uint32_t options = PCRE2_NEVER_UTF | PCRE2_NEVER_UCP | (caseless ? PCRE2_CASELESS : 0);
    int error = 0;
    PCRE2_SIZE offset = 0;
    impl_->code.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), options,
                                    &error, &offset, context.get()));
    if (!impl_->code) throw std::logic_error("CaptureRegex: bad pattern: " + std::string(pattern));
    pcre2_jit_compile(impl_->code.get(), PCRE2_JIT_COMPLETE);   // interpreter if no JIT
}

CaptureRegex::~CaptureRegex() = default;
CaptureRegex::CaptureRegex(CaptureRegex&&) noexcept = default;
CaptureRegex& CaptureRegex::operator=(CaptureRegex&&) noexcept = default;

bool CaptureRegex::search_from(std::string_view text, std::size_t start, Captures* out) const {
    if (start > text.size()) return false;
    auto& st = thread_state();
    const int rc = pcre2_match(impl_->code.get(), reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(),
                               start, 0, st.data.get(), st.context.get());
    if (rc < 0) return false;
    if (!out) return true;
    *out = Captures{};
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(st.data.get());
    const std::size_t pairs = rc == 0 ? Captures::kMaxGroups : static_cast<std::size_t>(rc);
    for (std::size_t i = 0; i < pairs && i < Captures::kMaxGroups; ++i) {
        if (ov[2 * i] == PCRE2_UNSET || ov[2 * i + 1] < ov[2 * i]) continue;
        out->set_[i] = true;
        out->begin_[i] = ov[2 * i];
        out->text_[i] = text.substr(ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
    }
    return true;
}

int CaptureRegex::replace(std::string& text, std::string_view repl, bool global) const {
    int n = 0;
    std::string out;
    std::size_t pos = 0;
    Captures c;
    while (search_from(text, pos, &c)) {
        const std::size_t b = c.begin(0), e = c.end(0);
        out.append(text, pos, b - pos);
        out += repl;
        ++n;
        if (e == b) {   // empty match: keep one byte and move on, as Perl's s///g
            if (b < text.size()) out += text[b];
            pos = b + 1;
        } else {
            pos = e;
        }
        if (!global) break;
    }
    if (n == 0) return 0;
    if (pos < text.size()) out.append(text, pos, std::string::npos);
    text = std::move(out);
    return n;
}

}  // namespace mw::spam
