// Every bound on outside input, in one place. Each has a test at the limit and one past it.
#pragma once

#include <cstddef>
#include <cstdint>

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

// DKIM (RFC 6376, RFC 8463).
inline constexpr std::size_t kMaxDkimTagList = 16 * 1024;     // one DKIM-Signature value or key record
inline constexpr std::size_t kMaxDkimTags = 64;               // tags in one tag-list (§3.2)
inline constexpr std::size_t kMaxDkimSignedHeaders = 128;     // names in one h= list
inline constexpr std::size_t kMaxDkimSignatures = 16;         // DKIM-Signature fields verified per message
inline constexpr std::size_t kMaxDkimHeaderBytes = 1024 * 1024;  // header block hashed for one signature
inline constexpr int kMinDkimRsaBits = 1024;                  // smaller RSA keys are refused (RFC 8301 §3.2)
inline constexpr int kMaxDkimRsaBits = 8192;                  // larger RSA keys are refused (verify cost)
inline constexpr std::size_t kMaxDkimKeyFile = 64 * 1024;     // one PEM private key file
inline constexpr std::size_t kMaxDkimTableLine = 4 * 1024;    // one key_table / signing_table line
inline constexpr std::size_t kMaxDkimTableEntries = 100000;   // entries in one table file
inline constexpr std::size_t kMaxDkimTableFile = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxDkimKeyCache = 10000;         // decoded verification keys kept
inline constexpr std::size_t kMaxDkimMessageHeaders = 1000;     // header fields the dkim milter keeps per message

// Lookup tables (common/table: Postfix access(5), cidr_table(5); text read as postmap(1) would).
inline constexpr std::size_t kMaxTableLine = 16 * 1024;        // one logical line, continuations joined
inline constexpr std::size_t kMaxTableEntries = 1000000;       // entries in one table file
inline constexpr std::size_t kMaxTableFile = 64 * 1024 * 1024;
inline constexpr int kMaxCidrNesting = 16;                     // cidr_table(5) if/endif depth
inline constexpr std::size_t kMaxTableList = 32;               // tables named by one key (sender_access = a, b)

// Milter protocol, MTA side (common/milter/milter_client, `mailwarden milter-test`).
inline constexpr std::size_t kMaxMilterPacket = 1024 * 1024 - 1;  // one packet (libmilter's largest, MDS_1M)
inline constexpr std::size_t kMaxMilterStrings = 256;          // NUL-terminated strings in one packet
inline constexpr std::size_t kMaxMilterModifications = 10000;  // edit replies for one message
inline constexpr std::size_t kMaxMilterProgress = 10000;       // SMFIR_PROGRESS replies for one step
inline constexpr std::size_t kMaxMilterReplacedBody = 64 * 1024 * 1024;  // SMFIR_REPLBODY bytes, summed
inline constexpr std::size_t kMaxMilterMessage = 64 * 1024 * 1024;       // message file milter-test reads

// DNS lists (mailwarden-dnsbl; postscreen_dnsbl_sites syntax, RFC 5782).
inline constexpr std::size_t kMaxDnsblSites = 64;              // entries in one *_sites key
inline constexpr std::size_t kMaxDnsblFilterItems = 32;        // numbers/ranges in one [..;..] octet set
inline constexpr int kMaxDnsblWeight = 1000;                   // |weight| of one entry
inline constexpr std::size_t kMaxDnsblDqsKey = 63;             // dqs_key: one DNS label
inline constexpr std::size_t kMaxDnsCacheEntries = 1000000;  // answer cache entries (upper bound)
inline constexpr std::size_t kMaxDnsblReason = 512;            // TXT text kept for $rbl_reason (Postfix: 512)
inline constexpr std::size_t kMaxDnsblReplyTemplate = 2048;    // one reply template, unexpanded
inline constexpr int kMaxDnsblTemplateDepth = 8;               // nesting of ${name?${...}}
inline constexpr std::size_t kMaxDnsblReply = 510;             // expanded reply, RFC 5321 §4.5.3.1.5 less CRLF
inline constexpr std::size_t kMaxDnsblReplyMapLine = 4 * 1024; // one rbl_reply_maps line
inline constexpr std::size_t kMaxDnsblReplyMapEntries = 10000; // entries in one reply map file
inline constexpr std::size_t kMaxDnsblReplyMapFile = 1024 * 1024;
inline constexpr std::size_t kMaxDnsblScoreHeader = 998;       // score header value, RFC 5322 §2.1.1

// Spam milter message analysis (milters/spam/mime; SpamAssassin's Constants.pm values).
inline constexpr std::size_t kMaxSpamHeaderName = 256;         // SA MAX_HEADER_KEY_LENGTH
inline constexpr std::size_t kMaxSpamHeaderValue = 8192;       // SA MAX_HEADER_VALUE_LENGTH
inline constexpr std::size_t kMaxSpamHeaderFields = 1000;      // fields kept per header block
inline constexpr std::size_t kMaxSpamBodyLine = 2048;          // SA MAX_BODY_LINE_LENGTH
inline constexpr std::size_t kMaxSpamUriLength = 8192;         // SA MAX_URI_LENGTH
inline constexpr std::size_t kMaxSpamHtmlDepth = 256;         // open tags (estimated) before HTML
                                                              // is cut (libgumbo is O(depth^2))
inline constexpr std::size_t kMaxSpamHtmlTexts = 1000;        // titles/comments/anchors kept per
                                                              // HTML part (html_text_match)
inline constexpr std::size_t kMaxSpamHtmlTextItem = 4096;     // bytes kept of each of those
inline constexpr std::size_t kMaxSpamHtmlTagNames = 512;      // distinct tag names counted per part
inline constexpr std::size_t kMaxSpamHtmlStyleDepth = 1024;   // font/colour styles stacked per part
inline constexpr std::size_t kMaxSpamMimeContainers = 2000;    // multipart/message headers before
                                                              // the input is cut (parser recursion)
inline constexpr std::size_t kMaxSpamMimeParts = 1000;         // parts of one multipart (SA's
                                                              // mimepart_limit_exceeded)
inline constexpr std::size_t kMaxSpamRelays = 100;             // Received fields read per message
inline constexpr std::size_t kMaxIdleSpamScorers = 16;         // scorers (~1 MB of scratch each) kept
                                                               // for reuse between messages
                                                              // (newest first; SA reads all)

// Regular expressions of spam rules (milters/spam/regex; PCRE2 and Hyperscan).
inline constexpr std::size_t kMaxRegexPattern = 256 * 1024;    // one pattern (tag-expanded stock rules: 220 KiB)
inline constexpr uint32_t kMaxRegexMatchSteps = 1000000;       // PCRE2 match limit per search
inline constexpr uint32_t kMaxRegexDepth = 10000;              // PCRE2 backtracking depth (interpreter)
inline constexpr uint32_t kMaxRegexHeapKib = 16 * 1024;        // PCRE2 backtracking heap per search
inline constexpr std::size_t kMinRegexJitStack = 32 * 1024;    // JIT stack, initial bytes
inline constexpr std::size_t kMaxRegexJitStack = 1024 * 1024;  // JIT stack, most bytes per thread
inline constexpr std::size_t kMaxRegexLiterals = 256;         // required-literal OR-set of one pattern
inline constexpr std::size_t kMinRegexLiteral = 3;             // shortest required literal used to prefilter
inline constexpr std::size_t kMaxRegexExactSet = 64;           // exact strings kept while expanding [o0], (a|b)
inline constexpr std::size_t kMaxRegexClassExpansion = 4;      // members of a class expanded into literals
inline constexpr std::size_t kMaxRegexExactLength = 1024;      // bytes of one exact string being built
inline constexpr std::size_t kMaxRegexLiteral = 64;            // bytes kept of one required literal (a prefix)
inline constexpr unsigned kMaxSkeletonRepeat = 2;             // repeat lower bound kept in a skeleton
inline constexpr int kMaxRegexGroupDepth = 250;                // group nesting read (PCRE2's default)
inline constexpr int kMaxRegexPrefilterCompileMs = 5;          // Hyperscan prefilter compile of one pattern
inline constexpr int kMaxRegexPrefilterBudgetMs = 1500;        // ... and of all prefilter patterns of one set
inline constexpr int kMaxRegexExactCompileMs = 50;             // Hyperscan exact compile of one skeleton
inline constexpr int kMaxRegexExactFilterBudgetMs = 6000;      // Hyperscan compile of one set's exact filters
                                                               // (stock body: 2 pairs of ~1 s, 8 long ~0.5 s)

// Spam eval tests (milters/spam/scan).
inline constexpr std::size_t kMaxSpamBodyMailtoEmails = 20;    // addresses taken from mailto: links
                                                               // (SA FreeMail.pm's sanity bound)
inline constexpr std::size_t kMaxSpamBodyEmails = 40;          // body addresses in all (FreeMail.pm)

// SpamAssassin rule files (mailwarden-spam, milters/spam/rules).
inline constexpr std::size_t kMaxSpamRuleLine = 64 * 1024;     // one .cf line (replace_tag lines are ~2 KB)
inline constexpr std::size_t kMaxSpamRuleFile = 16 * 1024 * 1024;  // one .cf file
inline constexpr std::size_t kMaxSpamRuleFiles = 1000;         // files read by one load (includes too)
inline constexpr std::size_t kMaxSpamRules = 100000;           // rules defined (stock 4.0.1: ~3,000)
inline constexpr int kMaxSpamIncludeDepth = 8;                 // nested include lines
inline constexpr int kMaxSpamIfDepth = 64;                     // nested if/ifplugin blocks
inline constexpr std::size_t kMaxSpamMetaLength = 16 * 1024;   // one meta expression (stock max ~1.8 KB)
inline constexpr int kMaxSpamMetaDepth = 64;                   // nesting of one meta expression
inline constexpr std::size_t kMaxSpamMetaStack = 128;          // evaluation stack of one meta expression
inline constexpr int kMaxSpamReplacePasses = 6;                // ReplaceTags passes per rule (SA: 6)

}  // namespace mw::limits
