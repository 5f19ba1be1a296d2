// ReplyFilter: postscreen_dnsbl_sites "=d.d.d.d" filters with ranges and sets.
#include "milters/dnsbl/reply_filter.hpp"

#include <catch2/catch.hpp>

#include "common/base/limits.hpp"

using mw::dnsbl::ReplyFilter;
using mw::net::IpAddress;

namespace {

bool matches(const ReplyFilter& f, const char* ip) { return f.matches(*IpAddress::parse(ip)); }

ReplyFilter filter(const char* text) {
    auto f = ReplyFilter::parse(text);
    if (!f) FAIL(f.error().message);
    return *f;
}

}  // namespace

TEST_CASE("ReplyFilter: exact address", "[dnsbl]") {
    auto f = filter("127.0.0.2");
    CHECK(matches(f, "127.0.0.2"));
    CHECK_FALSE(matches(f, "127.0.0.3"));
    CHECK(f.text() == "127.0.0.2");
}

TEST_CASE("ReplyFilter: ranges include both ends", "[dnsbl]") {
    auto f = filter("127.0.0.[2..11]");
    CHECK_FALSE(matches(f, "127.0.0.1"));
    CHECK(matches(f, "127.0.0.2"));
    CHECK(matches(f, "127.0.0.11"));
    CHECK_FALSE(matches(f, "127.0.0.12"));
}

TEST_CASE("ReplyFilter: sets mix numbers and ranges, in several octets", "[dnsbl]") {
    auto f = filter("127.0.[0..255].[2;4;10..11]");
    CHECK(matches(f, "127.0.9.2"));
    CHECK(matches(f, "127.0.255.4"));
    CHECK(matches(f, "127.0.0.10"));
    CHECK_FALSE(matches(f, "127.0.0.3"));
    CHECK_FALSE(matches(f, "127.1.0.2"));
}

TEST_CASE("ReplyFilter: IPv6 answers never match; mapped IPv4 does", "[dnsbl]") {
    auto f = filter("127.0.0.[0..255]");
    CHECK_FALSE(matches(f, "::1"));
    CHECK(matches(f, "::ffff:127.0.0.5"));
}

TEST_CASE("ReplyFilter: malformed filters are errors", "[dnsbl]") {
    for (const char* bad :
         {"", "127.0.0", "127.0.0.0.1", "127.0.0.256", "127.0.0.[2..]", "127.0.0.[..2]",
          "127.0.0.[11..2]", "127.0.0.[2;;3]", "127.0.0.[2", "127.0.0.2]", "127.0.0.[[2]]",
          "127.0.0.x", "127.0.0.-1", "127..0.1", "127.0.0.0002", "127.0.0.[]"}) {
        INFO(bad);
        CHECK_FALSE(ReplyFilter::parse(bad));
    }
}

TEST_CASE("ReplyFilter: the item bound, at the limit and one past it", "[dnsbl]") {
    std::string items;
    for (std::size_t i = 0; i < mw::limits::kMaxDnsblFilterItems; ++i)
        items += (i ? ";" : "") + std::to_string(i);
    CHECK(ReplyFilter::parse("127.0.0.[" + items + "]"));
    CHECK_FALSE(ReplyFilter::parse("127.0.0.[" + items + ";200]"));
}
