#include "milters/spam/spam_headers.hpp"

#include <fmt/format.h>

#include <cmath>

namespace mw::spam {

namespace {

constexpr std::size_t kFoldAt = 78;
constexpr int kMaxStars = 50;

}  // namespace

std::string format_score(double score) {
    // Round half away from zero on the decimal, so 4.95 prints 5.0 (as Perl's sprintf on most
    // scores; avoids "-0.0").
    double r = std::round(score * 10.0) / 10.0;
    if (r == 0) r = 0;
    return fmt::format("{:.1f}", r);
}

std::string spam_level(double score) {
    int stars = score <= 0 ? 0 : std::min(kMaxStars, static_cast<int>(score));
    return std::string(static_cast<std::size_t>(stars), '*');
}

std::string spam_status(const SpamVerdict& v) {
    std::string tests;
    for (const auto& t : v.tests) {
        if (!tests.empty()) tests += ',';
        tests += t.name;
    }
    if (tests.empty()) tests = "none";
    return fmt::format("{}, score={} required={} tests={} autolearn=disabled version={}", v.spam ? "Yes" : "No",
                       format_score(v.score), format_score(v.required), tests, v.version);
}

std::string spam_report(const SpamVerdict& v) {
    std::string out;
    for (const auto& t : v.tests) {
        if (!out.empty()) out += '\n';
        out += fmt::format("\t* {:>4} {} {}", format_score(t.score), t.name, t.description);
    }
    return out.empty() ? "\t* 0.0 none" : out;
}

std::string fold_header_value(const std::string& value, std::size_t name_length) {
    std::string out;
    std::size_t column = name_length + 2;
    std::size_t i = 0;
    while (i < value.size()) {
        // The next token runs to just after the next ',' or up to the next ' '.
        std::size_t end = value.find_first_of(", ", i);
        end = end == std::string::npos ? value.size() : (value[end] == ',' ? end + 1 : end);
        std::string_view token(value.data() + i, end - i);
        if (column + token.size() > kFoldAt && column > 8) {
            while (!out.empty() && out.back() == ' ') out.pop_back();
            out += "\n\t";
            column = 8;
        }
        out += token;
        column += token.size();
        i = end;
        if (i < value.size() && value[i] == ' ') {
            out += ' ';
            ++column;
            ++i;
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> spam_header_fields(const SpamVerdict& v, bool with_report) {
    std::vector<std::pair<std::string, std::string>> out;
    if (v.spam) out.emplace_back("X-Spam-Flag", "YES");
    out.emplace_back("X-Spam-Score", format_score(v.score));
    out.emplace_back("X-Spam-Level", spam_level(v.score));
    out.emplace_back("X-Spam-Status", fold_header_value(spam_status(v), 13));
    if (with_report) out.emplace_back("X-Spam-Report", "\n" + spam_report(v));
    return out;
}

}  // namespace mw::spam
