// Every bound on outside input, in one place. Each has a test at the limit and one past it.
#pragma once

#include <cstddef>

namespace mw::limits {

// Config files (main.cf syntax).
inline constexpr std::size_t kMaxConfigLine = 64 * 1024;       // one logical line, continuations joined
inline constexpr std::size_t kMaxConfigFileSize = 4 * 1024 * 1024;
inline constexpr int kMaxOverrides = 256;                     // -o key=value flags

// Postfix policy protocol (SMTPD_POLICY_README).
inline constexpr std::size_t kMaxPolicyLine = 8 * 1024;        // one name=value line, newline excluded
inline constexpr std::size_t kMaxPolicyAttrs = 100;            // attributes per request
inline constexpr std::size_t kMaxPolicyRequest = 64 * 1024;    // bytes per request
inline constexpr std::size_t kMaxPolicyReplyText = 998;       // reply text after "action=", RFC 5322 §2.1.1 line
inline constexpr std::size_t kMaxPolicyInstances = 100000;    // instance replay cache entries (upper bound)
inline constexpr std::size_t kMaxSpfCacheEntries = 1000000;   // SPF result cache entries (upper bound)

// DNS.
inline constexpr std::size_t kMaxDnsName = 253;               // presentation form, no trailing dot
inline constexpr std::size_t kMaxDnsLabel = 63;
inline constexpr std::size_t kMaxDnsRecords = 256;            // records kept from one answer
inline constexpr std::size_t kMaxTxtRecord = 16 * 1024;       // one TXT record, strings joined
inline constexpr std::size_t kMaxDnsInFlight = 4096;          // queries outstanding at once

// SPF (RFC 7208).
inline constexpr int kMaxSpfDnsTerms = 10;                    // §4.6.4 DNS-querying terms
inline constexpr int kMaxSpfVoidLookups = 2;                  // §4.6.4 void lookups
inline constexpr int kMaxSpfMxNames = 10;                     // §4.6.4 MX names looked at
inline constexpr int kMaxSpfPtrNames = 10;                    // §4.6.4 PTR names looked at
inline constexpr std::size_t kMaxSpfRecord = 4 * 1024;        // joined TXT strings of one record
inline constexpr std::size_t kMaxSpfExpansion = 8 * 1024;     // one macro expansion
inline constexpr std::size_t kMaxSpfExplanation = 1024;       // exp= text, after expansion

}  // namespace mw::limits
