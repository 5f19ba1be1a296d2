#include "tools/dkim_key_name.hpp"

#include <string_view>

#include "common/base/limits.hpp"

namespace mw::tools {

namespace {

bool valid_name(std::string_view name) {
    if (name.empty() || name.size() > limits::kMaxDnsName || name.front() == '.' || name.back() == '.') return false;
    if (name.find("..") != std::string_view::npos) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '-' || c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

Result<bool> check_key_names(std::string& domain, const std::string& selector) {
    if (!domain.empty() && domain.back() == '.') domain.pop_back();  // zone-file form
    if (!valid_name(domain)) return fail(ErrorCode::Invalid, "--domain wants a domain name");
    if (!valid_name(selector)) return fail(ErrorCode::Invalid, "--selector wants a selector name");
    return true;
}

}  // namespace mw::tools
