// SpamAssassin's SPF and DKIM plugin tests, answered from what our own policyd and dkim milter
// recorded (AuthFacts), never by new DNS lookups: check_for_spf_*, check_for_spf_helo_*,
// check_dkim_signed, check_dkim_valid[(domains)], check_dkim_valid_author_sig,
// check_dkim_valid_envelopefrom, check_dkim_dependable.
#include <algorithm>

#include "common/base/ascii.hpp"
#include "common/mail/author_address.hpp"
#include "milters/spam/scan/eval_registry.hpp"
#include "milters/spam/scan/header_text.hpp"

namespace mw::spam {

namespace {

std::string domain_of(std::string_view address) {
    auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string() : to_lower_ascii(address.substr(at + 1));
}

bool has_pass_for(const AuthFacts& f, std::string_view domain) {
    if (domain.empty()) return false;
    return std::find(f.dkim_pass_domains.begin(), f.dkim_pass_domains.end(), domain) != f.dkim_pass_domains.end();
}

void add_spf(EvalRegistry& r, const std::string& result) {
    r.add("check_for_spf_" + result, {[result](const ScanInput& in, const EvalArgs&) {
              return in.auth.spf == result ? 1 : 0;
          }, no_args, true});
    r.add("check_for_spf_helo_" + result, {[result](const ScanInput& in, const EvalArgs&) {
              return in.auth.spf_helo == result ? 1 : 0;
          }, no_args, true});
}

int dkim_valid(const ScanInput& in, const EvalArgs& domains) {
    if (domains.empty()) return in.auth.dkim_pass_domains.empty() ? 0 : 1;
    for (const auto& d : domains)
        if (has_pass_for(in.auth, to_lower_ascii(d))) return 1;
    return 0;
}

int dkim_valid_author(const ScanInput& in, const EvalArgs&) {
    auto from = mail::author_address(last_header(in.message->headers, "From"));
    return from && has_pass_for(in.auth, domain_of(*from)) ? 1 : 0;
}

int dkim_valid_envelope_from(const ScanInput& in, const EvalArgs&) {
    return has_pass_for(in.auth, domain_of(in.envelope.mail_from)) ? 1 : 0;
}

}  // namespace

void register_auth_evals(EvalRegistry& r) {
    for (const char* result : {"pass", "fail", "softfail", "neutral", "none", "permerror", "temperror"})
        add_spf(r, result);
    r.add("check_dkim_signed", {[](const ScanInput& in, const EvalArgs&) { return in.auth.dkim_signed ? 1 : 0; },
                                no_args, true});
    r.add("check_dkim_valid", {dkim_valid, any_args, true});
    r.add("check_dkim_valid_author_sig", {dkim_valid_author, no_args, true});
    r.add("check_dkim_valid_envelopefrom", {dkim_valid_envelope_from, no_args, true});
    // "Dependable": a valid signature we checked ourselves (SA: not from a mailing list rewrite).
    r.add("check_dkim_dependable", {[](const ScanInput& in, const EvalArgs&) {
              return in.auth.dkim_pass_domains.empty() ? 0 : 1;
          }, no_args, true});
}

}  // namespace mw::spam
