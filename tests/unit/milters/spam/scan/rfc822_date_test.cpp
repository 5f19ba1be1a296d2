#include <catch2/catch.hpp>

#include "milters/spam/scan/rfc822_date.hpp"

using mw::spam::parse_rfc822_date;

TEST_CASE("rfc822 date: RFC 5322 form with numeric zone") {
    // 2026-11-24 22:08:14 UTC = 1795558094
    CHECK(parse_rfc822_date("Tue, 24 Nov 2026 22:08:14 +0000") == 1795558094);
    CHECK(parse_rfc822_date("Tue, 24 Nov 2026 23:08:14 +0100") == 1795558094);
    CHECK(parse_rfc822_date("24 Nov 2026 17:08:14 -0500") == 1795558094);
}

TEST_CASE("rfc822 date: named zones, missing seconds, two-digit years") {
    CHECK(parse_rfc822_date("Tue, 24 Nov 2026 17:08:14 EST") == 1795558094);
    CHECK(parse_rfc822_date("Thu, 22 Aug 02 10:00 GMT") == parse_rfc822_date("22 Aug 2002 10:00:00 +0000"));
    CHECK(parse_rfc822_date("1 Jan 99 00:00:00 +0000") == 915148800);
    // an unknown zone counts as -0000
    CHECK(parse_rfc822_date("Tue, 24 Nov 2026 22:08:14 XYZT") == 1795558094);
}

TEST_CASE("rfc822 date: the ctime-like form of Received lines") {
    CHECK(parse_rfc822_date("Nov 24 22:08:14 2026") == 1795558094);
}

TEST_CASE("rfc822 date: out-of-range fields are clamped, garbage refused") {
    CHECK(parse_rfc822_date("31 Feb 2026 25:61:99 +0000") == parse_rfc822_date("1 Mar 2026 23:59:59 +0000"));
    CHECK_FALSE(parse_rfc822_date("yesterday"));
    CHECK_FALSE(parse_rfc822_date(""));
    CHECK_FALSE(parse_rfc822_date(std::string(100000, '9')));
}
