#include "milters/spam/rules/freemail_settings.hpp"

#include "common/base/ascii.hpp"
#include "milters/spam/rules/rule_attributes.hpp"

namespace mw::spam {

namespace {

bool is_word_byte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// SA's check for an entry: /\w[.@]\w/ somewhere.
bool looks_like_address_or_domain(std::string_view s) {
    for (std::size_t i = 1; i + 1 < s.size(); ++i)
        if ((s[i] == '.' || s[i] == '@') && is_word_byte(s[i - 1]) && is_word_byte(s[i + 1])) return true;
    return false;
}

}  // namespace

double* freemail_number(FreemailSettings& settings, std::string_view key) {
    if (key == "freemail_max_body_emails") return &settings.max_body_emails;
    if (key == "freemail_max_body_freemails") return &settings.max_body_freemails;
    if (key == "freemail_skip_when_over_max") return &settings.skip_when_over_max;
    if (key == "freemail_skip_bulk_envfrom") return &settings.skip_bulk_envfrom;
    return nullptr;
}

Result<void> add_freemail_welcomelist(FreemailSettings& settings, std::string_view value) {
    std::string_view rejected;
    // Bounded by the line (kMaxSpamRuleLine): each turn takes one word off it.
    for (auto rest = value; !rest.empty();) {
        auto [entry, tail] = split_name(rest);
        rest = tail;
        if (entry.empty()) break;
        if (looks_like_address_or_domain(entry)) settings.welcomelist.insert(to_lower_ascii(entry));
        else if (rejected.empty()) rejected = entry;
    }
    if (!rejected.empty()) return fail(ErrorCode::Invalid, "invalid entry " + std::string(rejected));
    return {};
}

}  // namespace mw::spam
