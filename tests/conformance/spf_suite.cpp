#include "tests/conformance/spf_suite.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <yaml-cpp/yaml.h>

namespace mw::test {

namespace {

constexpr int kMaxCnameChain = 8;

// One zone entry: a record "TYPE: value", or a bare "TIMEOUT".
struct ZoneEntry {
    std::string type;   // "A", "TXT", ..., or "TIMEOUT"
    YAML::Node value;
};

using Zone = std::map<std::string, std::vector<ZoneEntry>>;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    while (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

Zone read_zone(const YAML::Node& zonedata) {
    Zone zone;
    for (const auto& name : zonedata) {
        auto& entries = zone[lower(name.first.as<std::string>())];
        for (const auto& item : name.second) {
            if (item.IsScalar()) {
                entries.push_back({item.as<std::string>(), {}});
                continue;
            }
            for (const auto& kv : item) entries.push_back({kv.first.as<std::string>(), kv.second});
        }
    }
    return zone;
}

bool is_text(const YAML::Node& v, const char* word) {
    return v.IsScalar() && v.as<std::string>() == word;
}

std::string joined_text(const YAML::Node& v) {
    if (v.IsScalar()) return v.as<std::string>();
    std::string out;
    for (const auto& part : v) out += part.as<std::string>();
    return out;
}

// Adds one record of `type` to `a` (SPF entries already mapped to TXT by the caller).
void add_record(dns::Answer& a, dns::RrType type, const YAML::Node& v) {
    switch (type) {
        case dns::RrType::A:
        case dns::RrType::AAAA:
            if (auto ip = net::IpAddress::parse(v.as<std::string>())) a.addresses.push_back(*ip);
            break;
        case dns::RrType::MX:
            a.mx.push_back({v[0].as<uint16_t>(), lower(v[1].as<std::string>())});
            break;
        case dns::RrType::PTR: a.names.push_back(lower(v.as<std::string>())); break;
        case dns::RrType::TXT: a.texts.push_back(joined_text(v)); break;
        default: break;
    }
}

dns::Answer timeout_answer() {
    dns::Answer a;
    a.rcode = dns::Rcode::Timeout;
    a.why = "suite: TIMEOUT";
    return a;
}

// testspf.py: SPF entries double as TXT when the name has no TXT entry at all.
bool txt_from_spf(const std::vector<ZoneEntry>& entries) {
    return std::none_of(entries.begin(), entries.end(),
                        [](const ZoneEntry& e) { return e.type == "TXT"; });
}

dns::Answer answer_for(const Zone& zone, const std::string& name, dns::RrType type, int depth);

dns::Answer records_of(const std::vector<ZoneEntry>& entries, dns::RrType type) {
    dns::Answer a;
    a.rcode = dns::Rcode::NoError;
    a.ttl = 300;
    const std::string want = dns::to_string(type);
    std::vector<const ZoneEntry*> generated;
    for (const auto& e : entries) {
        if (e.type == "TIMEOUT") {
            if (a.size() == 0) return timeout_answer();
            return a;
        }
        if (e.type == "SPF" && type == dns::RrType::TXT && txt_from_spf(entries)) {
            generated.push_back(&e);
        }
        if (e.type != want) continue;
        if (is_text(e.value, "TIMEOUT")) return timeout_answer();
        if (!is_text(e.value, "NONE")) add_record(a, type, e.value);
    }
    for (const auto* e : generated) {
        if (is_text(e->value, "TIMEOUT")) return timeout_answer();
        if (!is_text(e->value, "NONE")) add_record(a, type, e->value);
    }
    return a;
}

dns::Answer answer_for(const Zone& zone, const std::string& name, dns::RrType type, int depth) {
    auto it = zone.find(name);
    if (it == zone.end()) {
        dns::Answer a;
        a.rcode = dns::Rcode::NxDomain;
        return a;
    }
    for (const auto& e : it->second) {
        if (e.type != "CNAME") continue;
        if (depth >= kMaxCnameChain) {
            dns::Answer a;
            a.rcode = dns::Rcode::ServFail;
            a.why = "suite: CNAME loop";
            return a;
        }
        return answer_for(zone, lower(e.value.as<std::string>()), type, depth + 1);
    }
    return records_of(it->second, type);
}

void fill_resolver(const Zone& zone, SuiteResolver& r) {
    constexpr dns::RrType kTypes[] = {dns::RrType::A, dns::RrType::AAAA, dns::RrType::MX,
                                      dns::RrType::PTR, dns::RrType::TXT};
    for (const auto& [name, entries] : zone) {
        r.add_known(name);
        for (auto type : kTypes) r.zone().set(name, type, answer_for(zone, name, type, 0));
    }
}

std::string text_or_empty(const YAML::Node& n) {
    if (!n || n.IsNull()) return {};
    if (n.IsScalar()) return n.as<std::string>();
    std::string out;   // e.g. "spec: [4.3/1, 5/10/3]"
    for (const auto& part : n) out += (out.empty() ? "" : ", ") + part.as<std::string>();
    return out;
}

SpfSuiteTest read_test(const std::string& name, const YAML::Node& t) {
    SpfSuiteTest out;
    out.name = name;
    out.spec = text_or_empty(t["spec"]);
    out.helo = text_or_empty(t["helo"]);
    out.host = text_or_empty(t["host"]);
    out.mailfrom = text_or_empty(t["mailfrom"]);
    const auto& result = t["result"];
    if (result.IsSequence()) {
        for (const auto& r : result) out.results.push_back(r.as<std::string>());
    } else {
        out.results.push_back(result.as<std::string>());
    }
    if (t["explanation"]) out.explanation = t["explanation"].as<std::string>();
    return out;
}

}  // namespace

std::vector<SpfSuiteScenario> load_spf_suite(const std::string& path) {
    std::vector<SpfSuiteScenario> scenarios;
    for (const auto& doc : YAML::LoadAllFromFile(path)) {
        if (!doc.IsMap()) continue;
        SpfSuiteScenario s;
        s.description = text_or_empty(doc["description"]);
        s.resolver = std::make_unique<SuiteResolver>();
        if (doc["zonedata"]) fill_resolver(read_zone(doc["zonedata"]), *s.resolver);
        for (const auto& t : doc["tests"]) {
            s.tests.push_back(read_test(t.first.as<std::string>(), t.second));
        }
        scenarios.push_back(std::move(s));
    }
    return scenarios;
}

}  // namespace mw::test
