// SigningTable: which keys sign mail from which author address, OpenDKIM's SigningTable read as
// a "refile:" table: "PATTERN KEYNAME" per line, patterns tried in file order.
//   *@example.com     any address at example.com          ("*" matches any run of characters)
//   *@.example.com    any address at a subdomain of example.com (not example.com itself)
//   user@example.com  that address only;  sales-*@example.com  a wildcard local part
//   example.com       the domain alone (= *@example.com);  .example.com  its subdomains
//   *                 everything
// Matching is case-insensitive. find_all() gives every matching key (in file order, each once)
// for dual signing, as OpenDKIM's MultipleSignatures; find_first() the first. Errors at
// FILE:LINE; check_keys() reports a KEYNAME missing from the KeyTable at its line. Pure but for
// load(); thread-safe once built.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "milters/dkim/key_table.hpp"
#include "common/table/table_text.hpp"

namespace mw::dkim {

struct SigningRule {
    std::string pattern;   // as written
    std::string glob;      // normalized: lower case, "local@domain" form with "*" wildcards
    std::string key_name;
    SourcePos pos;
};

/// Parses one significant line ("PATTERN KEYNAME"); errors without position.
Result<SigningRule> parse_signing_table_line(std::string_view line);
/// Case-insensitive glob match, "*" = any run of characters (iterative, O(n*m) worst case).
bool glob_match(std::string_view glob, std::string_view text);

class SigningTable {
public:
    static Result<SigningTable> parse(std::string_view text, const std::string& file);
    static Result<SigningTable> load(const std::string& path);

    /// Every key name whose pattern matches `address` ("local@domain"), in file order, once each.
    std::vector<std::string> find_all(std::string_view address) const;
    std::vector<std::string> find_first(std::string_view address) const;
    /// Errors at the first line naming a key that `keys` does not have.
    Result<void> check_keys(const KeyTable& keys) const;
    const std::vector<SigningRule>& rules() const { return rules_; }

private:
    static Result<SigningTable> from_lines(const std::vector<table::TableLine>& lines);
    std::vector<SigningRule> rules_;
};

}  // namespace mw::dkim
