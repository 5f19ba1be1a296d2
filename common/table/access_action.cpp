#include "common/table/access_action.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "common/base/ascii.hpp"

namespace mw::table {
namespace {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }

std::pair<std::string_view, std::string_view> split_word(std::string_view value) {
    const auto space = value.find_first_of(" \t");
    if (space == std::string_view::npos) return {value, {}};
    std::string_view rest = value.substr(space);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    return {value.substr(0, space), rest};
}

// RFC 3463 status code "C.SSS.DDD" (class 2, 4 or 5; subject and detail 1-3 digits).
bool is_dsn(std::string_view s) {
    if (s.size() < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.') return false;
    const auto dot = s.find('.', 2);
    if (dot == std::string_view::npos) return false;
    const auto subject = s.substr(2, dot - 2), detail = s.substr(dot + 1);
    return all_digits(subject) && subject.size() <= 3 && all_digits(detail) && detail.size() <= 3;
}

// Splits an optional leading enhanced status code off the text; the class follows the code.
AccessAction reply(AccessKind kind, std::optional<int> code, std::string_view text, char default_class) {
    AccessAction a{kind, code, fmt::format("{}.7.1", default_class), {}};
    const auto [first, rest] = split_word(text);
    if (is_dsn(first)) {
        a.dsn = std::string(first);
        a.dsn[0] = default_class;  // Postfix's smtpd_dsn_fix: a 4xx reply never carries a 5.x.x code
        text = rest;
    }
    a.text = std::string(text);
    return a;
}

// "Name: value", as Postfix's is_header(): a field name of printable non-colon characters.
bool is_header(std::string_view s) {
    const auto colon = s.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(colon),
                       [](char c) { return c > ' ' && c < 0x7F; });
}

Result<AccessAction> numeric_reply(std::string_view word, std::string_view text) {
    const int code = (word[0] - '0') * 100 + (word[1] - '0') * 10 + (word[2] - '0');
    const bool temporary = word[0] == '4';
    return reply(temporary ? AccessKind::Defer : AccessKind::Reject, code, text, word[0]);
}

Result<AccessAction> unsupported(std::string_view word) {
    if (word.find(':') != std::string_view::npos)
        return fail(ErrorCode::Unsupported, fmt::format("'{}': a lookup table is not an access action", word));
    return fail(ErrorCode::Unsupported,
                fmt::format("action '{}' is not supported by a milter (use OK, DUNNO, REJECT, DEFER, 4NN/5NN text, "
                            "DISCARD, HOLD, WARN or PREPEND)", word));
}

}  // namespace

int AccessAction::reply_code() const {
    if (code) return *code;
    return kind == AccessKind::Defer ? kAccessDeferCode : kAccessRejectCode;
}

Result<AccessAction> parse_access_action(std::string_view value) {
    const auto [word, text] = split_word(value);
    if (word.empty()) return fail(ErrorCode::Invalid, "missing action");
    if (all_digits(value)) return AccessAction{AccessKind::Ok, {}, {}, {}};  // Postfix: all-numeric means OK
    if (word.size() == 3 && (word[0] == '4' || word[0] == '5') && is_digit(word[1]) && is_digit(word[2]))
        return numeric_reply(word, text);
    const std::string w = to_lower_ascii(word);
    if (w == "ok" || w == "relay") return AccessAction{AccessKind::Ok, {}, {}, {}};  // trailing text ignored
    if (w == "dunno") return AccessAction{AccessKind::Dunno, {}, {}, {}};
    if (w == "reject") return reply(AccessKind::Reject, std::nullopt, text, '5');
    if (w == "defer") return reply(AccessKind::Defer, std::nullopt, text, '4');
    if (w == "discard") return AccessAction{AccessKind::Discard, {}, {}, std::string(text)};
    if (w == "hold") return AccessAction{AccessKind::Hold, {}, {}, std::string(text)};
    if (w == "warn") return AccessAction{AccessKind::Warn, {}, {}, std::string(text)};
    if (w == "prepend") {
        if (!is_header(text)) return fail(ErrorCode::Invalid, "PREPEND needs 'Header-Name: value'");
        return AccessAction{AccessKind::Prepend, {}, {}, std::string(text)};
    }
    return unsupported(word);
}

const char* to_string(AccessKind kind) {
    static constexpr std::array<const char*, 8> kNames{"ok",   "dunno", "reject", "defer",
                                                       "discard", "hold", "warn", "prepend"};
    return kNames[static_cast<std::size_t>(kind)];
}

}  // namespace mw::table
