#include "milters/dkim/params.hpp"

#include "common/config/common_params.hpp"

namespace mw::dkim {

namespace {

constexpr const char* kActionChoices = "accept|reject|tempfail|hold|discard";
constexpr const char* kCanonChoices =
    "relaxed/relaxed|relaxed/simple|simple/relaxed|simple/simple|relaxed|simple";

config::ParamTable own_params() {
    using T = config::ParamType;
    return {
        {"key_table", T::String, "",
         "OpenDKIM KeyTable file: KEYNAME DOMAIN:SELECTOR:KEYFILE per line (with signing_table)"},
        {"signing_table", T::String, "",
         "OpenDKIM SigningTable file (refile patterns): PATTERN KEYNAME per line (with key_table)"},
        {"domain", T::List, "",
         "One-domain shortcut instead of the tables: From: domains signed with selector and key_file"},
        {"selector", T::String, "", "Selector (s=) of the one-domain shortcut"},
        {"key_file", T::String, "", "Private key (PEM) of the one-domain shortcut"},
        {"require_safe_keys", T::Bool, "yes",
         "Refuse private key files readable by group or others or owned by another user"},
        {"canonicalization", T::Choice, "relaxed/relaxed", "Header/body canonicalization (c=) when signing",
         kCanonChoices},
        {"sign_headers", T::List, "",
         "Header fields to sign; empty: RFC 6376 section 5.4.1's list plus Message-ID and MIME fields"},
        {"oversign_headers", T::List, "From",
         "Header fields signed once more than present, so an added one breaks the signature"},
        {"signature_ttl", T::Duration, "0", "Signature lifetime (x= = t= + this); 0: no x=", "", 0,
         315360000},
        {"originating_daemon_name", T::String, "ORIGINATING",
         "Postfix {daemon_name} of the submission service: its mail is signed"},
        {"verify_time", T::Duration, "10s", "Time budget for all key lookups of one message", "", 1, 60},
        {"action_domains", T::List, "",
         "From: domains (and subdomains) the on_* actions apply to, counting only aligned signatures; "
         "empty: every message and signature"},
        {"on_fail", T::Choice, "accept", "Inbound mail whose signatures all failed: accept, reject, tempfail, "
         "hold or discard", kActionChoices},
        {"on_permerror", T::Choice, "accept", "Inbound mail whose signatures are all unusable (no key, bad tags)",
         kActionChoices},
        {"on_temperror", T::Choice, "accept", "Inbound mail whose keys could not be fetched in verify_time",
         kActionChoices},
        {"on_none", T::Choice, "accept", "Inbound mail without a (counted) signature; useful with action_domains",
         kActionChoices},
    };
}

}  // namespace

const config::ParamTable& dkim_params() {
    static const config::ParamTable table = config::milter_params(kDefaultListen, own_params());
    return table;
}

}  // namespace mw::dkim
