#include "milters/spam/rules/replace_tags.hpp"

#include <vector>

#include "common/base/limits.hpp"
#include "milters/spam/rules/rule_attributes.hpp"

namespace mw::spam {
namespace {

using Table = std::map<std::string, std::string, std::less<>>;

struct Span {
    std::size_t pos = std::string::npos, len = 0;
    bool found() const { return pos != std::string::npos; }
};

// Perl /START(.+?)END/: the first START, then the shortest non-empty text before END.
Span find_tag(const std::string& s, const std::string& start, const std::string& end,
              std::size_t from = 0) {
    for (auto at = s.find(start, from); at != std::string::npos; at = s.find(start, at + 1)) {
        const auto close = s.find(end, at + start.size() + 1);
        if (close != std::string::npos) return {at, close + end.size() - at};
    }
    return {};
}

// Takes "<pre NAME>" (kind = "pre") out of `re`, returning NAME or "".
std::string take_directive(std::string& re, const std::string& start, const std::string& end,
                           const std::string& kind) {
    const std::string open = start + kind + " ";
    const auto at = re.find(open);
    if (at == std::string::npos) return "";
    const auto close = re.find(end, at + open.size() + 1);
    if (close == std::string::npos) return "";
    std::string name = re.substr(at + open.size(), close - at - open.size());
    re.erase(at, close + end.size() - at);
    return name;
}

// Perl split(/(<[^<>]+>)/): text and tags alternate; a leading "" is kept, trailing "" dropped.
std::vector<std::string> split_tags(const std::string& re) {
    std::vector<std::string> parts;
    std::size_t text_from = 0;
    for (std::size_t i = 0; i < re.size(); ++i) {
        if (re[i] != '<') continue;
        std::size_t j = i + 1;
        while (j < re.size() && re[j] != '<' && re[j] != '>') ++j;
        if (j == re.size() || re[j] != '>' || j == i + 1) continue;
        parts.push_back(re.substr(text_from, i - text_from));
        parts.push_back(re.substr(i, j + 1 - i));
        text_from = j + 1;
        i = j;
    }
    parts.push_back(re.substr(text_from));
    while (!parts.empty() && parts.back().empty()) parts.pop_back();
    return parts;
}

const std::string* lookup(const Table& t, const std::string& name) {
    auto it = t.find(name);
    return it == t.end() || it->second.empty() ? nullptr : &it->second;
}

void replace_all(std::string& s, const std::string& what, const std::string& with) {
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + with.size()))
        s.replace(at, what.size(), with);
}

}  // namespace

bool ReplaceTags::handles(std::string_view key) const {
    return key == "replace_tag" || key == "replace_pre" || key == "replace_inter" ||
           key == "replace_post" || key == "replace_rules" || key == "replace_start" ||
           key == "replace_end";
}

Result<void> ReplaceTags::add(std::string_view key, std::string_view value) {
    if (value.empty()) return fail(ErrorCode::Invalid, "missing '" + std::string(key) + "' value");
    if (key == "replace_start") { start_ = std::string(value); return {}; }
    if (key == "replace_end") { end_ = std::string(value); return {}; }
    if (key == "replace_rules") {
        for (auto rest = value; !rest.empty();) {
            auto [name, tail] = split_name(rest);
            rules_.emplace(name);
            rest = tail;
        }
        return {};
    }
    auto [name, text] = split_name(value);
    if (text.empty()) return fail(ErrorCode::Invalid, "missing '" + std::string(key) + "' value");
    Table& table = key == "replace_tag" ? tags_ : key == "replace_pre" ? pre_
                 : key == "replace_inter" ? inter_ : post_;
    table[std::string(name)] = std::string(text);
    return {};
}

std::string ReplaceTags::replace(std::string re) const {
    for (int pass = 0; pass < limits::kMaxSpamReplacePasses; ++pass) {
        const auto* pre = lookup(pre_, take_directive(re, start_, end_, "pre"));
        const auto* post = lookup(post_, take_directive(re, start_, end_, "post"));
        const auto* inter = lookup(inter_, take_directive(re, start_, end_, "inter"));
        auto parts = split_tags(re);
        bool again = false;
        for (auto& part : parts) {
            if (pre) if (auto t = find_tag(part, start_, end_); t.found()) part.insert(t.pos, *pre);
            if (post)
                for (auto t = find_tag(part, start_, end_); t.found();
                     t = find_tag(part, start_, end_, t.pos + t.len + post->size())) part.insert(t.pos + t.len, *post);
            if (inter && part.empty()) part = *inter;
            const auto tag = find_tag(part, start_, end_);
            if (!tag.found()) continue;
            const std::string name = part.substr(tag.pos + start_.size(), tag.len - start_.size() - end_.size());
            const auto* text = lookup(tags_, name);
            if (!text) continue;
            replace_all(part, start_ + name + end_, *text);
            again = again || text->find('<') != std::string::npos;
        }
        re.clear();
        for (const auto& p : parts) re += p;
        if (!again) break;
    }
    return re;
}

void ReplaceTags::apply(RuleSet& set) const {
    for (const auto& name : rules_) {
        auto it = set.index.find(name);
        if (it == set.index.end()) continue;
        Rule& rule = set.rules[it->second];
        // SA rewrites test_qrs only: header/body/rawbody/full/uri regexes, not mimeheader.
        if (!rule.regex || rule.type == RuleType::Mimeheader) continue;
        rule.regex->pattern = replace(rule.regex->pattern);
    }
}

}  // namespace mw::spam
