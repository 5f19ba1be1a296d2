#include "milters/spam/params.hpp"

#include "common/config/common_params.hpp"

namespace mw::spam {

namespace {

config::ParamTable own_params() {
    using T = config::ParamType;
    return {
        {"rules_dir", T::String, "auto",
         "SpamAssassin's stock rules: a directory of .cf files; auto: the newest sa-update tree under "
         "/var/lib/spamassassin if there is one, else /usr/share/spamassassin"},
        {"site_rules_dir", T::String, "/etc/spamassassin",
         "Site configuration read after the stock rules (its *.cf, e.g. local.cf); empty: none"},
        {"local_rules", T::List, "", "More .cf files or directories, read last (they override)"},
        {"required_score", T::Number, "5.0", "Score at which a message is spam (X-Spam-Flag: YES)", "", -1000, 1000},
        {"reject_score", T::Number, "0", "Score at which a message is refused (550 5.7.1) at end of data; 0: never",
         "", 0, 1000},
        {"quarantine_score", T::Number, "0", "Score at which a message is put on Postfix's hold queue; 0: never",
         "", 0, 1000},
        {"subject_tag", T::String, "", "Text put before the Subject of spam, e.g. ***SPAM***; empty: none"},
        {"add_report", T::Bool, "no", "Add X-Spam-Report: every rule hit with its score and description"},
        {"max_message_size", T::Int, "524288",
         "Bytes; a larger message is passed unscanned with a header saying so (spamc's default)", "", 1024,
         256LL * 1024 * 1024},
        {"scan_timeout", T::Duration, "10s", "Time bound of one message's scan; the rules run so far count",
         "", 1, 300},
        {"authenticated_clients", T::Choice, "skip",
         "SASL-authenticated clients: skip (no scan), score (headers only, never refused or held) or scan",
         "skip|score|scan"},
        {"internal_clients", T::Choice, "skip",
         "Clients in internal_hosts: skip (no scan), score (headers only) or scan", "skip|score|scan"},
        {"trusted_networks", T::Cidrs, "",
         "SpamAssassin's trusted_networks: relays whose Received fields are believed; empty: inferred as "
         "SpamAssassin does (private addresses and the first hop)"},
        {"dnsbl_header", T::String, "X-Mailwarden-DNSBL",
         "mailwarden-dnsbl's score header (score_only mode); its score counts as rule MW_DNSBL; empty: ignored"},
        {"dnsbl_weight", T::Number, "1", "Points per point of the dnsbl_header score", "", 0, 100},
    };
}

}  // namespace

const config::ParamTable& spam_params() {
    static const config::ParamTable table = config::milter_params(kDefaultListen, own_params());
    return table;
}

}  // namespace mw::spam
