#include <catch2/catch.hpp>

#include "milters/dkim/header_hash.hpp"

using namespace mw::dkim;

TEST_CASE("header_hash_data: bottom-up selection, missing names, the signature last", "[dkim]") {
    const std::vector<MessageHeader> headers = {
        {"Received", " r1"}, {"From", " first"}, {"Subject", " s"}, {"From", " second"}, {"To", " t"}};
    const std::vector<std::string> h = {"from", "From", "from", "cc", "Subject"};
    HeaderHashInput in{&headers, &h, std::nullopt, "DKIM-Signature", " v=1; b=", Canon::Relaxed};
    auto data = header_hash_data(in);
    REQUIRE(data);
    // §5.4.2: the last From first, then the one above it, then none (oversigned), Cc absent.
    CHECK(*data == "from:second\r\nfrom:first\r\nsubject:s\r\ndkim-signature:v=1; b=");
    in.canon = Canon::Simple;
    CHECK(*header_hash_data(in) == "From: second\r\nFrom: first\r\nSubject: s\r\nDKIM-Signature: v=1; b=");
}

TEST_CASE("header_hash_data: the field being verified is skipped", "[dkim]") {
    const std::vector<MessageHeader> headers = {{"DKIM-Signature", " old"}, {"DKIM-Signature", " me"}, {"From", " f"}};
    const std::vector<std::string> h = {"From", "DKIM-Signature"};
    HeaderHashInput in{&headers, &h, 1, "DKIM-Signature", " me", Canon::Relaxed};
    CHECK(*header_hash_data(in) == "from:f\r\ndkim-signature:old\r\ndkim-signature:me");
}

TEST_CASE("strip_b_value: only b= loses its value, bytes elsewhere kept", "[dkim]") {
    CHECK(strip_b_value(" v=1; bh=abc; b=xy\r\n\t z=; d=x") == " v=1; bh=abc; b=; d=x");
    CHECK(strip_b_value(" v=1; b = ab\r\n cd") == " v=1; b =");
    CHECK(strip_b_value(" b=abc ;x=1") == " b= ;x=1");
    CHECK(strip_b_value(" bh=abc") == " bh=abc");
}
