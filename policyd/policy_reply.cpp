#include "policyd/policy_reply.hpp"

#include <cctype>

#include "common/base/limits.hpp"

namespace mw::policyd {

namespace {

bool all_digits(std::string_view s) {
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return !s.empty();
}

/// "550" with the expected class digit ('4' or '5').
bool valid_code(std::string_view code, char klass) {
    return code.size() == 3 && all_digits(code) && code[0] == klass;
}

/// RFC 3463 enhanced status code "class.subject.detail" with the expected class.
bool valid_dsn(std::string_view dsn, char klass) {
    if (dsn.size() < 5 || dsn[0] != klass || dsn[1] != '.') return false;
    const auto dot = dsn.find('.', 2);
    if (dot == std::string_view::npos) return false;
    const auto subject = dsn.substr(2, dot - 2);
    const auto detail = dsn.substr(dot + 1);
    return subject.size() <= 3 && detail.size() <= 3 && all_digits(subject) &&
           all_digits(detail);
}

/// "<keyword-or-code> [<dsn>] <text>" for reject/defer, keeping only well-formed codes.
std::string coded_line(std::string_view keyword, std::string_view code, std::string_view dsn,
                       std::string_view text, char klass) {
    std::string line(valid_code(code, klass) ? code : keyword);
    if (valid_dsn(dsn, klass)) {
        line += ' ';
        line += dsn;
    }
    if (!text.empty()) {
        line += ' ';
        line += text;
    }
    return line;
}

/// Text that sanitize_reply_text() would return unchanged: printable ASCII, single spaces
/// between words only, within `max`. The usual case, checked without building a copy.
bool already_clean(std::string_view text, std::size_t max) {
    if (text.size() > max || (!text.empty() && (text.front() == ' ' || text.back() == ' ')))
        return false;
    char prev = 'x';
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7e || (c == ' ' && prev == ' ')) return false;
        prev = c;
    }
    return true;
}

/// True when sanitizing leaves nothing: only spaces and control characters.
bool blank(std::string_view text) {
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u > 0x20 && u != 0x7f) return false;
    }
    return true;
}

}  // namespace

const char* to_string(ReplyAction a) {
    switch (a) {
        case ReplyAction::Dunno: return "dunno";
        case ReplyAction::Prepend: return "prepend";
        case ReplyAction::Reject: return "reject";
        case ReplyAction::Defer: return "defer";
        case ReplyAction::DeferIfPermit: return "defer_if_permit";
    }
    return "dunno";
}

std::string sanitize_reply_text(std::string_view text, std::size_t max) {
    if (already_clean(text, max)) return std::string(text);
    std::string out;
    out.reserve(std::min(text.size(), max));
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) c = ' ';
        else if (u > 0x7e) c = '?';
        if (c == ' ' && (out.empty() || out.back() == ' ')) continue;  // no runs, no lead
        out.push_back(c);
    }
    if (out.size() > max) out.resize(max);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

PolicyReply::PolicyReply(ReplyAction action, std::string line)
    : action_(action),
      line_(already_clean(line, limits::kMaxPolicyReplyText)
                ? std::move(line)
                : sanitize_reply_text(line, limits::kMaxPolicyReplyText)) {}

PolicyReply PolicyReply::dunno() { return PolicyReply(ReplyAction::Dunno, "DUNNO"); }

PolicyReply PolicyReply::prepend(std::string_view header) {
    // An empty header would make Postfix log a warning; DUNNO says the same thing.
    if (blank(header)) return dunno();
    std::string line;
    line.reserve(8 + header.size());
    line.append("PREPEND ").append(header);
    return PolicyReply(ReplyAction::Prepend, std::move(line));
}

PolicyReply PolicyReply::reject(std::string_view text, std::string_view code,
                                std::string_view dsn) {
    return PolicyReply(ReplyAction::Reject, coded_line("REJECT", code, dsn, text, '5'));
}

PolicyReply PolicyReply::defer(std::string_view text, std::string_view code,
                               std::string_view dsn) {
    return PolicyReply(ReplyAction::Defer, coded_line("DEFER", code, dsn, text, '4'));
}

PolicyReply PolicyReply::defer_if_permit(std::string_view text, std::string_view dsn) {
    return PolicyReply(ReplyAction::DeferIfPermit,
                       coded_line("DEFER_IF_PERMIT", {}, dsn, text, '4'));
}

std::string PolicyReply::to_wire() const {
    std::string wire;
    wire.reserve(line_.size() + 9);
    wire.append("action=").append(line_).append("\n\n");
    return wire;
}

}  // namespace mw::policyd
