// The settings of the SPF policy, as plain data: policyd-spf's options (policyd-spf.conf(5),
// spf_engine 3.0) under lower_snake names, plus mailwarden's own (skip_sasl, dry_run,
// defer_if_permit). The lead's config code fills this from the Param table; defaults here
// equal policyd-spf's defaults. Not carried over: Prospective, No_Mail, Mock, per-user
// settings, *_pass_restriction, Lookup_Time (the caller's Deadline bounds each check).
// Plain data; thread-compatible (share as const).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net/cidr.hpp"

namespace mw::policyd {

/// policyd-spf's HELO_reject / Mail_From_reject values.
enum class RejectPolicy {
    Fail,        // reject fail
    SpfNotPass,  // reject fail, softfail, neutral
    Softfail,    // reject fail, softfail
    Null,        // HELO only: reject fail only for the null sender (with a sender: no action)
    False,       // never reject, header only (permerror_reject/temperror_defer ignored)
    NoCheck,     // do not check this identity
};

/// Accepts policyd-spf spellings ("SPF_Not_Pass", "No_Check") in any case.
std::optional<RejectPolicy> parse_reject_policy(std::string_view text);
/// Lower_snake: "fail", "spf_not_pass", "softfail", "null", "false", "no_check".
const char* to_string(RejectPolicy p);

enum class HeaderType { Spf, Ar, None };
std::optional<HeaderType> parse_header_type(std::string_view text);  // spf | ar | none
const char* to_string(HeaderType t);

/// 127.0.0.0/8, ::ffff:127.0.0.0/104, ::1 (policyd-spf's skip_addresses default).
net::CidrSet default_skip_addresses();

struct PolicyOptions {
    RejectPolicy helo_reject = RejectPolicy::Fail;
    RejectPolicy mail_from_reject = RejectPolicy::Fail;
    bool permerror_reject = false;           // PermError_reject
    bool temperror_defer = false;            // TempError_Defer
    bool defer_if_permit = true;             // temperror: DEFER_IF_PERMIT (policyd-spf) or 451
    bool enhanced_status_codes = true;       // SPF_Enhanced_Status_Codes: RFC 7372 codes

    net::CidrSet skip_addresses = default_skip_addresses();
    net::CidrSet whitelist;                  // Whitelist: client CIDRs not checked
    std::vector<std::string> helo_whitelist;          // HELO names, forward-confirmed by Postfix
    std::vector<std::string> domain_whitelist;        // client passes SPF for one of these
    std::vector<std::string> domain_whitelist_ptr;    // client_name in these domains
    std::vector<std::string> reject_not_pass_domains; // these domains: treated as SPF_Not_Pass
    bool skip_sasl = true;                   // no check when sasl_username is set

    HeaderType header_type = HeaderType::Spf;
    bool hide_receiver = false;              // Hide_Receiver: no receiver= and no name in texts
    std::string receiver;                    // our host name: %{r}, receiver=, comments
    std::string authserv_id;                 // Authserv_Id for header_type = ar

    /// Reason_Message: {rejectdefer} ("rejected"/"deferred"), {spf} (the SPF reason), {url}.
    std::string reason_message = "Message {rejectdefer} due to: {spf}. Please see {url}";
    /// {url}: {scope} ("helo"/"mfrom"), {id} (HELO name or sender), {ip}, {receiver}.
    /// openspf.net (policyd-spf's host) is gone; open-spf.org is its successor.
    std::string reason_url = "https://www.open-spf.org/Why?s={scope};id={id};ip={ip};r={receiver}";

    bool dry_run = false;                    // decide and log, but reject and defer nothing
};

}  // namespace mw::policyd
