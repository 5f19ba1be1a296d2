#include "milters/spam/mime/body_text.hpp"

#include "common/base/limits.hpp"

namespace mw::spam {
namespace {

constexpr std::size_t kLine = limits::kMaxSpamBodyLine;

bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// Bytes of white space (NBSP too: Perl's \s on character strings) at t[i], 0 if none.
std::size_t space_at(std::string_view t, std::size_t i) {
    if (is_ws(t[i])) return 1;
    return (i + 1 < t.size() && t[i] == '\xC2' && t[i + 1] == '\xA0') ? 2 : 0;
}

/// Appends SA's replacement for one white space run: "\n+\s*\n+" (first to last line end of
/// a run with two or more) becomes "\n", the blanks around it and any other run " ".
void append_run(std::string_view run, std::string& out) {
    const std::size_t first = run.find('\n');
    const std::size_t last = run.rfind('\n');
    if (first == last) {
        out += ' ';
        return;
    }
    if (first > 0) out += ' ';
    out += '\n';
    if (last + 1 < run.size()) out += ' ';
}

}  // namespace

std::string collapse_body_whitespace(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = i;
        while (j < text.size()) {
            const std::size_t n = space_at(text, j);
            if (n == 0) break;
            j += n;
        }
        if (j == i) {
            out += text[i++];
            continue;
        }
        append_run(text.substr(i, j - i), out);
        i = j;
    }
    return out;
}

void split_into_short_lines(std::string_view text, std::vector<std::string>& out) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
        std::string_view line = text.substr(pos, end - pos);
        while (line.size() > kLine) {
            // Split "nicely" at the last space within the limit, so URIs stay whole.
            const std::size_t space = line.substr(0, kLine + 1).rfind(' ');
            const std::size_t len = space == std::string_view::npos ? kLine : space + 1;
            out.emplace_back(line.substr(0, len));
            line.remove_prefix(len);
        }
        out.emplace_back(line);
        pos = end;
    }
}

void split_into_short_paragraphs(std::string_view text, std::vector<std::string>& out) {
    if (text.size() <= kLine) {
        out.emplace_back(text);
        return;
    }
    std::size_t ofs = 0;
    auto find_cut = [&](char c) {
        const std::size_t j = text.find(c, ofs + kLine);
        return (j == std::string_view::npos || j - ofs + 1 > 2 * kLine) ? std::string_view::npos : j;
    };
    while (text.size() - ofs > 2 * kLine) {
        std::size_t j = find_cut('\n');
        if (j == std::string_view::npos) j = find_cut('>');
        if (j == std::string_view::npos) j = find_cut(' ');
        if (j == std::string_view::npos) j = ofs + kLine;
        out.emplace_back(text.substr(ofs, j - ofs + 1));
        ofs = j + 1;
    }
    if (ofs < text.size()) out.emplace_back(text.substr(ofs));
}

}  // namespace mw::spam
