#include "milters/spam/mime/uri_canonicalizer.hpp"

#include <catch2/catch.hpp>

using namespace mw::spam;
using Uris = std::vector<std::string>;

TEST_CASE("canonicalize_uri: host lowercased + default port + user dropped", "[spam][mime]") {
    CHECK(canonicalize_uri("http://User:pw@WWW.Example.COM:80/Path") ==
          Uris{"http://User:pw@WWW.Example.COM:80/Path", "http://www.example.com/Path"});
    CHECK(canonicalize_uri("https://a.example?q=1") == Uris{"https://a.example?q=1", "https://a.example/?q=1"});
}

TEST_CASE("canonicalize_uri: encodings and sloppy schemes", "[spam][mime]") {
    CHECK(canonicalize_uri("http:%77%77%77.example.com") ==
          Uris{"http:%77%77%77.example.com", "http://www.example.com"});
    CHECK(canonicalize_uri("http:\\\\evil.example\\x") == Uris{"http:\\\\evil.example\\x", "http://evil.example/x"});
    CHECK(canonicalize_uri("http://a&#46;example&#x2E;com/") ==
          Uris{"http://a&#46;example&#x2E;com/", "http://a.example.com/"});
    CHECK(canonicalize_uri("www.example.com") == Uris{"www.example.com", "http://www.example.com"});
}

TEST_CASE("canonicalize_uri: redirect target + mail + relative", "[spam][mime]") {
    const auto r = canonicalize_uri("http://redir.example/go?u=http://target.example/x&y=1");
    REQUIRE(r.size() == 2);
    CHECK(r[1] == "http://target.example/x");
    CHECK(canonicalize_uri("mailto:a@b.example?subject=hi") ==
          Uris{"mailto:a@b.example?subject=hi", "mailto:a@b.example"});
    CHECK(canonicalize_uri("/relative/path").empty());
    CHECK(canonicalize_uri("#top").empty());
}

TEST_CASE("uri_host", "[spam][mime]") {
    CHECK(uri_host("http://u@Host.Example:8080/x") == "host.example");
    CHECK(uri_host("mailto:a@Mail.Example?x") == "mail.example");
    CHECK(uri_host("http://[2001:db8::1]/") == "[2001:db8::1]");
    CHECK(uri_host("nonsense").empty());
}
