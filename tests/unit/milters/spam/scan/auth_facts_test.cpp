#include <catch2/catch.hpp>

#include "milters/spam/scan/auth_facts.hpp"

using namespace mw::spam;

namespace {

HeaderField field(std::string name, std::string value) { return {name, value, value}; }

}  // namespace

TEST_CASE("auth facts: our Authentication-Results give SPF and DKIM, others are ignored") {
    std::vector<HeaderField> h = {
        field("Authentication-Results", "mx.example.net; spf=pass smtp.mailfrom=a@example.com; "
                                        "dkim=pass (2048-bit key) header.d=example.com header.s=sel"),
        field("Authentication-Results", "forger.example; spf=fail smtp.mailfrom=a@example.com; dkim=pass header.d=evil.example"),
        field("DKIM-Signature", "v=1; d=example.com; s=sel; b=xyz"),
    };
    auto f = read_auth_facts(h, "mx.example.net", "X-Mailwarden-DNSBL");
    CHECK(f.spf == "pass");
    REQUIRE(f.dkim_pass_domains.size() == 1);
    CHECK(f.dkim_pass_domains[0] == "example.com");
    CHECK(f.dkim_signed);
    auto none = read_auth_facts(h, "other.example", "");
    CHECK(none.spf.empty());
    CHECK(none.dkim_pass_domains.empty());
}

TEST_CASE("auth facts: HELO-only SPF results are kept apart") {
    std::vector<HeaderField> h = {field("Authentication-Results", "mx.example.net; spf=none smtp.helo=host.example")};
    auto f = read_auth_facts(h, "MX.example.net", "");   // authserv-ids compare case-insensitively
    CHECK(f.spf.empty());
    CHECK(f.spf_helo == "none");
}

TEST_CASE("auth facts: topmost Received-SPF with our receiver, only when no A-R said") {
    std::vector<HeaderField> h = {
        field("Received-SPF", "Softfail (mailfrom) identity=mailfrom; client-ip=192.0.2.1; receiver=mx.example.net;"),
        field("Received-SPF", "pass (elsewhere) receiver=mx.example.net;"),
    };
    CHECK(read_auth_facts(h, "mx.example.net", "").spf == "softfail");
    std::vector<HeaderField> foreign = {field("Received-SPF", "pass receiver=other.example;")};
    CHECK(read_auth_facts(foreign, "mx.example.net", "").spf.empty());
}

TEST_CASE("auth facts: mailwarden-dnsbl's score header") {
    std::vector<HeaderField> h = {field("X-Mailwarden-DNSBL", "score=4; zen.spamhaus.org=127.0.0.4*3; bl.example=127.0.0.2")};
    auto f = read_auth_facts(h, "mx.example.net", "X-Mailwarden-DNSBL");
    CHECK(f.dnsbl_seen);
    CHECK(f.dnsbl_score == 4);
    CHECK_FALSE(read_auth_facts(h, "mx.example.net", "").dnsbl_seen);
    std::vector<HeaderField> bad = {field("X-Mailwarden-DNSBL", "score=abc")};
    CHECK_FALSE(read_auth_facts(bad, "mx.example.net", "X-Mailwarden-DNSBL").dnsbl_seen);
}
