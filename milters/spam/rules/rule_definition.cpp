#include "milters/spam/rules/rule_definition.hpp"

#include <string>

#include "common/base/ascii.hpp"
#include "milters/spam/rules/regex_literal.hpp"

namespace mw::spam {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && is_space_ascii(s.front())) s.remove_prefix(1);
    return s;
}

// SA pack_eval_args: bare words are [\d.:A-Za-z-]+.
bool is_bare_arg_char(char c) { return is_alpha(c) || is_digit(c) || c == '.' || c == ':' || c == '-'; }

Result<std::string> take_eval_arg(std::string_view& args) {
    args = trim_left(args);
    if (!args.empty() && (args[0] == '\'' || args[0] == '"')) {
        const auto end = args.find(args[0], 1);
        if (end == std::string_view::npos) return fail(ErrorCode::Invalid, "unterminated eval argument");
        std::string arg(args.substr(1, end - 1));
        args.remove_prefix(end + 1);
        return arg;
    }
    std::size_t n = 0;
    while (n < args.size() && is_bare_arg_char(args[n])) ++n;
    if (n == 0) return fail(ErrorCode::Invalid, "malformed eval argument");
    std::string arg(args.substr(0, n));
    args.remove_prefix(n);
    return arg;
}

Result<std::vector<std::string>> split_eval_args(std::string_view args) {
    std::vector<std::string> out;
    if (trim_left(args).empty()) return out;
    while (!args.empty()) {
        auto arg = take_eval_arg(args);
        if (!arg) return fail(arg.error());
        out.push_back(std::move(*arg));
        args = trim_left(args);
        if (args.empty()) break;
        if (args[0] != ',') return fail(ErrorCode::Invalid, "expected ',' between eval arguments");
        args.remove_prefix(1);
    }
    return out;
}

// Splits "[if-unset: TEXT]" off the end of a pattern (SA: s/\s+\[if-unset:\s+(.+)\]$//).
std::optional<std::string> take_if_unset(std::string_view& pattern) {
    const auto at = pattern.find("[if-unset:");
    if (at == std::string_view::npos || at == 0 || !is_space_ascii(pattern[at - 1]) ||
        pattern.back() != ']')
        return std::nullopt;
    std::string_view text = pattern.substr(at + 10, pattern.size() - at - 11);
    if (text.empty() || !is_space_ascii(text[0])) return std::nullopt;
    text = trim_left(text);
    if (text.empty()) return std::nullopt;
    pattern = pattern.substr(0, at);
    while (!pattern.empty() && is_space_ascii(pattern.back())) pattern.remove_suffix(1);
    return std::string(text);
}

std::optional<HeaderTarget::Modifier> modifier_named(std::string_view name) {
    using M = HeaderTarget::Modifier;
    static constexpr std::pair<std::string_view, M> kNames[] = {
        {"raw", M::Raw}, {"addr", M::Addr}, {"name", M::Name}, {"host", M::Host},
        {"domain", M::Domain}, {"ip", M::Ip}, {"revip", M::Revip}, {"first", M::First},
        {"last", M::Last}};
    for (const auto& [n, m] : kNames)
        if (iequals_ascii(n, name)) return m;
    return std::nullopt;
}

HeaderTarget::Kind kind_of(std::string_view name) {
    using K = HeaderTarget::Kind;
    if (name == "ALL") return K::All;
    if (name == "ToCc") return K::ToCc;
    if (name == "MESSAGEID") return K::MessageId;
    if (name == "EnvelopeFrom") return K::EnvelopeFrom;
    return K::Named;
}

bool is_header_name_char(char c) { return is_word(c) || c == '.' || c == '-'; }

// "Name[:mod[:mod]]" as in add_test: [\w.-]+ then at most two :modifiers (or a lone ':').
Result<HeaderTarget> parse_target(std::string_view spec) {
    HeaderTarget target;
    std::size_t n = 0;
    while (n < spec.size() && is_header_name_char(spec[n])) ++n;
    if (n == 0) return fail(ErrorCode::Invalid, "missing header name");
    target.name = std::string(spec.substr(0, n));
    target.kind = kind_of(target.name);
    spec.remove_prefix(n);
    if (spec == ":") return target;
    while (!spec.empty()) {
        if (spec[0] != ':' || target.modifiers.size() == 2)
            return fail(ErrorCode::Invalid, "invalid header name or modifier");
        const auto next = spec.find(':', 1);
        const auto word = spec.substr(1, next == std::string_view::npos ? spec.npos : next - 1);
        auto mod = modifier_named(word);
        if (!mod) return fail(ErrorCode::Invalid, "invalid header modifier :" + std::string(word));
        target.modifiers.push_back(*mod);
        spec.remove_prefix(1 + word.size());
    }
    return target;
}

// Splits "LHS =~ RHS" / "LHS !~ RHS".
struct Match {
    std::string_view lhs, rhs;
    bool negated = false;
};

Result<Match> split_match(std::string_view value) {
    const auto op = value.find('~');
    if (op == std::string_view::npos || op == 0 || (value[op - 1] != '=' && value[op - 1] != '!'))
        return fail(ErrorCode::Invalid, "expected =~ or !~");
    Match m;
    m.negated = value[op - 1] == '!';
    m.lhs = value.substr(0, op - 1);
    while (!m.lhs.empty() && is_space_ascii(m.lhs.back())) m.lhs.remove_suffix(1);
    m.rhs = trim_left(value.substr(op + 1));
    if (m.rhs.empty()) return fail(ErrorCode::Invalid, "missing pattern");
    return m;
}

Result<void> set_pattern(Rule& rule, std::string_view pattern) {
    auto spec = parse_regex_literal(pattern);
    if (!spec) return fail(spec.error());
    rule.regex = std::move(*spec);
    return {};
}

Result<Rule> eval_rule(RuleType type, std::string_view call) {
    auto eval = parse_eval_call(call);
    if (!eval) return fail(eval.error());
    Rule rule;
    rule.type = type;
    rule.eval = std::move(*eval);
    return rule;
}

Result<Rule> exists_rule(std::string_view header) {
    std::size_t n = 0;
    while (n < header.size() && is_header_name_char(header[n])) ++n;
    if (n == 0 || (n != header.size() && header.substr(n) != ":"))
        return fail(ErrorCode::Invalid, "invalid header name in exists:");
    Rule rule;
    rule.type = RuleType::Header;
    rule.exists_test = true;
    rule.target.name = std::string(header.substr(0, n));
    return rule;
}

}  // namespace

bool is_rule_name(std::string_view name) {
    if (name.empty() || name.size() > 128 || !(is_alpha(name[0]) || name[0] == '_')) return false;
    for (char c : name)
        if (!is_word(c)) return false;
    return true;
}

Result<EvalCall> parse_eval_call(std::string_view text) {
    std::size_t n = 0;
    while (n < text.size() && is_word(text[n])) ++n;
    if (n == 0 || n >= text.size() || text[n] != '(' || text.back() != ')')
        return fail(ErrorCode::Invalid, "eval: expects function(args)");
    auto args = split_eval_args(text.substr(n + 1, text.size() - n - 2));
    if (!args) return fail(args.error());
    return EvalCall{std::string(text.substr(0, n)), std::move(*args)};
}

Result<Rule> parse_header_definition(std::string_view value) {
    if (value.substr(0, 5) == "eval:") return eval_rule(RuleType::Header, value.substr(5));
    if (value.substr(0, 8) == "rbleval:") return eval_rule(RuleType::Header, value.substr(8));
    if (value.substr(0, 7) == "exists:") return exists_rule(value.substr(7));
    auto match = split_match(value);
    if (!match) return fail(match.error());
    auto target = parse_target(match->lhs);
    if (!target) return fail(target.error());
    Rule rule;
    rule.type = RuleType::Header;
    rule.target = std::move(*target);
    rule.negated = match->negated;
    rule.if_unset = take_if_unset(match->rhs);
    if (auto ok = set_pattern(rule, match->rhs); !ok) return fail(ok.error());
    return rule;
}

Result<Rule> parse_pattern_definition(RuleType type, std::string_view value) {
    // SA has no uri evals ("we don't do URI evals yet"): eval: there is a missing delimiter.
    if (type != RuleType::Uri && value.substr(0, 5) == "eval:") return eval_rule(type, value.substr(5));
    Rule rule;
    rule.type = type;
    if (auto ok = set_pattern(rule, value); !ok) return fail(ok.error());
    return rule;
}

Result<Rule> parse_mimeheader_definition(std::string_view value) {
    auto match = split_match(value);
    if (!match) return fail(match.error());
    std::string_view name = match->lhs;
    Rule rule;
    rule.type = RuleType::Mimeheader;
    // MIMEHeader.pm: [^:\s]+ with an optional ":raw" (or bare ':').
    const auto colon = name.find(':');
    if (colon != std::string_view::npos) {
        const auto mod = name.substr(colon + 1);
        if (mod == "raw") rule.target.modifiers.push_back(HeaderTarget::Modifier::Raw);
        else if (!mod.empty()) return fail(ErrorCode::Invalid, "mimeheader allows only :raw");
        name = name.substr(0, colon);
    }
    if (name.empty()) return fail(ErrorCode::Invalid, "missing header name");
    for (char c : name)
        if (is_space_ascii(c)) return fail(ErrorCode::Invalid, "invalid header name");
    rule.target.name = std::string(name);
    rule.negated = match->negated;
    rule.if_unset = take_if_unset(match->rhs);
    if (auto ok = set_pattern(rule, match->rhs); !ok) return fail(ok.error());
    return rule;
}

}  // namespace mw::spam
