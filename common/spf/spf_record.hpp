// Parses one SPF record (RFC 7208 §4.6, §5, §6, §12 ABNF) into mechanisms and modifiers.
// Pure; no I/O; thread-compatible. Checks the whole record before any evaluation (§4.6): a bad
// term, a bad macro-string (spf_macro.hpp), a bad CIDR length, a duplicate redirect= or exp=, or
// a byte outside printable ASCII is an error (the caller's permerror). Records longer than
// limits::kMaxSpfRecord are refused. Macro-strings are kept unexpanded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/net/ip_address.hpp"
#include "common/spf/spf_checker.hpp"

namespace mw::spf {

enum class MechanismKind { All, Include, A, Mx, Ptr, Ip4, Ip6, Exists };

struct Mechanism {
    SpfResult qualifier = SpfResult::Pass;   // Pass, Fail, SoftFail or Neutral
    MechanismKind kind = MechanismKind::All;
    std::string domain_spec;                 // unexpanded; empty means the current <domain>
    net::IpAddress network;                  // ip4/ip6 only
    int cidr4 = 32;                          // ip4, a, mx
    int cidr6 = 128;                         // ip6, a, mx
    std::string text;                        // the term as written, for logs

    /// True for the terms that count against the §4.6.4 limit of DNS-querying terms.
    bool queries_dns() const;
};

struct SpfRecord {
    std::vector<Mechanism> mechanisms;
    std::optional<std::string> redirect;     // unexpanded domain-spec
    std::optional<std::string> exp;          // unexpanded domain-spec
};

/// True when `txt` is an SPF record: "v=spf1" (any case) followed by a space or the end (§4.5).
bool is_spf_record(std::string_view txt);

/// Parses a record that is_spf_record() accepted. The error message says which term is bad.
Result<SpfRecord> parse_spf_record(std::string_view txt);

}  // namespace mw::spf
