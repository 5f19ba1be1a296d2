#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/table/access_table.hpp"

using mw::table::access_lookup_keys;
using mw::table::AccessKind;
using mw::table::AccessLookupOptions;
using mw::table::AccessTable;
using Keys = std::vector<std::string>;

namespace {

AccessLookupOptions dot_style() {
    AccessLookupOptions o;
    o.parent_domain_matches_subdomains = false;
    return o;
}

AccessLookupOptions with_delimiter(const char* d) {
    AccessLookupOptions o;
    o.recipient_delimiter = d;
    return o;
}

// The key of the entry that decides `address`, or "" when none does.
std::string decided_by(const AccessTable& t, const char* address, const AccessLookupOptions& o = {}) {
    auto m = t.find_address(address, o);
    return m ? m->key : std::string();
}

}  // namespace

TEST_CASE("AccessTable: lookup keys in check_mail_access order", "[table]") {
    CHECK(access_lookup_keys("User@Mail.Example.COM") ==
          Keys{"user@mail.example.com", "mail.example.com", "example.com", "com", "user@"});
    CHECK(access_lookup_keys("user@mail.example.com", dot_style()) ==
          Keys{"user@mail.example.com", "mail.example.com", ".example.com", ".com", "user@"});
    // access(5) EMAIL ADDRESS EXTENSION: user+foo@domain, user@domain, domain, user+foo@, user@.
    CHECK(access_lookup_keys("user+foo@example.com", with_delimiter("+")) ==
          Keys{"user+foo@example.com", "user@example.com", "example.com", "com", "user+foo@", "user@"});
    // Without a recipient_delimiter "+" is an ordinary character.
    CHECK(access_lookup_keys("user+foo@example.com") == Keys{"user+foo@example.com", "example.com", "com", "user+foo@"});
    // Several delimiter characters: the first one present splits.
    CHECK(access_lookup_keys("a-b+c@x.org", with_delimiter("+-"))[1] == "a@x.org");
    // A delimiter at the start does not split; owner-/-request keep their "-".
    CHECK(access_lookup_keys("+x@x.org", with_delimiter("+")).size() == 4);
    CHECK(access_lookup_keys("owner-list@x.org", with_delimiter("-"))[1] == "x.org");
    CHECK(access_lookup_keys("list-request@x.org", with_delimiter("-"))[1] == "x.org");
    // Angle brackets are dropped; the null sender is the single null key.
    CHECK(access_lookup_keys("<a@b.c>")[0] == "a@b.c");
    CHECK(access_lookup_keys("") == Keys{"<>"});
    CHECK(access_lookup_keys("<>") == Keys{"<>"});
    AccessLookupOptions null_key;
    null_key.null_sender_key = "MAILER-DAEMON";
    CHECK(access_lookup_keys("<>", null_key) == Keys{"mailer-daemon"});
    // No subdomain walk for address literals; no "@" at all.
    CHECK(access_lookup_keys("u@[192.0.2.1]") == Keys{"u@[192.0.2.1]", "[192.0.2.1]", "u@"});
    CHECK(access_lookup_keys("postmaster") == Keys{"postmaster", "postmaster@"});
}

TEST_CASE("AccessTable: Postfix semantics, parent_domain_matches_subdomains on (3.7 default)", "[table]") {
    auto t = AccessTable::parse(
        "user@example.com     OK\n"
        "example.com          REJECT domain\n"
        ".sub.example.net     REJECT dot form\n"
        "example.net          DEFER parent\n"
        "postmaster@          OK\n"
        "<>                   550 no bounces\n",
        "access");
    REQUIRE(t);
    struct Case {
        const char* address;
        const char* key;
    };
    const Case cases[] = {
        {"user@example.com", "user@example.com"},      // full address before domain
        {"other@example.com", "example.com"},
        {"x@mail.example.com", "example.com"},         // bare domain matches subdomains
        {"x@a.sub.example.net", "example.net"},        // ".domain" is never consulted in this mode
        {"postmaster@example.com", "example.com"},     // domain before user@
        {"postmaster@elsewhere.org", "postmaster@"},
        {"nobody@elsewhere.org", ""},
        {"", "<>"},
        {"<>", "<>"},
        {"USER@EXAMPLE.COM", "user@example.com"},      // case-insensitive
    };
    for (const auto& c : cases) {
        INFO(c.address);
        CHECK(decided_by(*t, c.address) == c.key);
    }
    auto m = t->find_address("other@example.com");
    REQUIRE(m);
    CHECK(m->action.kind == AccessKind::Reject);
    CHECK(m->action.text == "domain");
    CHECK(m->pos.file == "access");
    CHECK(m->pos.line == 2);
}

TEST_CASE("AccessTable: Postfix semantics, parent_domain_matches_subdomains off", "[table]") {
    auto t = AccessTable::parse(
        "example.com        REJECT exact only\n"
        ".example.com       DEFER subdomains\n"
        "com                OK\n",
        "access");
    REQUIRE(t);
    const auto o = dot_style();
    CHECK(decided_by(*t, "a@example.com", o) == "example.com");
    CHECK(decided_by(*t, "a@mail.example.com", o) == ".example.com");   // not "example.com"
    CHECK(decided_by(*t, "a@deep.mail.example.com", o) == ".example.com");
    CHECK(decided_by(*t, "a@com", o) == "com");
    CHECK(decided_by(*t, "a@other.com", o) == "");                        // ".com" absent, "com" not tried
    // The same table with the default: "com" matches every .com domain.
    CHECK(decided_by(*t, "a@other.com") == "com");
}

TEST_CASE("AccessTable: address extensions with recipient_delimiter", "[table]") {
    auto t = AccessTable::parse(
        "user+spam@example.com   REJECT extension\n"
        "user@example.com        OK\n"
        "fan+news@               DISCARD\n"
        "fan@                    HOLD\n",
        "access");
    REQUIRE(t);
    const auto o = with_delimiter("+");
    CHECK(decided_by(*t, "user+spam@example.com", o) == "user+spam@example.com");
    CHECK(decided_by(*t, "user+other@example.com", o) == "user@example.com");
    CHECK(decided_by(*t, "fan+news@x.org", o) == "fan+news@");
    CHECK(decided_by(*t, "fan+other@x.org", o) == "fan@");
    // Without a delimiter the extension is part of the name.
    CHECK(decided_by(*t, "user+other@example.com") == "");
}

TEST_CASE("AccessTable: '@domain' and duplicates load with warnings and change nothing", "[table]") {
    auto t = AccessTable::parse("@example.com REJECT\nx@y.z OK\nx@y.z REJECT\n", "access");
    REQUIRE(t);
    CHECK(decided_by(*t, "a@example.com") == "");  // Postfix never looks "@domain" up
    REQUIRE(t->warnings().size() == 2);
    CHECK(t->warnings()[0].to_string().rfind("access:1: '@example.com' never matches", 0) == 0);
    CHECK(t->warnings()[1].pos->line == 3);
    CHECK(t->find_address("x@y.z")->action.kind == AccessKind::Ok);  // first entry kept
}

TEST_CASE("AccessTable: continuation lines and comments", "[table]") {
    auto t = AccessTable::parse(
        "# blocklist\n"
        "spam.example   REJECT 5.7.1 you are\n"
        "    on our list\n"
        "\n"
        "ham.example    OK\n",
        "bl");
    REQUIRE(t);
    CHECK(t->size() == 2);
    auto m = t->find_address("a@spam.example");
    REQUIRE(m);
    CHECK(m->action.text == "you are on our list");
    CHECK(m->action.dsn == "5.7.1");
    CHECK(m->pos.line == 2);
}

TEST_CASE("AccessTable: bad lines are errors at FILE:LINE", "[table]") {
    struct Case {
        const char* text;
        const char* error;
    };
    const Case cases[] = {
        {"ok.example OK\nlonely\n", "bl:2: expected 'KEY ACTION'"},
        {"# c\n\nx.example FILTER smtp:127.0.0.1:10025\n", "bl:3: action 'FILTER' is not supported by a milter"},
        {"x.example REDIRECT a@b.c\n", "bl:1: action 'REDIRECT' is not supported by a milter"},
        {"x.example PREPEND nonsense\n", "bl:1: PREPEND needs"},
        {"x.example hash:/etc/postfix/other\n", "bl:1: 'hash:/etc/postfix/other': a lookup table"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto t = AccessTable::parse(c.text, "bl");
        REQUIRE_FALSE(t);
        CHECK(t.error().to_string().rfind(c.error, 0) == 0);
    }
}

TEST_CASE("AccessTable: find_domain for host names", "[table]") {
    auto t = AccessTable::parse("example.com REJECT\n192.0.2.1 OK\n", "ca");
    REQUIRE(t);
    CHECK(t->find_domain("mx.EXAMPLE.com")->key == "example.com");
    CHECK(t->find_domain("192.0.2.1")->key == "192.0.2.1");
    CHECK_FALSE(t->find_domain("example.org"));
    CHECK_FALSE(t->find_domain(""));
}
