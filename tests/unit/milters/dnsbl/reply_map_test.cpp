// ReplyMap: per-zone reply templates from a file, with FILE:LINE errors.
#include "milters/dnsbl/reply_map.hpp"

#include <catch2/catch.hpp>

#include "common/base/limits.hpp"
#include "tests/support/temp_dir.hpp"

using namespace mw::dnsbl;

TEST_CASE("ReplyMap: entries, comments, continuation lines, case-insensitive zones", "[dnsbl]") {
    auto map = ReplyMap::parse(
        "# replies\n"
        "\n"
        "zen.spamhaus.org 450 4.7.1 $rbl_class [$rbl_what] listed\n"
        "Bl.Example.  550 5.7.1 see\n"
        "  $rbl_reason\n"
        "$dqs_key.zen.dq.spamhaus.net 554 dqs\n",
        "rbl_reply");
    REQUIRE(map);
    CHECK(map->size() == 3);
    ReplyVariables v;
    v.rbl_class = "Client host";
    v.rbl_what = "192.0.2.1";
    v.rbl_reason = "why";
    REQUIRE(map->find("ZEN.spamhaus.org"));
    CHECK(map->find("ZEN.spamhaus.org")->expand(v) == "450 4.7.1 Client host [192.0.2.1] listed");
    REQUIRE(map->find("bl.example"));
    CHECK(map->find("bl.example")->expand(v) == "550 5.7.1 see why");
    CHECK(map->find("$dqs_key.zen.dq.spamhaus.net"));
    CHECK_FALSE(map->find("other.example"));
}

TEST_CASE("ReplyMap: errors carry FILE:LINE", "[dnsbl]") {
    auto bad = ReplyMap::parse("ok.example 550 fine\n\nbad.example 550 $nosuch\n", "maps.txt");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().to_string().rfind("maps.txt:3: ", 0) == 0);
    auto missing = ReplyMap::parse("# c\nlonely.example\n", "maps.txt");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().to_string().rfind("maps.txt:2: ", 0) == 0);
    auto orphan = ReplyMap::parse("  550 continuation first\n", "maps.txt");
    REQUIRE_FALSE(orphan);
    CHECK(orphan.error().to_string().rfind("maps.txt:1: ", 0) == 0);
}

TEST_CASE("ReplyMap: the last entry for a zone wins", "[dnsbl]") {
    auto map = ReplyMap::parse("z.example 550 one\nz.example 550 two\n", "f");
    REQUIRE(map);
    CHECK(map->find("z.example")->expand({}) == "550 two");
}

TEST_CASE("ReplyMap: line bound, at the limit and one past it", "[dnsbl]") {
    const std::string head = "z.example 550 ";
    const std::string ok = head + std::string(mw::limits::kMaxDnsblReplyMapLine - head.size(), 'a');
    // The template bound is smaller than the line bound: test the line bound on its own.
    auto long_line = ReplyMap::parse(ok + "a\n", "f");
    REQUIRE_FALSE(long_line);
    CHECK(long_line.error().code == mw::ErrorCode::TooLong);
    const std::string fits = head + std::string(mw::limits::kMaxDnsblReplyTemplate - 4, 'a');
    CHECK(ReplyMap::parse(fits + "\n", "f"));
}

TEST_CASE("ReplyMap: load reads a file; a missing file is an error", "[dnsbl]") {
    mw::test::TempDir dir;
    const auto path = dir.write("rbl_reply", "zen.example 450 4.7.1 try later\n");
    auto map = ReplyMap::load(path);
    REQUIRE(map);
    CHECK(map->find("zen.example"));
    auto missing = ReplyMap::load(dir.file("nope"));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == mw::ErrorCode::NotFound);
}
