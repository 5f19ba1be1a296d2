// RuleFileParser: reads SpamAssassin configuration/rule files (.cf) into a RuleSet: header, body,
// rawbody, full, uri, mimeheader, meta, score, describe, tflags, priority, required_score,
// rewrite_header, freemail_domains and FreeMail's other settings (freemail_settings.hpp),
// redirector_pattern, include, and ifplugin/if/else/endif
// (conditions evaluated against the plugins and features we implement). Other directives SA
// knows are recorded as Ignored diagnostics; malformed lines as Error diagnostics with FILE:LINE.
// Later files override earlier ones (scores, descriptions, redefinitions), as in SA.
// Bounded: line length, files, nesting of if blocks, rules (limits.hpp).
// Thread-compatible.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "common/base/result.hpp"
#include "milters/spam/rules/replace_tags.hpp"
#include "milters/spam/rules/rule_attributes.hpp"
#include "milters/spam/rules/rule_set.hpp"

namespace mw::spam {

/// The Mail::SpamAssassin::Conf::feature_* names SA 4.0.1 answers true to `if can(...)`.
std::set<std::string> default_sa_features();

struct RuleParserOptions {
    /// Plugin names ifplugin/if plugin(...) treat as loaded, e.g.
    /// "Mail::SpamAssassin::Plugin::HeaderEval" (the scanner fills this from what it implements).
    std::set<std::string> plugins;
    /// The SpamAssassin version `if (version >= 3.004000)` compares with.
    double sa_version = 4.000001;
    /// Names `if can(X)` / `if has(X)` treat as true: SA's Conf features by default; the scanner
    /// adds plugin methods it implements (e.g. "Mail::SpamAssassin::Plugin::BodyEval::
    /// has_check_body_length") and may remove features it lacks (feature_capture_rules).
    std::set<std::string> features = default_sa_features();
};

class RuleFileParser {
public:
    explicit RuleFileParser(RuleParserOptions options);

    /// Parses `text` as if it were file `name`. Errors inside go to diagnostics; the Result fails
    /// only on a bound (TooLong) or an unbalanced if/endif at end of file.
    Result<void> load_text(std::string_view text, const std::string& name);
    /// One file, or every *.cf in a directory in name order (SA's order).
    Result<void> load_path(const std::string& path);

    /// Finishes: removes rules with Error diagnostics, applies default scores (1.0; 0 for "__"
    /// sub-rules; 0.01 for "T_" rules), checks meta references. Call once.
    RuleSet finish();

private:
    struct FileState;   // one file being read: name, line, if-stack (rule_file_parser.cpp)

    Result<void> load_file(const std::string& path);
    Result<void> handle_line(FileState& file, std::string_view line);
    Result<bool> handle_conditional(FileState& file, std::string_view key, std::string_view value);
    Result<void> handle_include(FileState& file, std::string_view value);
    Result<void> handle_directive(FileState& file, std::string_view key, std::string_view value);
    Result<void> handle_setting(std::string_view key, std::string_view value);
    Result<void> define_rule(FileState& file, std::string_view key, std::string_view value);
    Result<void> add_rule(Rule rule);
    void diagnose(const FileState& file, RuleDiagnostic::Kind kind, std::string rule,
                  std::string message);

    RuleParserOptions options_;
    RuleSet set_;
    int depth_ = 0;                     // include nesting of the file being read
    RuleAttributes attributes_;         // score/describe/tflags/priority, merged at finish()
    ReplaceTags replace_tags_;
    std::set<std::string> freemail_seen_;
    std::size_t files_ = 0;             // files read so far (kMaxSpamRuleFiles)
};

}  // namespace mw::spam
