#include "milters/dkim/signing_table.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "common/base/ascii.hpp"

namespace mw::dkim {
namespace {

// "example.com" -> "*@example.com"; a domain part ".example.com" -> "*.example.com".
std::string normalize(std::string_view pattern) {
    std::string p = to_lower_ascii(pattern);
    if (p == "*") return p;
    const auto at = p.rfind('@');
    std::string local = at == std::string::npos ? "*" : p.substr(0, at);
    std::string domain = at == std::string::npos ? p : p.substr(at + 1);
    if (!domain.empty() && domain.front() == '.') domain = "*" + domain;
    return local + "@" + domain;
}

bool valid_pattern(std::string_view p) {
    if (p.empty() || std::count(p.begin(), p.end(), '@') > 1) return false;
    const auto at = p.find('@');
    if (at != std::string_view::npos && (at == 0 || at + 1 == p.size())) return false;
    return std::none_of(p.begin(), p.end(), [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || c == 0x7F;
    });
}

}  // namespace

bool glob_match(std::string_view glob, std::string_view text) {
    std::size_t g = 0, t = 0;
    std::size_t star = std::string_view::npos, resume = 0;
    while (t < text.size()) {
        if (g < glob.size() && glob[g] == '*') {
            star = g++;
            resume = t;
        } else if (g < glob.size() && to_lower_ascii(glob[g]) == to_lower_ascii(text[t])) {
            ++g;
            ++t;
        } else if (star != std::string_view::npos) {
            g = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*') ++g;
    return g == glob.size();
}

Result<SigningRule> parse_signing_table_line(std::string_view line) {
    const auto space = line.find_first_of(" \t");
    if (space == std::string_view::npos) return fail(ErrorCode::Invalid, "expected 'PATTERN KEYNAME'");
    SigningRule rule;
    rule.pattern = std::string(line.substr(0, space));
    std::string_view key = line.substr(space);
    while (!key.empty() && (key.front() == ' ' || key.front() == '\t')) key.remove_prefix(1);
    if (!valid_pattern(rule.pattern)) return fail(ErrorCode::Invalid, fmt::format("bad pattern '{}'", rule.pattern));
    if (key.empty() || key.find_first_of(" \t") != std::string_view::npos)
        return fail(ErrorCode::Invalid, fmt::format("pattern '{}': expected one KEYNAME", rule.pattern));
    rule.key_name = std::string(key);
    rule.glob = normalize(rule.pattern);
    return rule;
}

Result<SigningTable> SigningTable::from_lines(const std::vector<table::TableLine>& lines) {
    SigningTable table;
    for (const auto& line : lines) {
        auto rule = parse_signing_table_line(line.text);
        if (!rule) return table::fail_at(line.pos, rule.error().code, rule.error().message);
        rule->pos = line.pos;
        table.rules_.push_back(std::move(*rule));
    }
    return table;
}

Result<SigningTable> SigningTable::parse(std::string_view text, const std::string& file) {
    auto lines = table::split_table_text(text, file, kOpenDkimTableText);
    if (!lines) return fail(lines.error());
    return from_lines(*lines);
}

Result<SigningTable> SigningTable::load(const std::string& path) {
    auto lines = table::read_table_file(path, kOpenDkimTableText);
    if (!lines) return fail(lines.error());
    return from_lines(*lines);
}

std::vector<std::string> SigningTable::find_all(std::string_view address) const {
    std::vector<std::string> keys;
    for (const auto& r : rules_) {
        if (!glob_match(r.glob, address)) continue;
        if (std::find(keys.begin(), keys.end(), r.key_name) == keys.end()) keys.push_back(r.key_name);
    }
    return keys;
}

std::vector<std::string> SigningTable::find_first(std::string_view address) const {
    for (const auto& r : rules_)
        if (glob_match(r.glob, address)) return {r.key_name};
    return {};
}

Result<void> SigningTable::check_keys(const KeyTable& keys) const {
    for (const auto& r : rules_)
        if (!keys.find(r.key_name))
            return table::fail_at(r.pos, ErrorCode::NotFound, fmt::format("key '{}' is not in the key table", r.key_name));
    return {};
}

}  // namespace mw::dkim
