#include "milters/dnsbl/params.hpp"

#include <string>

#include "common/base/limits.hpp"
#include "common/config/common_params.hpp"
#include "milters/dnsbl/reply_variables.hpp"

namespace mw::dnsbl {

namespace {

config::ParamTable own_params() {
    using T = config::ParamType;
    constexpr long long kWeight = limits::kMaxDnsblWeight * static_cast<long long>(limits::kMaxDnsblSites);
    return {
        {"dnsbl_sites", T::List, "",
         "DNS lists asked about the client address, postscreen syntax: zone[=filter][*weight], ..."},
        {"rhsbl_sender_sites", T::List, "", "Domain lists asked about the envelope sender's domain (same syntax)"},
        {"rhsbl_helo_sites", T::List, "", "Domain lists asked about the HELO name"},
        {"rhsbl_client_sites", T::List, "", "Domain lists asked about the client's verified reverse name"},
        {"rhsbl_from_sites", T::List, "", "Domain lists asked about the From: header's domain (decided after the headers)"},
        {"dqs_key", T::String, "", "Spamhaus DQS key replacing $dqs_key in zone names; never logged or shown"},
        {"dnsbl_threshold", T::Int, "1", "Score at which a client is blocked", "", 1, kWeight},
        {"dnsbl_allowlist_threshold", T::Int, "0",
         "Score at or below which a client is allowlisted (never blocked by the lists); 0: off", "", -kWeight, 0},
        {"dnsbl_timeout", T::Duration, "5s", "Time budget for all lists of one check (each query: dns_timeout)",
         "", 1, 60},
        {"dnsbl_min_ttl", T::Duration, "60s", "Answers are cached at least this long", "", 0, 86400},
        {"dnsbl_max_ttl", T::Duration, "1h", "Answers are cached at most this long; 0: no cache", "", 0, 604800},
        {"dnsbl_cache_size", T::Int, "100000", "Cached answers at most", "", 0,
         static_cast<long long>(limits::kMaxDnsCacheEntries)},
        {"dns_failure_action", T::Choice, "accept",
         "When every list failed or timed out: accept, or tempfail (451)", "accept|tempfail"},
        {"reject_stage", T::Choice, "rcpt",
         "Where a listed client is refused: connect, helo, mail or rcpt (rcpt logs sender and recipient)",
         "connect|helo|mail|rcpt"},
        {"default_rbl_reply", T::String, std::string(kDefaultRblReply),
         "Reply template for a listed client, Postfix's default_rbl_reply and its $rbl_* variables"},
        {"rbl_reply_maps", T::String, "", "File of 'zone template' lines: a reply per list (Postfix rbl_reply_maps)"},
        {"score_only", T::Bool, "no", "Reject nothing for the lists: add the score header for the spam milter"},
        {"score_header", T::String, "X-Mailwarden-DNSBL", "Header field of score_only mode"},
        {"always_accept_recipients", T::List, "postmaster, abuse",
         "Recipients never refused: local parts (any domain) or full addresses"},
        {"allow_clients", T::Cidrs, "", "Clients that skip the DNS lists"},
        {"allow_sender_domains", T::List, "", "Envelope sender domains (and subdomains) that skip the DNS lists"},
        {"skip_authenticated", T::Bool, "yes", "Skip every check for SASL-authenticated clients"},
        {"client_access", T::List, "", "cidr_table(5) files for the client address, searched in order"},
        {"sender_access", T::List, "", "access(5) text files for the envelope sender, searched in order"},
        {"check_from_header", T::Bool, "no", "Also look up the From: address in sender_access"},
        {"parent_domain_matches_subdomains", T::Bool, "yes",
         "A 'domain' entry in sender_access also matches subdomains (Postfix 3.7 default); no: use '.domain'"},
        {"recipient_delimiter", T::String, "", "Postfix's recipient_delimiter, for user+ext@ lookups"},
        {"smtpd_null_access_lookup_key", T::String, "<>", "Lookup key of the null sender in sender_access"},
        {"table_check_interval", T::Duration, "1s", "How often table files are checked for changes", "", 0, 3600},
    };
}

}  // namespace

const config::ParamTable& dnsbl_params() {
    static const config::ParamTable table = config::milter_params(kDefaultListen, own_params());
    return table;
}

}  // namespace mw::dnsbl
