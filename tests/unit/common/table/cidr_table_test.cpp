#include <catch2/catch.hpp>

#include <string>

#include "common/base/limits.hpp"
#include "common/table/cidr_table.hpp"

using mw::table::AccessKind;
using mw::table::CidrTable;

namespace {

std::string decided_by(const CidrTable& t, const char* client) {
    auto m = t.find(std::string_view(client));
    return m ? m->key : std::string();
}

}  // namespace

TEST_CASE("CidrTable: first match wins, IPv4 and IPv6, cidr_table(5) forms", "[table]") {
    auto t = CidrTable::parse(
        "# client_access\n"
        "192.0.2.1           OK\n"
        "192.0.2.0/24        REJECT 5.7.1 your network\n"
        "192.0.0.0/16        DEFER\n"
        "[2001:db8::]/32     550 no v6 from there\n"
        "[198.51.100.7]      DISCARD\n"
        "0.0.0.0/0           DUNNO\n",
        "cidr");
    REQUIRE(t);
    struct Case {
        const char* client;
        const char* key;
    };
    const Case cases[] = {
        {"192.0.2.1", "192.0.2.1"},          // earlier, more specific line
        {"192.0.2.99", "192.0.2.0/24"},
        {"192.0.77.1", "192.0.0.0/16"},
        {"2001:db8:1::5", "[2001:db8::]/32"},
        {"198.51.100.7", "[198.51.100.7]"},
        {"::ffff:192.0.2.99", "192.0.2.0/24"},  // IPv4-mapped client
        {"203.0.113.1", "0.0.0.0/0"},
        {"2001:db9::1", ""},                    // 0.0.0.0/0 covers IPv4 only
        {"not an address", ""},
    };
    for (const auto& c : cases) {
        INFO(c.client);
        CHECK(decided_by(*t, c.client) == c.key);
    }
    auto m = t->find(std::string_view("192.0.2.99"));
    REQUIRE(m);
    CHECK(m->action.kind == AccessKind::Reject);
    CHECK(m->action.text == "your network");
    CHECK(m->pos.line == 3);
    CHECK(m->pos.file == "cidr");
}

TEST_CASE("CidrTable: if / if ! / endif blocks, nested", "[table]") {
    // An indented line continues the previous one (Postfix text rules): "if A if !B" is an error,
    // so nested blocks are written flush left.
    REQUIRE_FALSE(CidrTable::parse("if 10.0.0.0/8\n  if !10.1.0.0/16\nendif\nendif\n", "c"));

    auto u = CidrTable::parse(
        "if 10.0.0.0/8\n"
        "if !10.1.0.0/16\n"
        "10.2.0.0/16 REJECT inner\n"
        "endif\n"
        "10.0.0.0/8 OK\n"
        "endif\n"
        "0.0.0.0/0 DEFER outside\n",
        "c");
    REQUIRE(u);
    CHECK(decided_by(*u, "10.2.3.4") == "10.2.0.0/16");   // in 10/8, not in 10.1/16
    CHECK(decided_by(*u, "10.1.2.3") == "10.0.0.0/8");    // skips the !10.1/16 block
    CHECK(decided_by(*u, "10.9.9.9") == "10.0.0.0/8");
    CHECK(decided_by(*u, "11.0.0.1") == "0.0.0.0/0");     // skips the whole 10/8 block
}

TEST_CASE("CidrTable: bad lines are errors at FILE:LINE", "[table]") {
    struct Case {
        const char* text;
        const char* error;
    };
    const Case cases[] = {
        {"192.0.2.1/24 OK\n", "c:1: bad address pattern"},   // host bits set
        {"# x\n192.0.2.0/24\n", "c:2: expected 'PATTERN RESULT'"},
        {"example.com OK\n", "c:1: bad address pattern"},
        {"192.0.2.0/33 OK\n", "c:1: bad address pattern"},
        {"192.0.2.0/24 BCC a@b.c\n", "c:1: action 'BCC' is not supported by a milter"},
        {"endif\n", "c:1: 'endif' without 'if'"},
        {"if 10.0.0.0/8\n10.0.0.1 OK\n", "c:1: 'if' without 'endif'"},
        {"if\n", "c:1: expected 'if PATTERN'"},
        {"if 10.0.0.0/8 extra\nendif\n", "c:1: expected 'if PATTERN'"},
        {"if 10.0.0.0/8\nendif now\n", "c:2: text after 'endif'"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto t = CidrTable::parse(c.text, "c");
        REQUIRE_FALSE(t);
        CHECK(t.error().to_string().rfind(c.error, 0) == 0);
    }
}

TEST_CASE("CidrTable: if nesting at the limit and one past", "[table]") {
    auto nested = [](int depth) {
        std::string text;
        for (int i = 0; i < depth; ++i) text += "if 10.0.0.0/8\n";
        text += "10.0.0.1 OK\n";
        for (int i = 0; i < depth; ++i) text += "endif\n";
        return text;
    };
    auto at = CidrTable::parse(nested(mw::limits::kMaxCidrNesting), "c");
    REQUIRE(at);
    CHECK(decided_by(*at, "10.0.0.1") == "10.0.0.1");
    auto past = CidrTable::parse(nested(mw::limits::kMaxCidrNesting + 1), "c");
    REQUIRE_FALSE(past);
    CHECK(past.error().code == mw::ErrorCode::TooLong);
    CHECK(past.error().pos->line == mw::limits::kMaxCidrNesting + 1);
}
