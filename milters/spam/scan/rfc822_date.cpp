#include "milters/spam/scan/rfc822_date.hpp"

#include <array>
#include <string>
#include <vector>

#include "common/base/ascii.hpp"

namespace mw::spam {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

struct Zone {
    std::string_view name;
    int minutes;
};
constexpr Zone kZones[] = {{"UT", 0},       {"UTC", 0},      {"GMT", 0},      {"EST", -300},  {"EDT", -240},
                           {"CST", -360},   {"CDT", -300},   {"MST", -420},   {"MDT", -360},  {"PST", -480},
                           {"PDT", -420},   {"BST", 60},     {"CET", 60},     {"CEST", 120},  {"MET", 60},
                           {"MEST", 120},   {"EET", 120},    {"EEST", 180},   {"JST", 540},   {"KST", 540},
                           {"HKT", 480},    {"SGT", 480},    {"AEST", 600},   {"AEDT", 660},  {"IST", 330},
                           {"NZST", 720},   {"NZDT", 780},   {"WET", 0},      {"WEST", 60},   {"AST", -240},
                           {"ADT", -180},   {"HST", -600},   {"AKST", -540},  {"AKDT", -480}, {"MSK", 180}};

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

int to_int(std::string_view s) {
    int v = 0;
    for (char c : s) {
        if (v > 100000) break;
        v = v * 10 + (c - '0');
    }
    return v;
}

int month_of(std::string_view w) {
    if (w.size() != 3) return 0;
    std::string l = to_lower_ascii(w);
    for (std::size_t i = 0; i < kMonths.size(); ++i)
        if (kMonths[i] == l) return static_cast<int>(i) + 1;
    return 0;
}

/// Words split at white space and commas (SA: ", *" -> " ").
std::vector<std::string_view> words_of(std::string_view t) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < t.size() && out.size() < 64) {
        while (i < t.size() && (is_space_ascii(t[i]) || t[i] == ',')) ++i;
        std::size_t b = i;
        while (i < t.size() && !is_space_ascii(t[i]) && t[i] != ',') ++i;
        if (i > b) out.push_back(t.substr(b, i - b));
    }
    return out;
}

int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool parse_clock(std::string_view w, int& hh, int& mm, int& ss) {
    auto c1 = w.find(':');
    if (c1 == std::string_view::npos || c1 == 0 || c1 > 2) return false;
    auto rest = w.substr(c1 + 1);
    auto c2 = rest.find(':');
    std::string_view m = rest.substr(0, c2), s = c2 == std::string_view::npos ? "" : rest.substr(c2 + 1);
    if (!all_digits(w.substr(0, c1)) || m.size() != 2 || !all_digits(m)) return false;
    if (c2 != std::string_view::npos && (s.size() != 2 || !all_digits(s))) return false;
    hh = to_int(w.substr(0, c1));
    mm = to_int(m);
    ss = s.empty() ? 0 : to_int(s);
    return true;
}

}  // namespace

std::optional<int64_t> parse_rfc822_date(std::string_view text) {
    auto w = words_of(text.substr(0, 1024));
    int day = 0, month = 0, year = 0;
    std::size_t date_end = 0;
    for (std::size_t i = 0; i + 2 < w.size() && !month; ++i) {
        // "24 Nov 2026" (also 2- and 3-digit years), or "Nov 24 22:08:14 2026"
        if (all_digits(w[i]) && month_of(w[i + 1]) && all_digits(w[i + 2]) && w[i + 2].size() >= 2 &&
            w[i + 2].size() <= 4) {
            day = to_int(w[i]), month = month_of(w[i + 1]), year = to_int(w[i + 2]);
            if (w[i + 2].size() == 2 && year < 50) year += 2000;
            else if (w[i + 2].size() != 4) year += 1900;
            date_end = i + 3;
        } else if (month_of(w[i]) && all_digits(w[i + 1]) && i + 3 < w.size() && w[i + 2].find(':') != std::string_view::npos &&
                   all_digits(w[i + 3]) && w[i + 3].size() == 4) {
            month = month_of(w[i]), day = to_int(w[i + 1]), year = to_int(w[i + 3]);
            date_end = i + 1;
        }
    }
    if (!month) return std::nullopt;
    int hh = 0, mm = 0, ss = 0, tz = 0;
    bool clock = false, zone = false;
    for (std::size_t i = date_end; i < w.size(); ++i) {
        if (!clock && parse_clock(w[i], hh, mm, ss)) { clock = true; continue; }
        if (zone) continue;
        if ((w[i][0] == '+' || w[i][0] == '-') && w[i].size() == 5 && all_digits(w[i].substr(1))) {
            int v = to_int(w[i].substr(1));
            tz = (v / 100) * 60 + v % 100;
            if (w[i][0] == '-') tz = -tz;
            zone = true;
            continue;
        }
        std::string_view name = w[i];
        if (name.front() == '(') name.remove_prefix(1);
        if (!name.empty() && name.back() == ')') name.remove_suffix(1);
        for (const auto& z : kZones)
            if (name == z.name) { tz = z.minutes; zone = true; break; }
    }
    // Clamp as SpamAssassin does rather than refuse.
    ss = std::min(ss, 59), mm = std::min(mm, 59), hh = std::min(hh, 23);
    int max_day = 31;
    if (month == 4 || month == 6 || month == 9 || month == 11) max_day = 30;
    else if (month == 2) max_day = (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
    if (day > max_day) {
        day = 1;
        if (++month > 12) { month = 1; ++year; }
    }
    if (day < 1) day = 1;
    if (year < 1970) year = 1970;
    int64_t t = days_from_civil(year, month, day) * 86400 + hh * 3600 + mm * 60 + ss;
    return t - static_cast<int64_t>(tz) * 60;
}

}  // namespace mw::spam
