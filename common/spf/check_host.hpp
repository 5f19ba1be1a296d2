// CheckHost: the RFC 7208 check_host() function (§4) for one request: record selection (§4.5),
// domain checks (§4.3), mechanisms (§5), include (§5.2), redirect= (§6.1) and exp= (§6.2).
// Recursion through include/redirect is bounded by the term limit of SpfLookups (§4.6.4);
// every loop over DNS data is bounded by limits.hpp. Never throws on input. One instance per
// check; not thread-safe.
#pragma once

#include <string>

#include "common/spf/spf_lookups.hpp"
#include "common/spf/spf_macro.hpp"
#include "common/spf/spf_record.hpp"

namespace mw::spf {

/// What check_host() concluded for one domain.
struct Verdict {
    SpfResult result = SpfResult::None;
    std::string mechanism;     // the term that matched, "default" when none did
    std::string explanation;   // for fail only
    std::string problem;       // for none/temperror/permerror
};

class CheckHost {
public:
    /// `base` holds everything but the domain; `default_explanation` is used for fail when
    /// there is no usable exp= (§6.2).
    CheckHost(SpfLookups& lookups, MacroContext base, std::string default_explanation)
        : lookups_(lookups), base_(std::move(base)), default_explanation_(std::move(default_explanation)) {}

    /// check_host(<ip>, <domain>, <sender>) (§4).
    Verdict run(const std::string& domain);

private:
    Eval<SpfRecord> fetch_record(const std::string& domain);
    Verdict evaluate(const std::string& domain, const SpfRecord& record);
    Verdict redirect(const std::string& domain, const std::string& spec);
    Eval<bool> matches(const Mechanism& m, const std::string& domain);
    Eval<bool> match_include(const std::string& target);
    Eval<bool> match_a(const std::string& target, const Mechanism& m);
    Eval<bool> match_mx(const std::string& target, const Mechanism& m);
    Eval<bool> match_ptr(const std::string& target);
    Eval<bool> match_exists(const std::string& target);
    bool match_address(const net::IpAddress& addr, const Mechanism& m) const;
    Eval<std::string> target_of(const Mechanism& m, const std::string& domain);
    std::string explain(const std::string& domain, const SpfRecord& record);
    std::string validated_name(const std::string& domain);
    MacroContext context_for(const std::string& domain);

    SpfLookups& lookups_;
    MacroContext base_;
    std::string default_explanation_;
};

/// RFC 7208 §4.3: a multi-label domain name with labels of 1..63 characters, at most 253 in all
/// (one trailing dot allowed), printable ASCII, and no domain literal or "@".
bool is_valid_spf_domain(std::string_view domain);

/// Labels of 1..63 characters, at most 253 characters in all (one trailing dot allowed).
bool has_valid_labels(std::string_view name);

}  // namespace mw::spf
