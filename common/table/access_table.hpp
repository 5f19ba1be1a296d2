// AccessTable: a Postfix access(5) table for envelope addresses (check_sender_access), read from
// the text file the admin edits (no postmap'd .db). "KEY ACTION" per logical line (table_text
// rules: "#" comments, continuation lines); keys are lower-cased. A duplicate key keeps the first
// entry and is reported in warnings(), as postmap(1) warns. Actions: access_action.hpp. Bad lines
// (no action, an unsupported action) are errors at FILE:LINE.
//
// find_address() tries keys in smtpd_check.c's check_mail_access() order (access(5) "EMAIL
// ADDRESS PATTERNS" and "EMAIL ADDRESS EXTENSION"):
//   user+ext@domain, user@domain, domain and its parents, user+ext@, user@
// With parent_domain_matches_subdomains (Postfix 3.7's default includes smtpd_access_maps) a
// bare "domain" entry also matches its subdomains and ".domain" entries are never consulted;
// without it "domain" matches only itself and ".domain" entries match subdomains. Parent domains
// are not tried for an address literal's domain. The null sender is looked up as the single key
// null_sender_key ("<>", smtpd_null_access_lookup_key). An address without "@" is tried as is,
// then as "user@" (Postfix would first append @$myorigin, which a milter does not know).
//
// "@domain" is NOT an access(5) pattern (it is virtual(5)/canonical(5) syntax): Postfix never
// looks it up, so here too it never matches. It loads (the file is shared with Postfix) and is
// reported in warnings() so the admin learns that the line does nothing.
// Thread-safe once built (const lookups only).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/table/access_action.hpp"
#include "common/table/table_text.hpp"

namespace mw::table {

struct AccessLookupOptions {
    bool parent_domain_matches_subdomains = true;  // Postfix 3.7 default for smtpd_access_maps
    std::string recipient_delimiter;               // Postfix recipient_delimiter: any of these characters; "" = none
    std::string null_sender_key = "<>";            // Postfix smtpd_null_access_lookup_key
};

class AccessTable {
public:
    static Result<AccessTable> parse(std::string_view text, const std::string& file);
    static Result<AccessTable> load(const std::string& path);

    /// Looks up one exact key (lower-cased by the caller or not: keys are case-insensitive).
    std::optional<AccessMatch> find_key(std::string_view key) const;
    /// Looks up an envelope address (without or with <>) in check_mail_access() order.
    std::optional<AccessMatch> find_address(std::string_view address, const AccessLookupOptions& options = {}) const;
    /// Looks up a host name and its parent domains, as check_domain_access() does.
    std::optional<AccessMatch> find_domain(std::string_view domain, const AccessLookupOptions& options = {}) const;

    std::size_t size() const { return entries_.size(); }
    /// Lines that load but do nothing ("@domain" keys, duplicates), as FILE:LINE errors.
    const std::vector<Error>& warnings() const { return warnings_; }

private:
    struct Entry {
        AccessAction action;
        SourcePos pos;
    };
    Result<void> add(const TableLine& line);

    std::map<std::string, Entry, std::less<>> entries_;
    std::vector<Error> warnings_;
};

/// The keys find_address() tries, in order (exposed for tests and `mailwarden why`).
std::vector<std::string> access_lookup_keys(std::string_view address, const AccessLookupOptions& options = {});
/// The keys find_domain() tries, in order.
std::vector<std::string> domain_lookup_keys(std::string_view domain, const AccessLookupOptions& options = {});

}  // namespace mw::table
