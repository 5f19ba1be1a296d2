#include <catch2/catch.hpp>

#include "common/milter/macros.hpp"

using mw::milter::Macros;

TEST_CASE("Macros: braces or not, same name", "[milter]") {
    Macros m;
    m.set("{daemon_name}", "ORIGINATING");
    m.set("i", "4ABC");
    CHECK(m.get("daemon_name") == std::optional<std::string_view>("ORIGINATING"));
    CHECK(m.get("{daemon_name}") == std::optional<std::string_view>("ORIGINATING"));
    CHECK(m.get("{i}") == std::optional<std::string_view>("4ABC"));
    CHECK_FALSE(m.get("j"));
    CHECK(m.get_or("j", "none") == "none");
    CHECK(m.size() == 2);
}

TEST_CASE("Macros: wire names as Postfix writes them", "[milter]") {
    CHECK(Macros::wire_name("j") == "j");
    CHECK(Macros::wire_name("_") == "_");
    CHECK(Macros::wire_name("{i}") == "i");
    CHECK(Macros::wire_name("auth_authen") == "{auth_authen}");
    CHECK(Macros::wire_name("{auth_authen}") == "{auth_authen}");
    CHECK(Macros::bare_name("{}") == "");
    CHECK(Macros::bare_name("{x") == "{x");
}

TEST_CASE("Macros: merge overrides", "[milter]") {
    Macros a;
    a.set("i", "1");
    a.set("j", "mx");
    Macros b;
    b.set("i", "2");
    a.merge(b);
    CHECK(a.get("i") == std::optional<std::string_view>("2"));
    CHECK(a.get("j") == std::optional<std::string_view>("mx"));
}
