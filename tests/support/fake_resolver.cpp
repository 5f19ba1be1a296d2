#include "tests/support/fake_resolver.hpp"

#include <algorithm>
#include <cctype>

namespace mw::test {

std::string FakeResolver::key(std::string name) {
    if (!name.empty() && name.back() == '.') name.pop_back();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

dns::Answer& FakeResolver::entry(const std::string& name, dns::RrType type) {
    std::lock_guard lock(mu_);
    auto& a = answers_[{key(name), type}];
    if (a.rcode == dns::Rcode::Error && a.size() == 0 && a.why.empty()) a.rcode = dns::Rcode::NoError;
    return a;
}

void FakeResolver::set(std::string name, dns::RrType type, dns::Answer answer) {
    std::lock_guard lock(mu_);
    answers_[{key(std::move(name)), type}] = std::move(answer);
}

static void merge_ttl(dns::Answer& a, uint32_t ttl) {
    a.ttl = a.size() <= 1 ? ttl : std::min(a.ttl, ttl);
}

void FakeResolver::add_a(const std::string& name, const std::string& ip, uint32_t ttl) {
    auto addr = net::IpAddress::parse(ip);
    auto& a = entry(name, addr && addr->is_v6() ? dns::RrType::AAAA : dns::RrType::A);
    if (addr) a.addresses.push_back(*addr);
    merge_ttl(a, ttl);
}

void FakeResolver::add_txt(const std::string& name, const std::string& text, uint32_t ttl) {
    auto& a = entry(name, dns::RrType::TXT);
    a.texts.push_back(text);
    merge_ttl(a, ttl);
}

void FakeResolver::add_mx(const std::string& name, uint16_t pref, const std::string& host,
                          uint32_t ttl) {
    auto& a = entry(name, dns::RrType::MX);
    a.mx.push_back({pref, key(host)});
    merge_ttl(a, ttl);
}

void FakeResolver::add_ptr(const std::string& name, const std::string& host, uint32_t ttl) {
    auto& a = entry(name, dns::RrType::PTR);
    a.names.push_back(key(host));
    merge_ttl(a, ttl);
}

void FakeResolver::set_failure(const std::string& name, dns::RrType type, dns::Rcode rcode) {
    dns::Answer a;
    a.rcode = rcode;
    a.why = "injected failure";
    set(name, type, std::move(a));
}

dns::Resolver::QueryId FakeResolver::submit(const dns::Question& q, Deadline, Callback done) {
    const auto id = static_cast<QueryId>(++queries_);
    dns::Answer result;
    {
        std::lock_guard lock(mu_);
        const auto k = key(q.name);
        auto it = answers_.find({k, q.type});
        if (it != answers_.end()) {
            result = it->second;
        } else {
            const bool name_exists = std::any_of(answers_.begin(), answers_.end(),
                                                 [&](const auto& e) { return e.first.first == k; });
            result.rcode = name_exists ? dns::Rcode::NoError : dns::Rcode::NxDomain;
        }
    }
    done(std::move(result));
    return id;
}

}  // namespace mw::test
