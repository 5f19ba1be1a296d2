#include "milters/dkim/auth_results_claim.hpp"

#include "common/base/ascii.hpp"

namespace mw::dkim {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Skips white space and (nested) comments.
std::size_t skip_cfws(std::string_view v, std::size_t i) {
    int depth = 0;
    for (; i < v.size(); ++i) {
        const char c = v[i];
        if (depth > 0 && c == '\\') { ++i; continue; }
        if (c == '(') ++depth;
        else if (c == ')' && depth > 0) --depth;
        else if (depth == 0 && !is_space(c)) break;
    }
    return i;
}

}  // namespace

std::string_view authserv_id_of(std::string_view value) {
    const std::size_t start = skip_cfws(value, 0);
    std::size_t end = start;
    while (end < value.size() && !is_space(value[end]) && value[end] != ';' && value[end] != '(') ++end;
    return value.substr(start, end - start);
}

bool claims_authserv_id(std::string_view value, std::string_view authserv_id) {
    const auto id = authserv_id_of(value);
    return !id.empty() && iequals_ascii(id, authserv_id);
}

}  // namespace mw::dkim
