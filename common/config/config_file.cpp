#include "common/config/config_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/base/limits.hpp"

namespace mw::config {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool valid_key(std::string_view k) {
    if (k.empty() || k.size() > 100) return false;
    for (char c : k)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
            return false;
    return true;
}

Error error_at(const std::string& file, int line, std::string msg) {
    return Error{ErrorCode::Invalid, std::move(msg), SourcePos{file, line}};
}

// Turns one logical line into an entry.
Result<ConfigEntry> parse_logical_line(std::string_view text, const std::string& file, int line) {
    const auto eq = text.find('=');
    if (eq == std::string_view::npos)
        return fail(error_at(file, line, fmt::format("missing '=' after parameter name: \"{}\"",
                                                     trim(text).substr(0, 60))));
    const auto key = trim(text.substr(0, eq));
    if (!valid_key(key))
        return fail(error_at(file, line, fmt::format("bad parameter name \"{}\"", key.substr(0, 60))));
    return ConfigEntry{std::string(key), std::string(trim(text.substr(eq + 1))), SourcePos{file, line}};
}

bool has_control_chars(std::string_view s) {
    for (unsigned char c : s)
        if ((c < ' ' && c != '\t' && c != '\r') || c == 0x7f) return true;
    return false;
}

}  // namespace

Result<std::vector<ConfigEntry>> parse_config_text(std::string_view text, const std::string& file) {
    if (text.size() > limits::kMaxConfigFileSize)
        return fail(error_at(file, 0, "file too large"));
    std::vector<ConfigEntry> out;
    std::string logical;
    int logical_line = 0;
    auto flush = [&]() -> Result<bool> {
        if (logical_line == 0) return true;
        auto e = parse_logical_line(logical, file, logical_line);
        if (!e) return fail(e.error());
        out.push_back(std::move(*e));
        logical.clear();
        logical_line = 0;
        return true;
    };
    int lineno = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        const auto raw = text.substr(pos, nl - pos);
        pos = nl + 1;
        ++lineno;
        if (has_control_chars(raw))
            return fail(error_at(file, lineno, "control character in line"));
        const auto t = trim(raw);
        if (t.empty() || t.front() == '#') continue;  // postconf(5): comments and blank lines
        if (is_space(raw.front())) {
            if (logical_line == 0)
                return fail(error_at(file, lineno, "continuation line without a parameter before it"));
            logical += ' ';
            logical += t;
        } else {
            if (auto r = flush(); !r) return fail(r.error());
            logical = std::string(t);
            logical_line = lineno;
        }
        if (logical.size() > limits::kMaxConfigLine)
            return fail(error_at(file, logical_line, "logical line too long"));
    }
    if (auto r = flush(); !r) return fail(r.error());
    return out;
}

Result<std::vector<ConfigEntry>> read_config_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        return fail(Error{err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                          fmt::format("cannot open {}: {}", path, std::strerror(err)), {}});
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    return parse_config_text(buf.str(), path);
}

}  // namespace mw::config
