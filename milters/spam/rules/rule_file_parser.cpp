#include "milters/spam/rules/rule_file_parser.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"
#include "milters/spam/rules/freemail_settings.hpp"
#include "milters/spam/rules/if_condition.hpp"
#include "milters/spam/rules/meta_expression.hpp"
#include "milters/spam/rules/meta_linker.hpp"
#include "milters/spam/rules/regex_literal.hpp"
#include "milters/spam/rules/rule_definition.hpp"

namespace mw::spam {

namespace fs = std::filesystem;

struct RuleFileParser::FileState {
    std::string name;
    int line = 0;
    struct Frame { bool skipped_before; int line; };
    std::vector<Frame> ifs;
    bool skipping = false;
};

namespace {


std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space_ascii(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space_ascii(s.back())) s.remove_suffix(1);
    return s;
}

// Parser.pm: s/(?<!\\)#.*$// then s/\\#/#/g.
std::string strip_comment(std::string_view line) {
    std::size_t hash = line.find('#');
    while (hash != std::string_view::npos && hash > 0 && line[hash - 1] == '\\') hash = line.find('#', hash + 1);
    std::string out(line.substr(0, hash));
    for (std::size_t at = out.find("\\#"); at != std::string::npos; at = out.find("\\#", at + 1)) out.erase(at, 1);
    return out;
}

// "lang xx rest": SA reads rest only when the locale (C -> en_US) starts with xx.
bool skip_for_language(std::string_view& line) {
    if (line.substr(0, 4) != "lang" || line.size() < 5 || !is_space_ascii(line[4])) return false;
    auto [code, rest] = split_name(trim(line.substr(5)));
    if (rest.empty()) return true;
    const std::string_view locale = "en_US";
    if (code.size() > locale.size() || !iequals_ascii(code, locale.substr(0, code.size()))) return true;
    line = rest;
    return false;
}

std::string normalized_key(std::string_view key) {
    std::string k = to_lower_ascii(key);
    std::replace(k.begin(), k.end(), '-', '_');
    return k;
}

// SA set_numeric_value: /^[+-]?\d+(?:\.\d*)?\z/.
bool is_numeric(std::string_view s) {
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
    std::size_t i = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == 0) return false;
    if (i < s.size() && s[i] == '.') ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i == s.size();
}

Result<std::string> read_file(const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return fail(ErrorCode::NotFound, "cannot read " + path + ": " + ec.message());
    if (size > limits::kMaxSpamRuleFile) return fail(ErrorCode::TooLong, path + ": larger than kMaxSpamRuleFile");
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ErrorCode::Io, "cannot open " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> cf_files_in(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".cf" && !entry.is_directory()) out.push_back(entry.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<RuleType> test_type(std::string_view key) {
    if (key == "header") return RuleType::Header;
    if (key == "body") return RuleType::Body;
    if (key == "rawbody") return RuleType::Rawbody;
    if (key == "full") return RuleType::Full;
    if (key == "uri") return RuleType::Uri;
    if (key == "mimeheader") return RuleType::Mimeheader;
    if (key == "meta") return RuleType::Meta;
    return std::nullopt;
}

Result<Rule> parse_definition(RuleType type, std::string_view value) {
    switch (type) {
        case RuleType::Header: return parse_header_definition(value);
        case RuleType::Mimeheader: return parse_mimeheader_definition(value);
        case RuleType::Meta: {
            auto expr = MetaExpression::parse(value, [](std::string_view) { return 0; });
            if (!expr) return fail(expr.error());
            Rule rule;
            rule.type = RuleType::Meta;
            rule.meta = std::string(value);
            return rule;
        }
        default: return parse_pattern_definition(type, value);
    }
}

}  // namespace

std::set<std::string> default_sa_features() {
    static const char* const kFeatures[] = {
        "originating_ip_headers", "dns_local_ports_permit_avoid", "bayes_auto_learn_on_error",
        "uri_host_listed", "yesno_takes_args", "bug6558_free", "edns", "dns_query_restriction",
        "registryboundaries", "geodb", "dns_block_rule", "compile_regexp", "meta_rules_matching",
        "subjprefix", "bayes_stopwords", "get_host", "blocklist_welcomelist",
        "welcomelist_blocklist", "header_address_parser", "local_tests_only",
        "header_first_last", "header_match_many", "capture_rules"};
    std::set<std::string> out;
    for (const char* f : kFeatures) out.insert(std::string("Mail::SpamAssassin::Conf::feature_") + f);
    out.insert("Mail::SpamAssassin::Conf::perl_min_version_5010000");
    return out;
}

RuleFileParser::RuleFileParser(RuleParserOptions options) : options_(std::move(options)) {}

void RuleFileParser::diagnose(const FileState& file, RuleDiagnostic::Kind kind, std::string rule,
                              std::string message) {
    set_.diagnostics.push_back(
        RuleDiagnostic{kind, SourcePos{file.name, file.line}, std::move(rule), std::move(message)});
}

Result<void> RuleFileParser::load_text(std::string_view text, const std::string& name) {
    if (++files_ > limits::kMaxSpamRuleFiles) return fail(ErrorCode::TooLong, "more than kMaxSpamRuleFiles rule files");
    FileState file{name, 0, {}, false};
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const auto line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++file.line;
        if (line.size() > limits::kMaxSpamRuleLine) {
            diagnose(file, RuleDiagnostic::Kind::Error, "", "line longer than kMaxSpamRuleLine");
            return fail(Error{ErrorCode::TooLong, "line longer than kMaxSpamRuleLine", SourcePos{name, file.line}});
        }
        if (auto ok = handle_line(file, line); !ok) return ok;
    }
    if (!file.ifs.empty()) {
        const int at = file.ifs.back().line;
        file.line = at;
        diagnose(file, RuleDiagnostic::Kind::Error, "", "unclosed 'if' at end of file");
        return fail(Error{ErrorCode::Invalid, "unclosed 'if' at end of file", SourcePos{name, at}});
    }
    return {};
}

Result<void> RuleFileParser::load_path(const std::string& path) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) return load_file(path);
    for (const auto& file : cf_files_in(path))
        if (auto ok = load_file(file); !ok) return ok;
    return {};
}

Result<void> RuleFileParser::load_file(const std::string& path) {
    auto text = read_file(path);
    if (!text) return fail(text.error());
    return load_text(*text, path);
}

Result<void> RuleFileParser::handle_line(FileState& file, std::string_view raw) {
    std::string stripped = raw.find('#') == std::string_view::npos ? std::string(raw) : strip_comment(raw);
    std::string_view line = trim(stripped);
    if (line.empty() || skip_for_language(line)) return {};
    auto [word, rest] = split_name(line);
    const std::string key = normalized_key(word);
    auto handled = handle_conditional(file, key, rest);
    if (!handled || *handled) return handled ? Result<void>{} : fail(handled.error());
    if (key == "include") return file.skipping ? Result<void>{} : handle_include(file, rest);
    if (file.skipping) return {};
    return handle_directive(file, key, rest);
}

Result<bool> RuleFileParser::handle_conditional(FileState& file, std::string_view key, std::string_view value) {
    using Kind = RuleDiagnostic::Kind;
    if (key == "endif" || key == "else") {
        if (!value.empty()) diagnose(file, Kind::Error, "", "'" + std::string(key) + "' must be standalone");
        if (file.ifs.empty()) {
            diagnose(file, Kind::Error, "", "missing starting 'if' for '" + std::string(key) + "'");
            return true;
        }
        if (key == "endif") {
            file.skipping = file.ifs.back().skipped_before;
            file.ifs.pop_back();
        } else {
            // Bug 7848: an else inside a skipped block stays skipped.
            const bool outer = std::any_of(file.ifs.begin(), file.ifs.end(), [](auto& f) { return f.skipped_before; });
            file.skipping = outer ? true : !file.skipping;
        }
        return true;
    }
    if (key != "if" && key != "ifplugin") return false;
    if (file.ifs.size() >= static_cast<std::size_t>(limits::kMaxSpamIfDepth))
        return fail(Error{ErrorCode::TooLong, "if blocks nested deeper than kMaxSpamIfDepth", SourcePos{file.name, file.line}});
    file.ifs.push_back({file.skipping, file.line});
    if (value.empty()) {
        diagnose(file, Kind::Error, "", "missing '" + std::string(key) + "' condition");
        file.skipping = true;
        return true;
    }
    const std::string condition = key == "ifplugin" ? "plugin(" + std::string(value) + ")" : std::string(value);
    auto truth = evaluate_if_condition(condition, IfEnvironment{&options_.plugins, &options_.features, options_.sa_version});
    if (!truth) diagnose(file, Kind::Error, "", "bad condition '" + std::string(value) + "': " + truth.error().message);
    if (!truth || !*truth) file.skipping = true;
    return true;
}

Result<void> RuleFileParser::handle_include(FileState& file, std::string_view value) {
    if (value.empty()) {
        diagnose(file, RuleDiagnostic::Kind::Error, "", "missing 'include' value");
        return {};
    }
    fs::path target(std::string{value});
    if (target.is_relative()) target = fs::path(file.name).parent_path() / target;
    if (depth_ >= limits::kMaxSpamIncludeDepth)
        return fail(Error{ErrorCode::TooLong, "include nested deeper than kMaxSpamIncludeDepth", SourcePos{file.name, file.line}});
    auto text = read_file(target.string());
    if (!text) {
        if (text.error().code == ErrorCode::TooLong) return fail(text.error());
        diagnose(file, RuleDiagnostic::Kind::Error, "", text.error().message);
        return {};
    }
    ++depth_;
    auto ok = load_text(*text, target.string());
    --depth_;
    return ok;
}

Result<void> RuleFileParser::handle_directive(FileState& file, std::string_view key, std::string_view value) {
    using Kind = RuleDiagnostic::Kind;
    if (key == "test" || key == "reuse" || key == "file") return {};  // regression tests, rule QA
    if (key == "require_version") {
        // SA skips the rest of a file written for another version ("@@VERSION@@" = any).
        const bool same = value == "@@VERSION@@" ||
                          (is_numeric(value) && std::abs(std::stod(std::string(value)) - options_.sa_version) < 1e-7);
        if (!same) {
            diagnose(file, Kind::Ignored, "", "require_version " + std::string(value) + ": rest of file skipped");
            file.skipping = true;
            file.ifs.clear();
        }
        return {};
    }
    if (test_type(key)) return define_rule(file, key, value);
    auto ok = handle_setting(key, value);
    if (ok) return {};
    if (ok.error().code == ErrorCode::NotFound) diagnose(file, Kind::Ignored, "", "directive " + std::string(key));
    else diagnose(file, Kind::Error, "", std::string(key) + ": " + ok.error().message);
    return {};
}

// The global settings. NotFound = a directive we do not act on.
Result<void> RuleFileParser::handle_setting(std::string_view key, std::string_view value) {
    if (key == "score") return attributes_.add_score(value);
    if (key == "describe") return attributes_.add_description(value);
    if (key == "tflags") return attributes_.add_tflags(value);
    if (key == "priority") return attributes_.add_priority(value);
    if (replace_tags_.handles(key)) return replace_tags_.add(key, value);
    if (key == "required_score" || key == "required_hits") {
        if (!is_numeric(value)) return fail(ErrorCode::Invalid, "not a number");
        set_.required_score = std::stod(std::string(value));
        return {};
    }
    if (key == "rewrite_header") {
        auto [header, text] = split_name(value);
        if (iequals_ascii(header, "subject")) { set_.subject_tag = std::string(text); return {}; }
        if (iequals_ascii(header, "from") || iequals_ascii(header, "to")) return fail(ErrorCode::NotFound, "");
        return fail(ErrorCode::Invalid, "only Subject, From or To");
    }
    if (key == "freemail_domains") {
        for (auto rest = value; !rest.empty();) {
            auto [domain, tail] = split_name(rest);
            rest = tail;
            if (domain.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.*?-") != std::string_view::npos)
                return fail(ErrorCode::Invalid, "invalid domain " + std::string(domain));
            std::string d = to_lower_ascii(domain);
            if (freemail_seen_.insert(d).second) set_.freemail_domains.push_back(std::move(d));
        }
        return {};
    }
    if (key == "freemail_welcomelist" || key == "freemail_whitelist")
        return add_freemail_welcomelist(set_.freemail, value);
    if (double* number = freemail_number(set_.freemail, key)) {
        if (!is_numeric(value)) return fail(ErrorCode::Invalid, "not a number");
        *number = std::stod(std::string(value));
        return {};
    }
    if (key == "redirector_pattern") {
        if (auto re = parse_regex_literal(value); !re) return fail(re.error());
        set_.redirector_patterns.emplace_back(value);
        return {};
    }
    return fail(ErrorCode::NotFound, "");
}

Result<void> RuleFileParser::define_rule(FileState& file, std::string_view key, std::string_view value) {
    const RuleType type = *test_type(key);
    auto [name, definition] = split_name(value);
    const std::string rule_name(name);
    auto error = [&](std::string message) {
        diagnose(file, RuleDiagnostic::Kind::Error, rule_name, std::string(key) + " " + rule_name + ": " + message);
        return Result<void>{};
    };
    if (name.empty() || definition.empty()) return error("missing rule name or definition");
    if (!is_rule_name(name) || name.size() > 100) return error("invalid rule name");
    auto rule = parse_definition(type, definition);
    if (!rule) {
        if (rule.error().code == ErrorCode::Unsupported)
            diagnose(file, RuleDiagnostic::Kind::Unsupported, rule_name, rule.error().message);
        else error(rule.error().message);
        return {};
    }
    rule->name = rule_name;
    rule->defined_at = SourcePos{file.name, file.line};
    if (auto ok = add_rule(std::move(*rule)); !ok) {
        ok.error().pos = SourcePos{file.name, file.line};
        return ok;
    }
    return {};
}

// SA: a second definition of a name replaces the first (we keep the first position).
Result<void> RuleFileParser::add_rule(Rule rule) {
    if (auto it = set_.index.find(rule.name); it != set_.index.end()) {
        set_.rules[it->second] = std::move(rule);
        return {};
    }
    if (set_.rules.size() >= limits::kMaxSpamRules) return fail(ErrorCode::TooLong, "more than kMaxSpamRules rules");
    set_.index.emplace(rule.name, set_.rules.size());
    set_.rules.push_back(std::move(rule));
    return {};
}

RuleSet RuleFileParser::finish() {
    replace_tags_.apply(set_);
    attributes_.apply(set_);
    const auto drop = link_metas(set_);
    if (!drop.empty()) {
        std::vector<Rule> kept;
        for (auto& rule : set_.rules)
            if (!drop.count(rule.name)) kept.push_back(std::move(rule));
        set_.rules = std::move(kept);
        set_.index.clear();
        for (std::size_t i = 0; i < set_.rules.size(); ++i) set_.index.emplace(set_.rules[i].name, i);
    }
    return std::move(set_);
}

}  // namespace mw::spam
