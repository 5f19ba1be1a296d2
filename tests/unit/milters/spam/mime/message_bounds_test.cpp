#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "milters/spam/mime/message_parser.hpp"

using namespace mw::spam;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string nested_multipart(int depth) {
    std::string head, tail;
    for (int i = 0; i < depth; ++i) {
        head += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\n\n--b" +
                std::to_string(i) + "\n";
        tail = "--b" + std::to_string(i) + "--\n" + tail;
    }
    return head + "Content-Type: text/plain\n\ndeepest text\n" + tail;
}

std::string nested_rfc822(int depth) {
    std::string s;
    for (int i = 0; i < depth; ++i) s += "Subject: level\nContent-Type: message/rfc822\n\n";
    return s + "Subject: last\n\ninnermost\n";
}

}  // namespace

TEST_CASE("bounds: depth at the limit and one past it", "[spam][mime]") {
    MimeLimits limits;
    limits.max_depth = 5;
    auto m = parse_message(nested_multipart(5), limits);  // text leaf at depth 5
    CHECK_FALSE(m.truncated);
    m = parse_message(nested_multipart(6), limits);
    CHECK(m.truncated);
    CHECK(m.truncated_why == "max_depth");
}

TEST_CASE("bounds: 1000-deep multipart and message/rfc822 nesting finish fast", "[spam][mime]") {
    const auto t0 = std::chrono::steady_clock::now();
    auto m = parse_message(nested_multipart(1000));
    CHECK(m.truncated);
    CHECK(m.parts.size() <= 21);
    m = parse_message(nested_rfc822(100000));
    CHECK(m.truncated);
    INFO("took " << seconds_since(t0) << " s (bounded work; time not asserted, machines are noisy)");
}

TEST_CASE("bounds: part count at the limit and past it - 10 +000 parts", "[spam][mime]") {
    auto many = [](int n) {
        std::string s = "Content-Type: multipart/mixed; boundary=p\n\n";
        for (int i = 0; i < n; ++i) s += "--p\nContent-Type: text/plain\n\npart\n";
        return s + "--p--\n";
    };
    MimeLimits limits;
    limits.max_parts = 11;  // the container plus ten leaves
    CHECK_FALSE(parse_message(many(10), limits).truncated);
    CHECK(parse_message(many(11), limits).truncated);
    const auto t0 = std::chrono::steady_clock::now();
    const auto m = parse_message(many(10000));
    CHECK(m.truncated);
    CHECK(m.parts.size() <= MimeLimits{}.max_parts);
    INFO("took " << seconds_since(t0) << " s (bounded work; time not asserted, machines are noisy)");
}

TEST_CASE("bounds: 20 MB base64 part is cut at max_decoded_bytes", "[spam][mime]") {
    std::string line(76, 'Q');
    std::string body;
    body.reserve(21 << 20);
    while (body.size() < (20u << 20)) body += line + "\n";
    const std::string msg = "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + body;
    const auto t0 = std::chrono::steady_clock::now();
    const auto m = parse_message(msg);
    CHECK(m.truncated);
    REQUIRE(m.parts.size() == 1);
    CHECK(m.parts[0].decoded_size <= MimeLimits{}.max_decoded_bytes);
    std::size_t text = 0;
    for (const auto& l : m.rawbody_lines) text += l.size();
    CHECK(text <= MimeLimits{}.max_text_bytes);
    INFO("took " << seconds_since(t0) << " s (bounded work; time not asserted, machines are noisy)");
}

TEST_CASE("bounds: uris at the limit", "[spam][mime]") {
    MimeLimits limits;
    limits.max_uris = 3;
    auto m = parse_message("\nhttp://a.example/ http://b.example/ http://c.example/\n", limits);
    CHECK(m.uris.size() == 3);
    CHECK_FALSE(m.truncated);
    m = parse_message("\nhttp://a.example/ http://b.example/ http://c.example/ http://d.example/\n", limits);
    CHECK(m.uris.size() == 3);
    CHECK(m.truncated);
}
