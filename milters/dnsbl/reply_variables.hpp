// ReplyVariables: the values a DNS list reply template may use, named as Postfix's
// rbl_reply_maps / default_rbl_reply variables (postconf(5)): $client_address $client_name
// $reverse_client_name $helo_name $sender $recipient $rbl_class $rbl_code $rbl_domain
// $rbl_reason $rbl_txt (= $rbl_reason, LaMont compatibility) $rbl_what.
// Pure; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mw::dnsbl {

struct SiteOutcome;

/// Postfix's default_rbl_reply, character for character.
inline constexpr std::string_view kDefaultRblReply =
    "$rbl_code Service unavailable; $rbl_class [$rbl_what] blocked using "
    "$rbl_domain${rbl_reason?; $rbl_reason}";

struct ReplyVariables {
    std::string client_address;
    std::string client_name;
    std::string reverse_client_name;
    std::string helo_name;
    std::string sender;
    std::string recipient;
    std::string rbl_class;
    std::string rbl_code = "554";  // Postfix's maps_rbl_reject_code default
    std::string rbl_domain;
    std::string rbl_reason;
    std::string rbl_what;

    /// The value of $name, or nullopt for a name that is not a variable.
    std::optional<std::string_view> lookup(std::string_view name) const;
    /// True when `name` is one of the variables above (templates naming others are bad).
    static bool is_known(std::string_view name);
    /// Sets rbl_class, rbl_domain (the display zone), rbl_reason and rbl_what from a listing.
    void set_listing(const SiteOutcome& outcome);
};

}  // namespace mw::dnsbl
