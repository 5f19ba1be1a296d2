#include "policyd/policy_options.hpp"
#include "common/base/ascii.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace mw::policyd {

namespace {

constexpr std::array<std::pair<std::string_view, RejectPolicy>, 6> kRejectPolicies{{
    {"fail", RejectPolicy::Fail},
    {"spf_not_pass", RejectPolicy::SpfNotPass},
    {"softfail", RejectPolicy::Softfail},
    {"null", RejectPolicy::Null},
    {"false", RejectPolicy::False},
    {"no_check", RejectPolicy::NoCheck},
}};

constexpr std::array<std::pair<std::string_view, HeaderType>, 3> kHeaderTypes{{
    {"spf", HeaderType::Spf},
    {"ar", HeaderType::Ar},
    {"none", HeaderType::None},
}};

template <typename Table>
auto find_by_name(const Table& table, std::string_view text)
    -> std::optional<typename Table::value_type::second_type> {
    for (const auto& [name, value] : table)
        if (iequals_ascii(name, text)) return value;
    return std::nullopt;
}

template <typename Table, typename Value>
const char* name_of(const Table& table, Value v) {
    for (const auto& [name, value] : table)
        if (value == v) return name.data();
    return "?";
}

}  // namespace

std::optional<RejectPolicy> parse_reject_policy(std::string_view text) {
    return find_by_name(kRejectPolicies, text);
}

const char* to_string(RejectPolicy p) { return name_of(kRejectPolicies, p); }

std::optional<HeaderType> parse_header_type(std::string_view text) {
    return find_by_name(kHeaderTypes, text);
}

const char* to_string(HeaderType t) { return name_of(kHeaderTypes, t); }

net::CidrSet default_skip_addresses() {
    // Constant text: a failure here is a programming error, caught by the unit tests.
    return net::CidrSet::parse("127.0.0.0/8, ::ffff:127.0.0.0/104, ::1").value();
}

}  // namespace mw::policyd
