#include "tests/unit/milters/spam/regex/stock_rules.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace mw::spam::test {
namespace {

struct ReplaceTables {
    std::map<std::string, std::string> tag, pre, inter, post;
    std::set<std::string> rules;
};

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

char closing_delimiter(char open) {
    switch (open) {
        case '{': return '}';
        case '(': return ')';
        case '<': return '>';
        case '[': return ']';
        default: return open;
    }
}

void apply_flags(const std::string& flags, RegexSpec& spec) {
    spec.caseless = flags.find('i') != std::string::npos;
    spec.multiline = flags.find('m') != std::string::npos;
    spec.dotall = flags.find('s') != std::string::npos;
    spec.extended = flags.find('x') != std::string::npos;
}

// The regex part of a rule's definition, or "" when the rule has none.
std::string regex_text(const std::string& type, const std::string& rest) {
    if (rest.rfind("eval:", 0) == 0 || rest.rfind("exists:", 0) == 0) return {};
    if (type != "header" && type != "mimeheader") return rest;
    auto op = rest.find("=~");
    if (op == std::string::npos) op = rest.find("!~");
    if (op == std::string::npos) return {};
    std::string re = trim(rest.substr(op + 2));
    // header rules may end with "[if-unset: TEXT]"
    const auto unset = re.rfind("[if-unset:");
    if (unset != std::string::npos && re.back() == ']') re = trim(re.substr(0, unset));
    return re;
}

// Removes the first "<KIND NAME>" from re and returns NAME's value in `table` ("" if none).
std::string take_modifier(std::string& re, const std::string& kind,
                          const std::map<std::string, std::string>& table) {
    const auto at = re.find("<" + kind + " ");
    if (at == std::string::npos) return {};
    const auto close = re.find('>', at);
    if (close == std::string::npos) return {};
    const auto name_at = at + kind.size() + 2;
    const std::string name = re.substr(name_at, close - name_at);
    re.erase(at, close - at + 1);
    const auto found = table.find(name);
    return found == table.end() ? std::string() : found->second;
}

// Splits as Perl's split(/(<[^<>]+>)/): text, tag, text, tag, ..., text.
std::vector<std::string> split_tags(const std::string& re) {
    std::vector<std::string> parts{""};
    for (std::size_t i = 0; i < re.size();) {
        const auto close = re[i] == '<' ? re.find_first_of("<>", i + 1) : std::string::npos;
        if (close != std::string::npos && re[close] == '>' && close > i + 1) {
            parts.push_back(re.substr(i, close - i + 1));
            parts.emplace_back();
            i = close + 1;
        } else {
            parts.back() += re[i++];
        }
    }
    while (parts.size() > 1 && parts.back().empty()) parts.pop_back();  // as Perl's split
    return parts;
}

// ReplaceTags.pm's finish_parsing_end: <pre X>, <post X>, <inter X> modifiers, then each
// <TAG> replaced by its replace_tag value, repeated while values hold tags (at most 6 passes).
std::string expand_tags(std::string re, const ReplaceTables& t) {
    for (int pass = 0; pass < 6; ++pass) {
        const std::string pre = take_modifier(re, "pre", t.pre);
        const std::string post = take_modifier(re, "post", t.post);
        const std::string inter = take_modifier(re, "inter", t.inter);
        bool again = false;
        std::string out;
        for (const auto& part : split_tags(re)) {
            const bool tag = part.size() > 2 && part.front() == '<';
            if (part.empty()) {
                out += inter;  // between two adjacent tags (and before a leading one), as SA
                continue;
            }
            const auto found = tag ? t.tag.find(part.substr(1, part.size() - 2)) : t.tag.end();
            if (found == t.tag.end()) {
                out += tag ? pre + part + post : part;
                continue;
            }
            out += pre + found->second + post;
            again = again || found->second.find('<') != std::string::npos;
        }
        re = out;
        if (!again) break;
    }
    return re;
}

void read_replace_line(const std::string& key, std::istringstream& in, ReplaceTables& t) {
    std::string name, value;
    in >> name;
    std::getline(in, value);
    value = trim(value);
    if (key == "replace_tag") t.tag[name] = value;
    if (key == "replace_pre") t.pre[name] = value;
    if (key == "replace_inter") t.inter[name] = value;
    if (key == "replace_post") t.post[name] = value;
    if (key == "replace_rules") {
        t.rules.insert(name);
        std::istringstream more(value);
        for (std::string n; more >> n;) t.rules.insert(n);
    }
}

void read_file(const std::filesystem::path& path, std::vector<StockRule>& rules,
               ReplaceTables& tables) {
    static const std::set<std::string> kTypes{"header", "body", "rawbody", "full", "uri",
                                              "mimeheader"};
    std::ifstream file(path, std::ios::binary);
    for (std::string line; std::getline(file, line);) {
        std::istringstream in(line);
        std::string key, name, rest;
        if (!(in >> key) || key[0] == '#') continue;
        if (key.rfind("replace_", 0) == 0) {
            read_replace_line(key, in, tables);
            continue;
        }
        if (!kTypes.count(key) || !(in >> name)) continue;
        std::getline(in, rest);
        const std::string re = regex_text(key, trim(rest));
        StockRule rule{path.filename().string(), key, name, {}};
        if (!re.empty() && split_perl_regex(re, rule.spec)) rules.push_back(std::move(rule));
    }
}

}  // namespace

bool split_perl_regex(const std::string& text, RegexSpec& spec) {
    std::size_t open = 0;
    char close = '/';
    if (text.size() >= 2 && text[0] == '/') {
        open = 1;
    } else if (text.size() >= 3 && text[0] == 'm' && !std::isalnum(static_cast<unsigned char>(text[1])) &&
               text[1] != '\\' && text[1] != '_') {
        open = 2;
        close = closing_delimiter(text[1]);
    } else {
        return false;
    }
    auto end = text.size();
    while (end > open && std::islower(static_cast<unsigned char>(text[end - 1]))) --end;
    if (end <= open || text[end - 1] != close) return false;
    spec.pattern = text.substr(open, end - 1 - open);
    apply_flags(text.substr(end), spec);
    return true;
}

std::vector<StockRule> load_stock_rules(const std::string& dir) {
    std::vector<StockRule> rules;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return rules;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        if (e.path().extension() == ".cf") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    ReplaceTables tables;
    for (const auto& f : files) read_file(f, rules, tables);
    for (auto& r : rules) {
        if (tables.rules.count(r.name)) r.spec.pattern = expand_tags(r.spec.pattern, tables);
    }
    return rules;
}

std::vector<std::string> load_corpus(const std::string& dir, std::size_t step,
                                     std::size_t max_bytes) {
    namespace fs = std::filesystem;
    std::vector<std::string> texts;
    for (const char* kind : {"ham", "spam"}) {
        const fs::path sub = fs::path(dir) / kind;
        std::error_code ec;
        if (!fs::is_directory(sub, ec)) continue;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(sub, ec)) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (std::size_t i = 0; i < files.size(); i += step) {
            std::ifstream in(files[i], std::ios::binary);
            std::string text(max_bytes, '\0');
            in.read(text.data(), static_cast<std::streamsize>(text.size()));
            text.resize(static_cast<std::size_t>(in.gcount()));
            texts.push_back(std::move(text));
        }
    }
    return texts;
}

}  // namespace mw::spam::test
