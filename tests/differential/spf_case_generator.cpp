#include "tests/differential/spf_case_generator.hpp"

#include <array>
#include <map>

#include <fmt/format.h>

#include "common/net/ip_address.hpp"

namespace mw::test {

namespace {

using net::IpAddress;

constexpr int kMaxDepth = 2;           // include/redirect chain below the top record
constexpr int kDnsTermBudget = 9;      // stay under the §4.6.4 limit of 10 unless asked not to
constexpr int kPercentOverLimit = 4;   // cases that deliberately pass 10 DNS-querying terms

const std::vector<std::string> kLocals = {"alice", "bob", "j.doe", "postmaster"};
const std::vector<std::array<uint8_t, 4>> kV4Nets = {{192, 0, 2, 0}, {198, 51, 100, 0}, {203, 0, 113, 0}};
const std::vector<int> kV4Cidrs = {32, 32, 31, 30, 28, 24, 24, 20, 16, 8};
const std::vector<int> kV6Cidrs = {128, 128, 127, 64, 64, 56, 48, 32};
const std::vector<std::string> kQualifiers = {"", "", "", "+", "-", "~", "?"};
const std::vector<std::string> kAlls = {"", " -all", " -all", " ~all", " ?all", " +all"};

std::string last_labels(const std::string& name, int n) {
    auto pos = name.size();
    for (int i = 0; i < n && pos != std::string::npos; ++i) pos = name.rfind('.', pos - 1);
    return pos == std::string::npos ? name : name.substr(pos + 1);
}

class CaseBuilder {
public:
    CaseBuilder(std::mt19937& rng, SpfCase& out) : rng_(rng), out_(out) {}

    void build() {
        over_limit_ = chance(kPercentOverLimit);
        local_ = pick(kLocals);
        sender_domain_ = "example.com";
        record(sender_domain_, 0);
        if (over_limit_) out_.traits.insert("dns-limit");
        out_.request = request();
        for (const auto& [probe, published] : i_probes_) {
            if (!published || !(probe == out_.request.client)) ++voids_[0], ++voids_[1];
        }
        if (voids_[out_.request.client.is_v4() ? 0 : 1] > 2) out_.traits.insert("void-limit");
    }

private:
    uint32_t below(std::size_t n) { return static_cast<uint32_t>(rng_() % n); }
    bool chance(int percent) { return below(100) < static_cast<uint32_t>(percent); }
    template <typename T>
    const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

    void add(const std::string& name, dns::RrType type, const std::string& data) {
        out_.zone.push_back({name, type, data});
    }
    std::string fresh_name(const char* prefix) { return fmt::format("{}{}.example.net", prefix, ++names_); }
    bool budget() { return over_limit_ || dns_terms_ < kDnsTermBudget; }

    // --- addresses -------------------------------------------------------------------------

    IpAddress random_v4() {
        auto net = pick(kV4Nets);
        net[3] = static_cast<uint8_t>(below(256));
        return IpAddress::v4(net);
    }
    IpAddress random_v6() {
        std::array<uint8_t, 16> b{0x20, 0x01, 0x0d, 0xb8};
        for (std::size_t i = 4; i < 16; ++i) b[i] = chance(60) ? 0 : static_cast<uint8_t>(below(256));
        return IpAddress::v6(b);
    }
    // `base` with the bits after `cidr` random; bit cidr-1 flipped when `outside`.
    IpAddress vary(const IpAddress& base, int cidr, bool outside) {
        std::array<uint8_t, 16> b{};
        for (std::size_t i = 0; i < base.size(); ++i) b[i] = base.bytes()[i];
        for (int bit = cidr; bit < base.bit_width(); ++bit) {
            if (chance(50)) b[bit / 8] ^= static_cast<uint8_t>(0x80 >> (bit % 8));
        }
        if (outside && cidr > 0) b[(cidr - 1) / 8] ^= static_cast<uint8_t>(0x80 >> ((cidr - 1) % 8));
        if (base.is_v6()) return IpAddress::v6(b);
        return IpAddress::v4({b[0], b[1], b[2], b[3]});
    }
    void candidate(const IpAddress& ip) {
        // libspf2 passes any loopback client without a look (SPF_request_is_loopback): not SPF.
        if (ip.is_v4() && (ip.bytes()[0] == 127 || ip.bytes()[0] == 0)) return;
        (ip.is_v4() ? v4_ : v6_).push_back(ip);
    }
    void candidates_around(const IpAddress& ip, int cidr) {
        candidate(vary(ip, cidr, false));
        candidate(vary(ip, cidr, true));
    }

    // Publishes 0-2 A and 0-2 AAAA at `host` (mostly some of each: a missing family is a void
    // lookup, and more than two of those are permerror); returns whether each family got any.
    std::array<bool, 2> publish_host(const std::string& host, int cidr4, int cidr6) {
        std::array<bool, 2> has{false, false};
        for (uint32_t i = chance(85) ? 1 + below(2) : 0; i > 0; --i) {
            auto ip = random_v4();
            add(host, dns::RrType::A, ip.to_string());
            candidates_around(ip, cidr4);
            has[0] = true;
        }
        for (uint32_t i = chance(80) ? 1 + below(2) : 0; i > 0; --i) {
            auto ip = random_v6();
            add(host, dns::RrType::AAAA, ip.to_string());
            candidates_around(ip, cidr6);
            has[1] = true;
        }
        if (!has[0]) ++voids_[0];
        if (!has[1]) ++voids_[1];
        return has;
    }

    // --- terms -----------------------------------------------------------------------------

    std::string ip_term(bool v6) {
        const std::string kind = v6 ? "ip6" : "ip4";
        out_.traits.insert(kind);
        const auto ip = v6 ? random_v6() : random_v4();
        const int cidr = pick(v6 ? kV6Cidrs : kV4Cidrs);
        candidates_around(ip, cidr);
        if (cidr == ip.bit_width() && chance(50)) return kind + ":" + ip.to_string();
        return fmt::format("{}:{}/{}", kind, ip.to_string(), cidr);
    }
    // "", "/24", "//64" or "/24//64", with the CIDRs used returned through the arguments.
    std::string dual_cidr(int& cidr4, int& cidr6, const char* kind) {
        cidr4 = 32;
        cidr6 = 128;
        std::string text;
        if (chance(35)) {
            cidr4 = pick(kV4Cidrs);
            text += fmt::format("/{}", cidr4);
        }
        if (chance(35)) {
            cidr6 = pick(kV6Cidrs);
            text += fmt::format("//{}", cidr6);
        }
        if (!text.empty()) out_.traits.insert(std::string(kind) + "-cidr");
        return text;
    }
    std::string a_term(const std::string& domain) {
        out_.traits.insert("a");
        ++dns_terms_;
        int cidr4 = 32, cidr6 = 128;
        // The own domain once at most, so that each term's void lookups are counted once.
        const bool own = chance(30) && published_a_.insert(domain).second;
        const std::string host = own ? domain : fresh_name("h");
        const std::string cidrs = dual_cidr(cidr4, cidr6, "a");
        publish_host(host, cidr4, cidr6);
        return (own ? "a" : "a:" + host) + cidrs;
    }
    std::string mx_term(const std::string& domain) {
        out_.traits.insert("mx");
        ++dns_terms_;
        int cidr4 = 32, cidr6 = 128;
        const bool own = chance(30) && published_mx_.insert(domain).second;
        const std::string target = own ? domain : fresh_name("m");
        const std::string cidrs = dual_cidr(cidr4, cidr6, "mx");
        for (uint32_t i = 1 + below(3); i > 0; --i) {
            const auto host = fresh_name("mx");
            add(target, dns::RrType::MX, fmt::format("{} {}", 10 * i, host));
            publish_host(host, cidr4, cidr6);
        }
        return (own ? "mx" : "mx:" + target) + cidrs;
    }
    std::string include_term(int depth) {
        ++dns_terms_;
        const auto target = fresh_name("inc");
        if (chance(8)) {
            // RFC 7208 §5.2: an included domain without a record is permerror.
            out_.traits.insert("include-none");
            if (chance(50)) {
                add(target, dns::RrType::TXT, "not an spf record");
            } else {
                ++voids_[0], ++voids_[1];
            }
        } else {
            out_.traits.insert("include");
            record(target, depth + 1);
        }
        return "include:" + target;
    }
    std::string exists_term(const std::string& domain, const IpAddress& probe) {
        ++dns_terms_;
        const auto zone = fresh_name("x");
        std::string macro, expanded;
        switch (below(6)) {
            case 0: macro = "%{i}", expanded = probe.to_dotted(); break;
            case 1: macro = "%{ir}", expanded = probe.reverse_name(); break;
            case 2: macro = "%{d}", expanded = domain; break;
            case 3:
                macro = "%{d2}", expanded = last_labels(domain, 2);
                if (expanded == domain) out_.traits.insert("digits-whole");
                break;
            case 4: macro = "%{l}", expanded = pick(kLocals); break;
            default: macro = "%{o}", expanded = sender_domain_; break;
        }
        out_.traits.insert("exists-" + macro.substr(2, macro.size() - 3));
        if (macro.find('i') != std::string::npos) candidate(probe);
        const bool published = chance(75);
        if (published) add(expanded + "." + zone, dns::RrType::A, "127.0.0.2");
        if (macro.find('i') != std::string::npos) {
            i_probes_.push_back({probe, published});   // void or not: known once the client is
        } else if (!published || (macro == "%{l}" && expanded != local_)) {
            ++voids_[0], ++voids_[1];
        }
        return "exists:" + macro + "." + zone;
    }
    std::string term(const std::string& domain, int depth) {
        std::string t;
        const uint32_t kind = below(100);
        if (over_limit_ && depth == 0) {
            t = a_term(domain);
        } else if (kind < 22 || !budget()) {
            t = ip_term(false);
        } else if (kind < 38) {
            t = ip_term(true);
        } else if (kind < 54) {
            t = a_term(domain);
        } else if (kind < 68) {
            t = mx_term(domain);
        } else if (kind < 84 && depth < kMaxDepth) {
            t = include_term(depth);
        } else {
            t = exists_term(domain, chance(50) ? random_v4() : random_v6());
        }
        return pick(kQualifiers) + t;
    }

    // Publishes a record at `domain`; returns nothing, the TXT is in the zone.
    void record(const std::string& domain, int depth) {
        std::string text = "v=spf1";
        const uint32_t terms = over_limit_ && depth == 0 ? 12 : 1 + below(depth == 0 ? 5 : 3);
        for (uint32_t i = 0; i < terms; ++i) text += " " + term(domain, depth);
        std::string ending = pick(kAlls);
        if (depth < kMaxDepth && budget() && chance(18)) {
            const auto target = fresh_name("r");
            ++dns_terms_;
            // §6.1: redirect= is ignored when the record has an all.
            out_.traits.insert(ending.empty() ? "redirect" : "redirect-with-all");
            record(target, depth + 1);
            ending += " redirect=" + target;
        }
        add(domain, dns::RrType::TXT, text + ending);
    }

    spf::SpfRequest request() {
        spf::SpfRequest req;
        const bool v6 = chance(35);
        auto& pool = v6 ? v6_ : v4_;
        req.client = pool.empty() || chance(10) ? (v6 ? random_v6() : random_v4()) : pick(pool);
        req.helo = "mail.example.org";
        req.sender = local_ + "@" + sender_domain_;
        if (chance(5)) {
            req.identity = spf::Identity::Helo;
            req.helo = sender_domain_;
            out_.traits.insert("helo");
        }
        return req;
    }

    std::mt19937& rng_;
    SpfCase& out_;
    std::string local_, sender_domain_;
    std::vector<IpAddress> v4_, v6_;
    std::set<std::string> published_a_, published_mx_;
    std::vector<std::pair<IpAddress, bool>> i_probes_;   // %{i}/%{ir} probes, published or not
    // Possible void lookups (§4.6.4) per client family, counted as if every term were evaluated.
    std::array<int, 2> voids_{0, 0};
    int dns_terms_ = 0;
    int names_ = 0;
    bool over_limit_ = false;
};

}  // namespace

std::string SpfCase::describe() const {
    std::string out = fmt::format("case {}: client {} sender <{}> helo {} ({})\n", index,
                                  request.client.to_string(), request.sender, request.helo,
                                  spf::to_string(request.identity));
    for (const auto& r : zone) out += fmt::format("  {} {} \"{}\"\n", r.name, dns::to_string(r.type), r.data);
    return out;
}

SpfCase SpfCaseGenerator::next() {
    SpfCase c;
    c.index = ++count_;
    CaseBuilder(rng_, c).build();
    return c;
}

}  // namespace mw::test
