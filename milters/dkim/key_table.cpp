#include "milters/dkim/key_table.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"

namespace mw::dkim {
namespace {

constexpr bool is_ldh(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::string directory_of(const std::string& file) {
    const auto slash = file.rfind('/');
    return slash == std::string::npos ? std::string(".") : file.substr(0, slash);
}

}  // namespace

bool is_dns_name(std::string_view name) {
    if (name.empty() || name.size() > limits::kMaxDnsName) return false;
    std::size_t label = 0;
    for (char c : name) {
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
            continue;
        }
        if (!is_ldh(c) || ++label > limits::kMaxDnsLabel) return false;
    }
    return label > 0;
}

Result<KeyTableEntry> parse_key_table_line(std::string_view line) {
    const auto space = line.find_first_of(" \t");
    if (space == std::string_view::npos)
        return fail(ErrorCode::Invalid, "expected 'KEYNAME DOMAIN:SELECTOR:KEYFILE'");
    KeyTableEntry e;
    e.name = std::string(line.substr(0, space));
    std::string_view value = line.substr(space);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    const auto c1 = value.find(':');
    const auto c2 = c1 == std::string_view::npos ? c1 : value.find(':', c1 + 1);
    if (c2 == std::string_view::npos)
        return fail(ErrorCode::Invalid, fmt::format("key '{}': expected DOMAIN:SELECTOR:KEYFILE", e.name));
    e.domain = to_lower_ascii(value.substr(0, c1));
    e.selector = std::string(value.substr(c1 + 1, c2 - c1 - 1));
    e.key_file = std::string(value.substr(c2 + 1));
    if (!is_dns_name(e.domain)) return fail(ErrorCode::Invalid, fmt::format("key '{}': bad domain '{}'", e.name, e.domain));
    if (!is_dns_name(e.selector))
        return fail(ErrorCode::Invalid, fmt::format("key '{}': bad selector '{}'", e.name, e.selector));
    if (e.key_file.empty() || e.key_file.find_first_of(" \t") != std::string::npos)
        return fail(ErrorCode::Invalid, fmt::format("key '{}': bad key file '{}'", e.name, e.key_file));
    return e;
}

Result<KeyTable> KeyTable::from_lines(const std::vector<table::TableLine>& lines, const std::string& file) {
    KeyTable table;
    for (const auto& line : lines) {
        auto e = parse_key_table_line(line.text);
        if (!e) return table::fail_at(line.pos, e.error().code, e.error().message);
        if (table.find(e->name))
            return table::fail_at(line.pos, ErrorCode::Invalid, fmt::format("duplicate key name '{}'", e->name));
        if (e->key_file.front() != '/') e->key_file = directory_of(file) + "/" + e->key_file;
        e->pos = line.pos;
        table.index_.emplace(e->name, table.entries_.size());
        table.entries_.push_back(std::move(*e));
    }
    return table;
}

Result<KeyTable> KeyTable::parse(std::string_view text, const std::string& file) {
    auto lines = table::split_table_text(text, file, kOpenDkimTableText);
    if (!lines) return fail(lines.error());
    return from_lines(*lines, file);
}

Result<KeyTable> KeyTable::load(const std::string& path) {
    auto lines = table::read_table_file(path, kOpenDkimTableText);
    if (!lines) return fail(lines.error());
    return from_lines(*lines, path);
}

const KeyTableEntry* KeyTable::find(std::string_view name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? nullptr : &entries_[it->second];
}

}  // namespace mw::dkim
