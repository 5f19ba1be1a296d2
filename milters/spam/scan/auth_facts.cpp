#include "milters/spam/scan/auth_facts.hpp"

#include <charconv>

#include "common/authres/auth_results_reader.hpp"
#include "common/base/ascii.hpp"

namespace mw::spam {

namespace {

void take_auth_results(std::string_view value, AuthFacts& f) {
    auto ar = authres::read_auth_results(value);
    for (const auto& r : ar.results) {
        if (r.method == "spf") {
            if (!authres::auth_property(r, "smtp", "helo").empty() &&
                authres::auth_property(r, "smtp", "mailfrom").empty()) {
                if (f.spf_helo.empty()) f.spf_helo = r.result;
            } else if (f.spf.empty()) {
                f.spf = r.result;
            }
        } else if (r.method == "dkim") {
            f.dkim_any_result = true;
            if (r.result == "pass") {
                auto d = authres::auth_property(r, "header", "d");
                if (!d.empty()) f.dkim_pass_domains.push_back(to_lower_ascii(d));
            }
        }
    }
}

/// "pass (comment) key=value; ... receiver=ID; ..." -> result, if receiver= is ours.
void take_received_spf(std::string_view value, std::string_view authserv_id, AuthFacts& f) {
    std::string v = to_lower_ascii(value);
    if (v.find("receiver=" + to_lower_ascii(authserv_id)) == std::string::npos) return;
    std::size_t i = 0;
    while (i < v.size() && is_space_ascii(v[i])) ++i;
    std::size_t j = i;
    while (j < v.size() && v[j] >= 'a' && v[j] <= 'z') ++j;
    f.spf = v.substr(i, j - i);
}

void take_dnsbl_score(std::string_view value, AuthFacts& f) {
    auto at = value.find("score=");
    if (at == std::string_view::npos) return;
    auto rest = value.substr(at + 6);
    double score = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), score);
    if (ec != std::errc() || ptr == rest.data()) return;
    f.dnsbl_score = score;
    f.dnsbl_seen = true;
}

}  // namespace

AuthFacts read_auth_facts(const std::vector<HeaderField>& headers, std::string_view authserv_id,
                          std::string_view dnsbl_header) {
    AuthFacts f;
    bool received_spf_seen = false;
    for (const auto& h : headers) {
        if (iequals_ascii(h.name, "Authentication-Results")) {
            if (iequals_ascii(authres::read_auth_results(h.decoded).authserv_id, authserv_id))
                take_auth_results(h.decoded, f);
        } else if (iequals_ascii(h.name, "Received-SPF") && !received_spf_seen) {
            received_spf_seen = true;   // only the topmost: lower ones came from elsewhere
            if (f.spf.empty()) take_received_spf(h.decoded, authserv_id, f);
        } else if (iequals_ascii(h.name, "DKIM-Signature")) {
            f.dkim_signed = true;
        } else if (!dnsbl_header.empty() && iequals_ascii(h.name, dnsbl_header) && !f.dnsbl_seen) {
            take_dnsbl_score(h.decoded, f);
        }
    }
    return f;
}

}  // namespace mw::spam
