#include <catch2/catch.hpp>

#include "common/authres/auth_results.hpp"
#include "common/authres/auth_results_reader.hpp"

using namespace mw::authres;

TEST_CASE("auth results reader: authserv-id, methods, results and properties") {
    auto r = read_auth_results("mx.example.net 1; spf=pass (sender ok) smtp.mailfrom=a@example.com;\n"
                               "\tdkim=FAIL reason=\"bad sig\" header.d=example.com header.s=sel; dmarc=none");
    CHECK(r.authserv_id == "mx.example.net");
    REQUIRE(r.results.size() == 3);
    CHECK(r.results[0].method == "spf");
    CHECK(r.results[0].result == "pass");
    CHECK(auth_property(r.results[0], "smtp", "mailfrom") == "a@example.com");
    CHECK(r.results[1].result == "fail");
    CHECK(r.results[1].reason == "bad sig");
    CHECK(auth_property(r.results[1], "header", "d") == "example.com");
    CHECK(auth_property(r.results[1], "header", "b").empty());
}

TEST_CASE("auth results reader: reads back what AuthResultsHeader writes") {
    AuthResultsHeader h("mx.example.net");
    h.add({"dkim", "pass", "2048-bit key", "", {{"header", "d", "example.org"}, {"header", "s", "s1"}}});
    h.add({"spf", "softfail", "", "", {{"smtp", "mailfrom", "x@example.org"}}});
    auto r = read_auth_results(h.value());
    CHECK(r.authserv_id == "mx.example.net");
    REQUIRE(r.results.size() == 2);
    CHECK(auth_property(r.results[0], "header", "d") == "example.org");
    CHECK(r.results[1].result == "softfail");
}

TEST_CASE("auth results reader: none, comments with semicolons, garbage, bounds") {
    CHECK(read_auth_results("mx.example.net; none").results.empty());
    auto c = read_auth_results("mx.example.net; spf=pass (a; comment; with (nested) semicolons) smtp.mailfrom=x@y");
    REQUIRE(c.results.size() == 1);
    CHECK(auth_property(c.results[0], "smtp", "mailfrom") == "x@y");
    CHECK(read_auth_results("").authserv_id.empty());
    CHECK(read_auth_results(";;;=;==; x").results.empty());
    std::string many = "id";
    for (int i = 0; i < 500; ++i) many += "; spf=pass";
    CHECK(read_auth_results(many).results.size() == kMaxAuthResults);
}
