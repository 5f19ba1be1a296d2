#include <catch2/catch.hpp>

#include <string>

#include "common/authres/auth_results.hpp"
#include "tests/support/unfolded.hpp"

using mw::authres::AuthResult;
using mw::authres::AuthResultsHeader;

using mw::test::unfolded;

namespace {

}  // namespace

TEST_CASE("AuthResultsHeader: RFC 8601 B.2, nothing done", "[authres]") {
    AuthResultsHeader h("example.org", 1);
    CHECK(h.to_string() == "Authentication-Results: example.org 1; none");
}

TEST_CASE("AuthResultsHeader: RFC 8601 B.3, SPF", "[authres]") {
    AuthResultsHeader h("example.com");
    h.add({"spf", "pass", "", "", {{"smtp", "mailfrom", "example.net"}}});
    CHECK(h.to_string() == unfolded(R"(Authentication-Results: example.com;
                  spf=pass smtp.mailfrom=example.net)"));
}

TEST_CASE("AuthResultsHeader: RFC 8601 B.4, SMTP AUTH and SPF", "[authres]") {
    AuthResultsHeader h("example.com");
    h.add({"auth", "pass", "cram-md5", "", {{"smtp", "auth", "sender@example.net"}}});
    h.add({"spf", "pass", "", "", {{"smtp", "mailfrom", "example.net"}}});
    CHECK(h.to_string() == unfolded(R"(Authentication-Results: example.com;
              auth=pass (cram-md5) smtp.auth=sender@example.net;
              spf=pass smtp.mailfrom=example.net)"));
}

TEST_CASE("AuthResultsHeader: RFC 8601 B.6, two DKIM results", "[authres]") {
    AuthResultsHeader h("mail-router.example.net");
    h.add({"dkim", "pass", "good signature", "",
           {{"header", "d", "newyork.example.com"}, {"header", "b", "oINEO8hg"}}});
    h.add({"dkim", "fail", "bad signature", "",
           {{"header", "d", "newyork.example.com"}, {"header", "b", "EToRSuvU"}}});
    CHECK(h.to_string() == unfolded(R"(Authentication-Results: mail-router.example.net;
              dkim=pass (good signature) header.d=newyork.example.com
                    header.b=oINEO8hg;
              dkim=fail (bad signature) header.d=newyork.example.com
                    header.b=EToRSuvU)"));
}

TEST_CASE("AuthResultsHeader: reason and values that need quoting", "[authres]") {
    AuthResultsHeader h("mx.example.org");
    h.add({"spf", "permerror", "", "too many DNS lookups",
           {{"smtp", "mailfrom", "we ird@example.net"}}});
    CHECK(h.value() == "mx.example.org; spf=permerror reason=\"too many DNS lookups\" "
                       "smtp.mailfrom=\"we ird@example.net\"");
}

TEST_CASE("AuthResultsHeader: none with a comment", "[authres]") {
    AuthResultsHeader h("mx.example.org");
    h.set_none_comment("SPF skipped (local)");
    CHECK(h.value() == "mx.example.org; none (SPF skipped \\(local\\))");
}
