// CidrTable: a Postfix cidr_table(5) for client addresses (client_access). "PATTERN RESULT" per
// logical line (table_text rules), tried in file order, first match wins. PATTERN is an IPv4 or
// IPv6 address or CIDR block, optionally in "[]"; host bits beyond the prefix are an error, as
// in Postfix. "if PATTERN" / "if !PATTERN" ... "endif" blocks (Postfix 3.2) make the lines
// inside apply only to addresses that match (or do not match) PATTERN; they nest up to
// kMaxCidrNesting deep. RESULT is an access(5) action (access_action.hpp). An IPv4 client also
// matches IPv4 patterns when it arrives IPv4-mapped (::ffff:a.b.c.d). Bad lines, a stray endif
// and a missing endif are errors at FILE:LINE. Thread-safe once built (const lookups only).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/net/cidr.hpp"
#include "common/net/ip_address.hpp"
#include "common/table/access_action.hpp"
#include "common/table/table_text.hpp"

namespace mw::table {

class CidrTable {
public:
    static Result<CidrTable> parse(std::string_view text, const std::string& file);
    static Result<CidrTable> load(const std::string& path);

    /// The first entry matching `client`, with the pattern as written as the match key.
    std::optional<AccessMatch> find(const net::IpAddress& client) const;
    /// Parses `client` first; an unparsable address matches nothing.
    std::optional<AccessMatch> find(std::string_view client) const;
    std::size_t size() const { return rules_.size(); }

private:
    enum class RuleKind { Match, If, IfNot, Endif };
    struct Rule {
        RuleKind kind = RuleKind::Match;
        net::Cidr cidr;
        std::string pattern;  // as written, for provenance
        AccessAction action;  // Match only
        SourcePos pos;
        std::size_t skip_to = 0;  // If/IfNot: the index after the matching endif
    };
    class Builder;

    std::vector<Rule> rules_;
};

}  // namespace mw::table
