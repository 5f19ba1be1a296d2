// Decodes the RDATA of DNS resource records (wire format, RFC 1035 §3.3, RFC 3596 §2.2) into
// the values mw::dns::Answer keeps: A/AAAA -> address, PTR/NS/CNAME -> name, MX -> preference +
// exchange, TXT/SPF -> the record's character-strings joined (RFC 7208 §3.3, RFC 6376 §3.6.2.2).
// Pure: no I/O, no DNS library. Never trusts its input: every read is length-checked, every
// loop advances through the bytes, names with compression pointers are rejected (a resolver
// hands RDATA over decompressed), names are bounded by kMaxDnsName / kMaxDnsLabel, a TXT record
// by kMaxTxtRecord, the records of one answer by kMaxDnsRecords. Names come out lower case,
// without the trailing dot; a label byte outside printable ASCII, or a '.', is an error.
// Thread-safe (no state).
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/base/result.hpp"
#include "common/dns/resolver.hpp"
#include "common/net/ip_address.hpp"

namespace mw::dns {

struct DomainName {
    std::string value;  // lower case, no trailing dot; "" is the root (RFC 7505 null MX)
};

struct TextRecord {
    std::string value;  // the character-strings joined without separators
};

using Rdata = std::variant<net::IpAddress, DomainName, MxRecord, TextRecord>;

/// Decodes one record's RDATA of type `type`; an error (never a crash) if it is malformed,
/// over a bound, or of a type not decoded here (SOA, ...).
Result<Rdata> decode_rdata(RrType type, std::string_view rdata);

/// Decodes every RDATA of one answer into the vector of `out` that fits `type`. Keeps at most
/// kMaxDnsRecords; a malformed record is skipped and noted in out.why. If records were given and
/// none could be decoded, the answer is unusable: out.rcode becomes ServFail.
void add_records(RrType type, const std::vector<std::string_view>& rdatas, Answer& out);

}  // namespace mw::dns
