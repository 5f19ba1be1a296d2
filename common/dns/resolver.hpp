// mw::dns::Resolver: the one DNS interface every daemon uses (SPF, DKIM keys, DNSBL, PTR).
//
// Asynchronous at its core: submit() returns at once and the callback runs later on the
// resolver's own thread (it must not block). query() and query_many() are blocking conveniences
// built on submit() for code that runs on its own thread (one policy connection, one milter
// callback); they always return by the deadline, with Rcode::Timeout if no answer came.
// Implementations are thread-safe: one Resolver is shared by every thread of a daemon.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/deadline.hpp"
#include "common/net/ip_address.hpp"

namespace mw::dns {

enum class RrType : uint16_t {
    A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, MX = 15, TXT = 16, AAAA = 28, SPF = 99,
};

/// What became of a query. NoError with no records is NODATA.
enum class Rcode {
    NoError,
    NxDomain,
    ServFail,   // the server failed, or the answer was malformed or bogus
    Refused,
    Timeout,    // no answer by the deadline
    Error,      // anything else (network error, FORMERR, resolver failure)
};

const char* to_string(Rcode r);
const char* to_string(RrType t);

struct MxRecord {
    uint16_t preference = 0;
    std::string exchange;   // lower case, no trailing dot
};

/// One answer. Only the vector that fits the query type is filled:
/// A/AAAA -> addresses; PTR/NS/CNAME -> names; MX -> mx; TXT/SPF -> texts (each record's
/// character-strings joined without separators, RFC 7208 §3.3 / RFC 6376 §3.6.2.2).
/// Records of another type in the answer section (e.g. after a CNAME) are not included.
struct Answer {
    Rcode rcode = Rcode::Error;
    uint32_t ttl = 0;                       // smallest TTL of the kept records (or of the SOA for negative answers)
    std::vector<net::IpAddress> addresses;
    std::vector<std::string> names;         // lower case, no trailing dot
    std::vector<MxRecord> mx;
    std::vector<std::string> texts;
    std::string why;                        // for logs: why a query failed
    std::size_t malformed = 0;              // records dropped as malformed or over a limit; when
                                            // none was left the rcode is ServFail

    bool ok() const { return rcode == Rcode::NoError; }
    /// NXDOMAIN or NODATA: what RFC 7208 §4.6.4 calls a void lookup.
    bool is_void() const;
    std::size_t size() const { return addresses.size() + names.size() + mx.size() + texts.size(); }
};

struct Question {
    std::string name;   // no trailing dot needed
    RrType type = RrType::A;
};

class Resolver {
public:
    using Callback = std::function<void(Answer)>;
    using QueryId = uint64_t;

    virtual ~Resolver() = default;

    /// Starts a query. `done` is called exactly once, on a resolver thread, with the answer or
    /// with Rcode::Timeout at `deadline` (or earlier if the implementation's own timeout passes).
    virtual QueryId submit(const Question& q, Deadline deadline, Callback done) = 0;

    /// Blocking: one query, answered by `deadline`.
    Answer query(std::string_view name, RrType type, Deadline deadline);

    /// Blocking: all questions at once, in parallel; answers in the same order.
    std::vector<Answer> query_many(const std::vector<Question>& qs, Deadline deadline);
};

}  // namespace mw::dns
