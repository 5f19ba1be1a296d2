#include "common/authres/auth_results_reader.hpp"

#include "common/base/ascii.hpp"

namespace mw::authres {

namespace {

/// Drops RFC 5322 comments (nested, with quoted pairs) outside quoted strings.
std::string strip_comments(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    int depth = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        if (depth == 0 && c == '"') quoted = !quoted;
        if (!quoted && c == '(') { ++depth; continue; }
        if (!quoted && depth > 0 && c == ')') { --depth; out += ' '; continue; }
        if (depth > 0) { if (c == '\\') ++i; continue; }
        out += c;
    }
    return out;
}

std::vector<std::string> split_outside_quotes(std::string_view v, char sep) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (char c : v) {
        if (c == '"') quoted = !quoted;
        if (c == sep && !quoted) { out.emplace_back(); continue; }
        out.back() += c;
    }
    return out;
}

std::vector<std::string> words(std::string_view v) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (char c : v) {
        if (c == '"') { quoted = !quoted; continue; }
        if (is_space_ascii(c) && !quoted) {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
            continue;
        }
        cur += c;
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

bool read_entry(const std::string& text, AuthResult& r) {
    auto w = words(text);
    if (w.empty()) return false;
    auto eq = w[0].find('=');
    if (eq == std::string::npos || eq == 0) return false;
    r.method = to_lower_ascii(w[0].substr(0, eq));
    auto slash = r.method.find('/');   // method/version
    if (slash != std::string::npos) r.method.resize(slash);
    r.result = to_lower_ascii(w[0].substr(eq + 1));
    for (std::size_t i = 1; i < w.size(); ++i) {
        auto peq = w[i].find('=');
        if (peq == std::string::npos) continue;
        std::string key = to_lower_ascii(w[i].substr(0, peq));
        std::string value = w[i].substr(peq + 1);
        if (key == "reason") { r.reason = value; continue; }
        auto dot = key.find('.');
        if (dot == std::string::npos) continue;
        r.properties.push_back({key.substr(0, dot), key.substr(dot + 1), value});
    }
    return true;
}

}  // namespace

ReadAuthResults read_auth_results(std::string_view value) {
    ReadAuthResults out;
    auto parts = split_outside_quotes(strip_comments(value), ';');
    auto head = words(parts[0]);
    if (!head.empty()) out.authserv_id = head[0];
    for (std::size_t i = 1; i < parts.size() && out.results.size() < kMaxAuthResults; ++i) {
        AuthResult r;
        if (read_entry(parts[i], r) && r.method != "none") out.results.push_back(std::move(r));
    }
    return out;
}

std::string_view auth_property(const AuthResult& r, std::string_view ptype, std::string_view property) {
    for (const auto& p : r.properties)
        if (p.ptype == ptype && p.property == property) return p.value;
    return {};
}

}  // namespace mw::authres
