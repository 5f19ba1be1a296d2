#include "common/table/cidr_table.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"

namespace mw::table {
namespace {

// cidr_table(5) allows "[2001:db8::]/32" and "[192.0.2.1]".
std::string unbracket(std::string_view pattern) {
    if (pattern.empty() || pattern.front() != '[') return std::string(pattern);
    const auto close = pattern.find(']');
    if (close == std::string_view::npos) return std::string(pattern);
    return std::string(pattern.substr(1, close - 1)) + std::string(pattern.substr(close + 1));
}

Result<net::Cidr> parse_pattern(std::string_view pattern) {
    auto cidr = net::Cidr::parse(unbracket(pattern));
    if (!cidr) return fail(ErrorCode::Invalid, fmt::format("bad address pattern: {}", cidr.error().message));
    return cidr;
}

}  // namespace

// Turns logical lines into rules, pairing each if with its endif.
class CidrTable::Builder {
public:
    Result<void> add(const TableLine& line) {
        const auto [word, rest] = split_key_value(line.text);
        const std::string w = to_lower_ascii(word);
        if (w == "endif") return end_block(line, rest);
        if (w == "if") return begin_block(line, rest);
        return add_match(line, word, rest);
    }

    Result<CidrTable> finish(const std::string& file) {
        if (!open_.empty()) {
            const auto& pos = table_.rules_[open_.back()].pos;
            return fail_at(pos, ErrorCode::Invalid, fmt::format("'if' without 'endif' (at end of {})", file));
        }
        return std::move(table_);
    }

private:
    Result<void> begin_block(const TableLine& line, std::string_view rest) {
        if (rest.empty() || rest.find_first_of(" \t") != std::string_view::npos)
            return fail_at(line.pos, ErrorCode::Invalid, "expected 'if PATTERN' or 'if !PATTERN'");
        if (open_.size() == static_cast<std::size_t>(limits::kMaxCidrNesting))
            return fail_at(line.pos, ErrorCode::TooLong, fmt::format("'if' nested deeper than {}", limits::kMaxCidrNesting));
        const bool negated = rest.front() == '!';
        auto cidr = parse_pattern(negated ? rest.substr(1) : rest);
        if (!cidr) return fail_at(line.pos, cidr.error().code, cidr.error().message);
        open_.push_back(table_.rules_.size());
        table_.rules_.push_back(Rule{negated ? RuleKind::IfNot : RuleKind::If, *cidr, std::string(rest), {}, line.pos});
        return {};
    }

    Result<void> end_block(const TableLine& line, std::string_view rest) {
        if (!rest.empty()) return fail_at(line.pos, ErrorCode::Invalid, "text after 'endif'");
        if (open_.empty()) return fail_at(line.pos, ErrorCode::Invalid, "'endif' without 'if'");
        table_.rules_.push_back(Rule{RuleKind::Endif, {}, {}, {}, line.pos});
        table_.rules_[open_.back()].skip_to = table_.rules_.size();
        open_.pop_back();
        return {};
    }

    Result<void> add_match(const TableLine& line, std::string_view pattern, std::string_view result) {
        if (result.empty()) return fail_at(line.pos, ErrorCode::Invalid, "expected 'PATTERN RESULT'");
        auto cidr = parse_pattern(pattern);
        if (!cidr) return fail_at(line.pos, cidr.error().code, cidr.error().message);
        auto action = parse_access_action(result);
        if (!action) return fail_at(line.pos, action.error().code, action.error().message);
        if (table_.rules_.size() == limits::kMaxTableEntries)
            return fail_at(line.pos, ErrorCode::TooLong, fmt::format("more than {} entries", limits::kMaxTableEntries));
        table_.rules_.push_back(Rule{RuleKind::Match, *cidr, std::string(pattern), std::move(*action), line.pos});
        return {};
    }

    CidrTable table_;
    std::vector<std::size_t> open_;  // indexes of the if rules not yet closed
};

Result<CidrTable> CidrTable::parse(std::string_view text, const std::string& file) {
    auto lines = split_table_text(text, file);
    if (!lines) return fail(lines.error());
    Builder builder;
    for (const auto& line : *lines)
        if (auto added = builder.add(line); !added) return fail(added.error());
    return builder.finish(file);
}

Result<CidrTable> CidrTable::load(const std::string& path) {
    auto text = read_small_file(path, limits::kMaxTableFile);
    if (!text) return fail(text.error());
    return parse(*text, path);
}

std::optional<AccessMatch> CidrTable::find(const net::IpAddress& client) const {
    std::size_t i = 0;
    while (i < rules_.size()) {
        const Rule& r = rules_[i];
        const bool hit = r.kind != RuleKind::Endif && r.cidr.contains(client);
        if (r.kind == RuleKind::Match && hit) return AccessMatch{r.action, r.pattern, r.pos};
        const bool skip_block = (r.kind == RuleKind::If && !hit) || (r.kind == RuleKind::IfNot && hit);
        i = skip_block ? r.skip_to : i + 1;
    }
    return std::nullopt;
}

std::optional<AccessMatch> CidrTable::find(std::string_view client) const {
    const auto ip = net::IpAddress::parse(client);
    if (!ip) return std::nullopt;
    return find(*ip);
}

}  // namespace mw::table
