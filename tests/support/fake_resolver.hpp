// FakeResolver: DNS answers as data, for unit tests (Unbound's .rpl idea). Answers synchronously
// inside submit(). Names are matched case-insensitively, without a trailing dot. A question with no
// entry is NXDOMAIN if no entry exists for the name at all, else NODATA. Thread-safe for lookups
// once filled.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "common/dns/resolver.hpp"

namespace mw::test {

class FakeResolver : public dns::Resolver {
public:
    /// Sets the full answer for (name, type).
    void set(std::string name, dns::RrType type, dns::Answer answer);
    /// Convenience adders; each appends one record with the given TTL.
    void add_a(const std::string& name, const std::string& ip, uint32_t ttl = 300);
    void add_txt(const std::string& name, const std::string& text, uint32_t ttl = 300);
    void add_mx(const std::string& name, uint16_t pref, const std::string& host, uint32_t ttl = 300);
    void add_ptr(const std::string& name, const std::string& host, uint32_t ttl = 300);
    /// Makes every query for (name, type) fail with `rcode` (Timeout, ServFail, ...).
    void set_failure(const std::string& name, dns::RrType type, dns::Rcode rcode);

    QueryId submit(const dns::Question& q, Deadline deadline, Callback done) override;

    /// Number of submit() calls so far.
    int queries() const { return queries_.load(); }

private:
    static std::string key(std::string name);
    dns::Answer& entry(const std::string& name, dns::RrType type);

    std::mutex mu_;
    std::map<std::pair<std::string, dns::RrType>, dns::Answer> answers_;
    std::atomic<int> queries_{0};
};

}  // namespace mw::test
