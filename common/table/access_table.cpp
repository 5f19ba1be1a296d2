#include "common/table/access_table.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"
#include "common/net/ip_address.hpp"

namespace mw::table {
namespace {

std::string_view strip_angle_brackets(std::string_view a) {
    if (a.size() >= 2 && a.front() == '<' && a.back() == '>') return a.substr(1, a.size() - 2);
    return a;
}

// Where the address extension starts (Postfix split_addr()): the first delimiter character,
// not at the start, and never for owner-foo / foo-request when "-" is a delimiter.
std::size_t extension_start(std::string_view local, std::string_view delimiters) {
    if (delimiters.empty() || local.empty()) return std::string_view::npos;
    if (delimiters.find('-') != std::string_view::npos &&
        (local.substr(0, 6) == "owner-" || (local.size() > 8 && local.substr(local.size() - 8) == "-request")))
        return std::string_view::npos;
    const auto pos = local.find_first_of(delimiters);
    return pos == 0 ? std::string_view::npos : pos;
}

bool is_address_literal(std::string_view domain) {
    return (!domain.empty() && domain.front() == '[') || net::IpAddress::parse(domain).has_value();
}

}  // namespace

std::vector<std::string> domain_lookup_keys(std::string_view domain, const AccessLookupOptions& options) {
    const std::string d = to_lower_ascii(domain);
    if (d.empty()) return {};
    std::vector<std::string> keys{d};
    if (is_address_literal(d)) return keys;
    // Parent style: "a.b.c", "b.c", "c". Dot style: "a.b.c", ".b.c", ".c".
    std::size_t start = 0;
    for (;;) {
        const auto dot = d.find('.', start + 1);
        if (dot == std::string::npos) break;
        start = options.parent_domain_matches_subdomains ? dot + 1 : dot;
        if (start >= d.size()) break;
        keys.push_back(d.substr(start));
    }
    return keys;
}

std::vector<std::string> access_lookup_keys(std::string_view address, const AccessLookupOptions& options) {
    const std::string a = to_lower_ascii(strip_angle_brackets(address));
    if (a.empty()) return {to_lower_ascii(options.null_sender_key)};
    const auto at = a.rfind('@');
    const std::string local = a.substr(0, at);
    const std::string domain = at == std::string::npos ? std::string() : a.substr(at + 1);
    const auto ext = extension_start(local, options.recipient_delimiter);
    const std::string bare = ext == std::string::npos ? std::string() : local.substr(0, ext);
    std::vector<std::string> keys{a};
    if (!bare.empty() && at != std::string::npos) keys.push_back(bare + "@" + domain);
    for (auto& k : domain_lookup_keys(domain, options)) keys.push_back(std::move(k));
    keys.push_back(local + "@");
    if (!bare.empty()) keys.push_back(bare + "@");
    return keys;
}

Result<void> AccessTable::add(const TableLine& line) {
    const auto [raw_key, value] = split_key_value(line.text);
    if (value.empty()) return fail_at(line.pos, ErrorCode::Invalid, "expected 'KEY ACTION'");
    auto action = parse_access_action(value);
    if (!action) return fail_at(line.pos, action.error().code, action.error().message);
    std::string key = to_lower_ascii(raw_key);
    if (key.size() > 1 && key.front() == '@')
        warnings_.push_back(Error{ErrorCode::Unsupported,
                                  fmt::format("'{}' never matches: access(5) has no @domain pattern; write '{}'",
                                              key, key.substr(1)),
                                  line.pos});
    const auto [it, added] = entries_.try_emplace(std::move(key), Entry{std::move(*action), line.pos});
    if (!added)
        warnings_.push_back(Error{ErrorCode::Invalid,
                                  fmt::format("duplicate key '{}' ignored (first at line {})", it->first,
                                              it->second.pos.line),
                                  line.pos});
    return {};
}

Result<AccessTable> AccessTable::parse(std::string_view text, const std::string& file) {
    auto lines = split_table_text(text, file);
    if (!lines) return fail(lines.error());
    AccessTable table;
    for (const auto& line : *lines)
        if (auto added = table.add(line); !added) return fail(added.error());
    return table;
}

Result<AccessTable> AccessTable::load(const std::string& path) {
    auto text = read_small_file(path, limits::kMaxTableFile);
    if (!text) return fail(text.error());
    return parse(*text, path);
}

std::optional<AccessMatch> AccessTable::find_key(std::string_view key) const {
    const auto it = entries_.find(to_lower_ascii(key));
    if (it == entries_.end()) return std::nullopt;
    return AccessMatch{it->second.action, it->first, it->second.pos};
}

std::optional<AccessMatch> AccessTable::find_address(std::string_view address, const AccessLookupOptions& options) const {
    for (const auto& key : access_lookup_keys(address, options))
        if (auto m = find_key(key)) return m;
    return std::nullopt;
}

std::optional<AccessMatch> AccessTable::find_domain(std::string_view domain, const AccessLookupOptions& options) const {
    for (const auto& key : domain_lookup_keys(domain, options))
        if (auto m = find_key(key)) return m;
    return std::nullopt;
}

}  // namespace mw::table
