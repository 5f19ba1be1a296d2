#include "bench/dkim/bench_message.hpp"

#include <fmt/format.h>

#include <array>

namespace mw::bench {

namespace {

constexpr std::size_t kLineWidth = 72;

constexpr std::array<const char*, 16> kWords{
    "the",     "quarterly", "report", "is",      "attached", "please", "review",  "numbers",
    "before",  "Friday",    "and",    "send",    "comments", "to",     "finance", "thanks,"};

std::string headers(const MessageShape& s) {
    return fmt::format(
        "Received: from client.example.org (client.example.org [192.0.2.9])\n"
        "\tby mx.bench.test (Postfix) with ESMTPS id 4Xb2Qw1Zz3z9sW\n"
        "\tfor <{1}>; Mon, 23 Nov 2026 10:00:00 +0000 (UTC)\n"
        "From: Alice Example <{0}>\n"
        "To: Bob Example <{1}>\n"
        "Subject: Quarterly report, size {2}\n"
        "Date: Mon, 23 Nov 2026 10:00:00 +0000\n"
        "Message-ID: <bench-{2}@{0}>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 7bit\n"
        "\n",
        s.from, s.rcpt, s.size);
}

// One body line of words, at most kLineWidth characters; `n` picks where in the word list it
// starts, so lines differ.
std::string body_line(std::size_t n) {
    std::string line;
    for (std::size_t w = n;; ++w) {
        const std::string_view word = kWords[(w * 7 + n) % kWords.size()];
        if (line.size() + word.size() + 1 > kLineWidth) break;
        if (!line.empty()) line += ' ';
        line += word;
    }
    return line + '\n';
}

}  // namespace

std::string make_message_text(const MessageShape& shape) {
    std::string text = headers(shape);
    for (std::size_t n = 0; text.size() < shape.size; ++n) text += body_line(n);
    return text;
}

}  // namespace mw::bench
