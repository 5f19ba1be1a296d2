#include "milters/dnsbl/reply_variables.hpp"

#include <array>
#include <utility>

#include "milters/dnsbl/dnsbl_result.hpp"

namespace mw::dnsbl {

namespace {

using Member = std::string ReplyVariables::*;

constexpr std::array<std::pair<std::string_view, Member>, 12> kVariables{{
    {"client_address", &ReplyVariables::client_address},
    {"client_name", &ReplyVariables::client_name},
    {"reverse_client_name", &ReplyVariables::reverse_client_name},
    {"helo_name", &ReplyVariables::helo_name},
    {"sender", &ReplyVariables::sender},
    {"recipient", &ReplyVariables::recipient},
    {"rbl_class", &ReplyVariables::rbl_class},
    {"rbl_code", &ReplyVariables::rbl_code},
    {"rbl_domain", &ReplyVariables::rbl_domain},
    {"rbl_reason", &ReplyVariables::rbl_reason},
    {"rbl_txt", &ReplyVariables::rbl_reason},  // Postfix: same text as $rbl_reason
    {"rbl_what", &ReplyVariables::rbl_what},
}};

}  // namespace

std::optional<std::string_view> ReplyVariables::lookup(std::string_view name) const {
    for (const auto& [var, member] : kVariables)
        if (var == name) return std::string_view(this->*member);
    return std::nullopt;
}

bool ReplyVariables::is_known(std::string_view name) {
    for (const auto& entry : kVariables)
        if (entry.first == name) return true;
    return false;
}

void ReplyVariables::set_listing(const SiteOutcome& outcome) {
    rbl_class = mw::dnsbl::rbl_class(outcome.site.target);
    rbl_domain = outcome.site.display_zone;
    rbl_reason = outcome.reason;
    rbl_what = outcome.what;
}

}  // namespace mw::dnsbl
