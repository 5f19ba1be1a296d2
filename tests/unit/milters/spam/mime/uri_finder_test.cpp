#include "milters/spam/mime/uri_finder.hpp"

#include <catch2/catch.hpp>

using namespace mw::spam;
using Uris = std::vector<std::string>;

TEST_CASE("find_text_uris: schemes and www", "[spam][mime]") {
    CHECK(find_text_uris("see http://example.com/a?b=c, then", 10) == Uris{"http://example.com/a?b=c"});
    CHECK(find_text_uris("(https://x.example.org/p) and www.Example.COM.", 10) ==
          Uris{"https://x.example.org/p", "http://www.Example.COM"});
    CHECK(find_text_uris("<http://a.example/>\"ftp.gnu.org\"", 10) ==
          Uris{"http://a.example/", "ftp://ftp.gnu.org"});
    CHECK(find_text_uris("wwwhat www1.nodot", 10) == Uris{"http://www1.nodot"});  // as SA
    CHECK(find_text_uris("www. awww", 10).empty());
}

TEST_CASE("find_text_uris: bare domains need a known TLD", "[spam][mime]") {
    CHECK(find_text_uris("visit cheap-pills.biz/order now", 10) == Uris{"http://cheap-pills.biz/order"});
    CHECK(find_text_uris("EXAMPLE.COM rocks", 10) == Uris{"http://EXAMPLE.COM"});
    CHECK(find_text_uris("file.txt and v1.2.3 and foo.notatld", 10).empty());
    CHECK(find_text_uris("x:example.net", 10) == Uris{"http://example.net"});
}

TEST_CASE("find_text_uris: e-mail addresses", "[spam][mime]") {
    CHECK(find_text_uris("write to Sales@Example.com.", 10) == Uris{"mailto:Sales@Example.com"});
    CHECK(find_text_uris("Vi@gra and user@host", 10).empty());
    CHECK(find_text_uris("[cid:image001.png@01D4986E.E3459640]", 10).empty());
}

TEST_CASE("find_text_uris: bound on count", "[spam][mime]") {
    CHECK(find_text_uris("a.com b.com c.com d.com", 2).size() == 2);
    CHECK(is_domain_with_known_tld("mail.example.co.uk"));
    CHECK_FALSE(is_domain_with_known_tld("a..com"));
    CHECK_FALSE(is_domain_with_known_tld("example.zzzz"));
}
