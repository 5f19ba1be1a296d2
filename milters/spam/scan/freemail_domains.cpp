#include "milters/spam/scan/freemail_domains.hpp"

#include "common/base/ascii.hpp"

namespace mw::spam {

bool freemail_glob_match(std::string_view pattern, std::string_view text) {
    while (!pattern.empty()) {
        if (pattern[0] == '*') {
            // Try every split of the dot-free run; the recursion depth is bounded by the '*'s.
            for (std::size_t n = 0;; ++n) {
                if (freemail_glob_match(pattern.substr(1), text.substr(n))) return true;
                if (n >= text.size() || text[n] == '.') return false;
            }
        }
        if (text.empty() || (pattern[0] != '?' && pattern[0] != text[0])) return false;
        pattern.remove_prefix(1);
        text.remove_prefix(1);
    }
    return text.empty();
}

FreemailDomains::FreemailDomains(const std::vector<std::string>& domains) {
    for (const auto& d : domains) {
        std::string lower = to_lower_ascii(d);
        if (lower.find_first_of("*?") != std::string::npos) wildcards_.push_back(std::move(lower));
        else exact_.insert(std::move(lower));
    }
}

bool FreemailDomains::contains(std::string_view domain) const {
    if (exact_.count(std::string(domain))) return true;
    for (const auto& w : wildcards_)
        if (freemail_glob_match(w, domain)) return true;
    return false;
}

}  // namespace mw::spam
