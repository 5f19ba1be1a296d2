#include "milters/spam/rules/rule_attributes.hpp"

#include <cstdlib>

#include "common/base/ascii.hpp"
#include <vector>

namespace mw::spam {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::vector<std::string_view> split_words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space_ascii(s[i])) ++i;
        std::size_t j = i;
        while (j < s.size() && !is_space_ascii(s[j])) ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

// SA: /^-?\d+(?:\.\d+)?$/.
bool is_score_number(std::string_view s) {
    if (!s.empty() && s[0] == '-') s.remove_prefix(1);
    std::size_t i = 0;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == 0) return false;
    if (i == s.size()) return true;
    if (s[i] != '.' || i + 1 == s.size()) return false;
    for (++i; i < s.size(); ++i)
        if (!is_digit(s[i])) return false;
    return true;
}

bool is_integer(std::string_view s) {
    if (!s.empty() && s[0] == '-') s.remove_prefix(1);
    if (s.empty() || s.size() > 9) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

double to_double(std::string_view s) { return std::strtod(std::string(s).c_str(), nullptr); }

std::array<double, 4> default_scores(const Rule& rule) {
    if (rule.name.rfind("__", 0) == 0) return {};
    double score = rule.name.rfind("T_", 0) == 0 ? 0.01 : 1.0;
    if (rule.flags.nice) score = -score;
    return {score, score, score, score};
}

}  // namespace

std::pair<std::string_view, std::string_view> split_name(std::string_view value) {
    std::size_t i = 0;
    while (i < value.size() && !is_space_ascii(value[i])) ++i;
    std::size_t j = i;
    while (j < value.size() && is_space_ascii(value[j])) ++j;
    return {value.substr(0, i), value.substr(j)};
}

Result<void> RuleAttributes::add_score(std::string_view value) {
    auto words = split_words(value);
    if (words.size() != 2 && words.size() != 5)
        return fail(ErrorCode::Invalid, "score: requires a rule name and 1 or 4 scores");
    const std::string name(words[0]);
    std::array<double, 4> values{};
    bool relative = false;
    for (std::size_t i = 1; i < words.size(); ++i) {
        auto w = words[i];
        if (w.size() > 2 && w.front() == '(' && w.back() == ')') {
            relative = true;
            w = w.substr(1, w.size() - 2);
        }
        if (!is_score_number(w)) return fail(ErrorCode::Invalid, "score: not a number: " + std::string(w));
        values[i - 1] = to_double(w);
    }
    if (words.size() == 2) values.fill(values[0]);  // one score applies to all four sets
    auto it = scores_.find(name);
    if (relative) {
        if (it == scores_.end()) return fail(ErrorCode::Invalid, "score: relative score without previous setting");
        for (std::size_t i = 0; i < 4; ++i) it->second[i] += values[i];
        return {};
    }
    scores_[name] = values;
    return {};
}

Result<void> RuleAttributes::add_description(std::string_view value) {
    auto [name, text] = split_name(value);
    if (name.empty() || text.empty()) return fail(ErrorCode::Invalid, "describe: needs a rule name and text");
    descriptions_[std::string(name)] = std::string(text);
    return {};
}

Result<void> RuleAttributes::add_tflags(std::string_view value) {
    auto [name, text] = split_name(value);
    if (name.empty() || text.empty()) return fail(ErrorCode::Invalid, "tflags: needs a rule name and flags");
    tflags_[std::string(name)] = std::string(text);
    return {};
}

Result<void> RuleAttributes::add_priority(std::string_view value) {
    auto words = split_words(value);
    if (words.size() != 2 || !is_integer(words[1]))
        return fail(ErrorCode::Invalid, "priority: needs a rule name and an integer");
    priorities_[std::string(words[0])] = std::atoi(std::string(words[1]).c_str());
    return {};
}

RuleFlags RuleAttributes::parse_flags(std::string_view text) {
    RuleFlags f;
    for (auto w : split_words(text)) {
        if (w == "net") f.net = true;
        else if (w == "nice") f.nice = true;
        else if (w == "learn") f.learn = true;
        else if (w == "userconf") f.userconf = true;
        else if (w == "noautolearn") f.noautolearn = true;
        else if (w == "multiple") f.multiple = true;
        else if (w == "publish") f.publish = true;
        else if (w == "autolearn_force") f.autolearn_force = true;
        else if (w.rfind("maxhits=", 0) == 0 && is_integer(w.substr(8))) f.maxhits = std::atoi(std::string(w.substr(8)).c_str());
    }
    return f;
}

void RuleAttributes::apply(RuleSet& set) const {
    for (auto& rule : set.rules) {
        if (auto t = tflags_.find(rule.name); t != tflags_.end()) rule.flags = parse_flags(t->second);
        if (auto d = descriptions_.find(rule.name); d != descriptions_.end()) rule.description = d->second;
        auto s = scores_.find(rule.name);
        rule.score_given = s != scores_.end();
        rule.scores = rule.score_given ? s->second : default_scores(rule);
        if (rule.name.rfind("__", 0) == 0) rule.scores = {};  // never counted
        auto p = priorities_.find(rule.name);
        rule.priority = p != priorities_.end() ? p->second : 0;
        // Conf/Parser.pm finish_parsing: net rules without a priority run at -100.
        if (rule.priority == 0 && rule.flags.net) rule.priority = -100;
    }
}

}  // namespace mw::spam
