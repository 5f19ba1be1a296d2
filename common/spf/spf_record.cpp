#include "common/spf/spf_record.hpp"
#include "common/base/ascii.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "common/base/limits.hpp"
#include "common/spf/spf_macro.hpp"

namespace mw::spf {

namespace {

constexpr std::string_view kVersion = "v=spf1";

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(),
                                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

tl::unexpected<Error> bad_term(std::string_view term, std::string_view why) {
    return fail(ErrorCode::Invalid, fmt::format("invalid term '{}': {}", term, why));
}

// RFC 7208 §12: cidr lengths have no leading zeros and stay within the family's width.
std::optional<int> parse_cidr_length(std::string_view digits, int max) {
    if (!all_digits(digits) || digits.size() > 3) return std::nullopt;
    if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
    int value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    if (value > max) return std::nullopt;
    return value;
}

std::optional<MechanismKind> mechanism_kind(std::string_view name) {
    static constexpr std::pair<std::string_view, MechanismKind> kNames[] = {
        {"all", MechanismKind::All},     {"include", MechanismKind::Include},
        {"a", MechanismKind::A},         {"mx", MechanismKind::Mx},
        {"ptr", MechanismKind::Ptr},     {"ip4", MechanismKind::Ip4},
        {"ip6", MechanismKind::Ip6},     {"exists", MechanismKind::Exists},
    };
    for (const auto& [n, k] : kNames) {
        if (n == name) return k;
    }
    return std::nullopt;
}

std::optional<SpfResult> qualifier_of(char c) {
    switch (c) {
        case '+': return SpfResult::Pass;
        case '-': return SpfResult::Fail;
        case '~': return SpfResult::SoftFail;
        case '?': return SpfResult::Neutral;
        default: return std::nullopt;
    }
}

// ip4:ADDR[/N] and ip6:ADDR[/N].
Result<bool> parse_ip(std::string_view term, std::string_view rest, Mechanism& m) {
    const bool v4 = m.kind == MechanismKind::Ip4;
    if (rest.empty() || rest.front() != ':') return bad_term(term, "an address is required");
    rest.remove_prefix(1);
    const auto slash = rest.find('/');
    const auto addr_text = rest.substr(0, slash);
    const auto addr = net::IpAddress::parse(addr_text);
    if (!addr || addr->is_v4() != v4) return bad_term(term, "not a valid address");
    if (v4 && addr_text.find_first_not_of("0123456789.") != std::string_view::npos) {
        return bad_term(term, "not a dotted quad");
    }
    m.network = *addr;
    if (slash == std::string_view::npos) return true;
    const auto len = parse_cidr_length(rest.substr(slash + 1), v4 ? 32 : 128);
    if (!len) return bad_term(term, "bad CIDR length");
    (v4 ? m.cidr4 : m.cidr6) = *len;
    return true;
}

// The trailing dual-cidr-length of a/mx: [ "/" ip4-len ] [ "//" ip6-len ]; removed from `rest`.
Result<bool> take_dual_cidr(std::string_view term, std::string_view& rest, Mechanism& m) {
    const auto dd = rest.rfind("//");
    if (dd != std::string_view::npos && all_digits(rest.substr(dd + 2))) {
        const auto len = parse_cidr_length(rest.substr(dd + 2), 128);
        if (!len) return bad_term(term, "bad IPv6 CIDR length");
        m.cidr6 = *len;
        rest = rest.substr(0, dd);
    }
    const auto s = rest.rfind('/');
    if (s != std::string_view::npos && all_digits(rest.substr(s + 1))) {
        const auto len = parse_cidr_length(rest.substr(s + 1), 32);
        if (!len) return bad_term(term, "bad IPv4 CIDR length");
        m.cidr4 = *len;
        rest = rest.substr(0, s);
    }
    return true;
}

// [":" domain-spec] for a, mx, ptr; ":" domain-spec for include and exists.
Result<bool> parse_target(std::string_view term, std::string_view rest, bool required,
                          Mechanism& m) {
    if (rest.empty()) {
        if (required) return bad_term(term, "a domain is required");
        return true;
    }
    if (rest.front() != ':') return bad_term(term, "unexpected text after the name");
    rest.remove_prefix(1);
    if (rest.empty()) return bad_term(term, "empty domain");
    auto ok = check_domain_spec(rest);
    if (!ok) return bad_term(term, ok.error().message);
    m.domain_spec = std::string(rest);
    return true;
}

Result<bool> parse_arguments(std::string_view term, std::string_view rest, Mechanism& m) {
    switch (m.kind) {
        case MechanismKind::All:
            if (!rest.empty()) return bad_term(term, "'all' takes no argument");
            return true;
        case MechanismKind::Ip4:
        case MechanismKind::Ip6: return parse_ip(term, rest, m);
        case MechanismKind::A:
        case MechanismKind::Mx: {
            auto cidr = take_dual_cidr(term, rest, m);
            if (!cidr) return cidr;
            return parse_target(term, rest, false, m);
        }
        case MechanismKind::Ptr: return parse_target(term, rest, false, m);
        case MechanismKind::Include:
        case MechanismKind::Exists: return parse_target(term, rest, true, m);
    }
    return bad_term(term, "unknown mechanism");
}

Result<Mechanism> parse_mechanism(std::string_view term) {
    Mechanism m;
    m.text = std::string(term);
    std::string_view body = term;
    if (auto q = qualifier_of(body.front())) {
        m.qualifier = *q;
        body.remove_prefix(1);
    }
    const auto end = std::min(body.find(':'), body.find('/'));
    const auto kind = mechanism_kind(to_lower_ascii(body.substr(0, end)));
    if (!kind) return bad_term(term, "unknown mechanism");
    m.kind = *kind;
    const auto rest = end == std::string_view::npos ? std::string_view{} : body.substr(end);
    auto ok = parse_arguments(term, rest, m);
    if (!ok) return fail(ok.error());
    return m;
}

bool valid_modifier_name(std::string_view name) {
    if (name.empty() || std::isalpha(static_cast<unsigned char>(name.front())) == 0) return false;
    return std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
    });
}

Result<bool> parse_modifier(std::string_view term, std::size_t eq, SpfRecord& record) {
    const auto name = to_lower_ascii(term.substr(0, eq));
    const auto value = term.substr(eq + 1);
    if (!valid_modifier_name(name)) return bad_term(term, "bad modifier name");
    if (name != "redirect" && name != "exp") {
        auto ok = check_macro_string(value, MacroUse::Explanation);
        if (!ok) return bad_term(term, ok.error().message);
        return true;   // RFC 7208 §6: unknown modifiers are ignored
    }
    auto& slot = name == "redirect" ? record.redirect : record.exp;
    if (slot) return bad_term(term, fmt::format("more than one {}= modifier", name));
    if (value.empty()) return bad_term(term, "empty domain");
    auto ok = check_domain_spec(value);
    if (!ok) return bad_term(term, ok.error().message);
    slot = std::string(value);
    return true;
}

Result<bool> parse_term(std::string_view term, SpfRecord& record) {
    for (unsigned char c : term) {
        if (c < 0x21 || c > 0x7e) return bad_term(term, "character outside printable ASCII");
    }
    const auto eq = term.find('=');
    if (eq != std::string_view::npos && eq < term.find_first_of(":/")) {
        return parse_modifier(term, eq, record);
    }
    auto m = parse_mechanism(term);
    if (!m) return fail(m.error());
    record.mechanisms.push_back(std::move(*m));
    return true;
}

}  // namespace

bool Mechanism::queries_dns() const {
    return kind == MechanismKind::Include || kind == MechanismKind::A ||
           kind == MechanismKind::Mx || kind == MechanismKind::Ptr ||
           kind == MechanismKind::Exists;
}

bool is_spf_record(std::string_view txt) {
    if (txt.size() < kVersion.size() || to_lower_ascii(txt.substr(0, kVersion.size())) != kVersion) {
        return false;
    }
    return txt.size() == kVersion.size() || txt[kVersion.size()] == ' ';
}

Result<SpfRecord> parse_spf_record(std::string_view txt) {
    if (txt.size() > limits::kMaxSpfRecord) {
        return fail(ErrorCode::TooLong, fmt::format("SPF record longer than {} bytes",
                                                    limits::kMaxSpfRecord));
    }
    if (!is_spf_record(txt)) return fail(ErrorCode::Invalid, "not an SPF record (v=spf1)");
    SpfRecord record;
    std::string_view rest = txt.substr(kVersion.size());
    while (!rest.empty()) {
        const auto start = rest.find_first_not_of(' ');
        if (start == std::string_view::npos) break;
        rest.remove_prefix(start);
        const auto len = std::min(rest.find(' '), rest.size());
        auto ok = parse_term(rest.substr(0, len), record);
        if (!ok) return fail(ok.error());
        rest.remove_prefix(len);
    }
    return record;
}

}  // namespace mw::spf
