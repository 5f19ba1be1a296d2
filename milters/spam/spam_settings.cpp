#include "milters/spam/spam_settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "common/daemon/daemon_startup.hpp"
#include "common/daemon/listen_spec.hpp"
#include "milters/spam/params.hpp"
#include "milters/spam/rules/rule_file_parser.hpp"
#include "milters/spam/scan/eval_registry.hpp"

namespace mw::spam {

namespace {

namespace fs = std::filesystem;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr const char* kStockRules = "/usr/share/spamassassin";
constexpr const char* kUpdateRoot = "/var/lib/spamassassin";

ClientPolicy policy_of(const std::string& word) {
    if (word == "score") return ClientPolicy::Score;
    if (word == "scan") return ClientPolicy::Scan;
    return ClientPolicy::Skip;
}

bool has_cf_files(const fs::path& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".cf") return true;
    return false;
}

}  // namespace

std::set<std::string> default_plugins() {
    static const char* const kPlugins[] = {
        "URIDNSBL", "SPF", "Pyzor", "Razor2", "SpamCop", "AutoLearnThreshold", "WelcomeListSubject",
        "MIMEHeader", "ReplaceTags", "DKIM", "Check", "HTTPSMismatch", "URIDetail", "Bayes", "BodyEval",
        "DNSEval", "HTMLEval", "HeaderEval", "MIMEEval", "RelayEval", "URIEval", "WLBLEval", "VBounce",
        "ImageInfo", "FreeMail", "AskDNS", "HashBL", "DMARC"};
    std::set<std::string> out;
    for (const char* p : kPlugins) out.insert(std::string("Mail::SpamAssassin::Plugin::") + p);
    return out;
}

std::string resolve_rules_dir(const std::string& configured) {
    if (configured != "auto") return configured;
    // sa-update writes /var/lib/spamassassin/<version>/ (e.g. 4.000001); the newest wins, as in SA.
    std::vector<fs::path> trees;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(kUpdateRoot, ec))
        if (e.is_directory() && !e.path().filename().string().empty() &&
            std::isdigit(static_cast<unsigned char>(e.path().filename().string()[0])) && has_cf_files(e.path()))
            trees.push_back(e.path());
    if (trees.empty()) return kStockRules;
    std::sort(trees.begin(), trees.end());
    return trees.back().string();
}

Result<SpamSettings> load_spam_settings(const config::Config& c) {
    SpamSettings s;
    s.rule_paths.push_back(resolve_rules_dir(c.str("rules_dir")));
    if (!c.str("site_rules_dir").empty()) s.rule_paths.push_back(c.str("site_rules_dir"));
    for (const auto& p : c.list("local_rules")) s.rule_paths.push_back(p);
    for (const auto& p : s.rule_paths) {
        std::error_code ec;
        if (!fs::exists(p, ec)) {
            // A missing site directory is normal (SpamAssassin not installed); a named rule file is not.
            if (p == c.str("site_rules_dir")) continue;
            const char* key = p == s.rule_paths.front() ? "rules_dir" : "local_rules";
            return fail(daemon::config_error(c, key, "no such file or directory: " + p));
        }
    }
    std::erase_if(s.rule_paths, [](const std::string& p) { std::error_code ec; return !fs::exists(p, ec); });
    s.required_score = c.number("required_score");
    s.reject_score = c.number("reject_score");
    s.quarantine_score = c.number("quarantine_score");
    s.subject_tag = c.str("subject_tag");
    s.add_report = c.flag("add_report");
    s.max_message_size = static_cast<std::size_t>(c.integer("max_message_size"));
    s.scan_timeout = duration_cast<milliseconds>(c.duration("scan_timeout"));
    s.authenticated = policy_of(c.str("authenticated_clients"));
    s.internal = policy_of(c.str("internal_clients"));
    s.internal_hosts = c.cidrs("internal_hosts");
    s.trusted_networks = c.cidrs("trusted_networks");
    s.authserv_id = daemon::authserv_id(c);
    s.dnsbl_header = c.str("dnsbl_header");
    s.dnsbl_weight = c.number("dnsbl_weight");
    s.dry_run = c.flag("dry_run");
    s.failure_action = c.str("failure_action") == "accept" ? milter::FailureAction::Accept
                                                           : milter::FailureAction::Tempfail;
    return s;
}

Result<RuleSet> load_rule_set(const std::vector<std::string>& paths) {
    RuleParserOptions o;
    o.plugins = default_plugins();
    RuleFileParser parser(std::move(o));
    for (const auto& p : paths)
        if (auto r = parser.load_path(p); !r) return fail(r.error());
    RuleSet set = parser.finish();
    for (const auto& d : set.diagnostics)
        if (d.kind == RuleDiagnostic::Kind::Error) return fail(Error{ErrorCode::Invalid, d.message, d.where});
    return set;
}

Result<std::shared_ptr<const CompiledRules>> load_rules(const SpamSettings& s) {
    auto set = load_rule_set(s.rule_paths);
    if (!set) return fail(set.error());
    return std::make_shared<const CompiledRules>(CompiledRules::compile(std::move(*set), EvalRegistry::builtin()));
}

Result<bool> check_spam_config(const config::Config& c) {
    auto spec = daemon::ListenSpec::parse(c.str("listen"), false);
    if (!spec) return fail(daemon::config_error(c, "listen", spec.error().message));
    auto s = load_spam_settings(c);
    if (!s) return fail(s.error());
    auto rules = load_rule_set(s->rule_paths);
    if (!rules) return fail(rules.error());
    return true;
}

const daemon::DaemonDescription& spam_daemon() {
    static const daemon::DaemonDescription d{"spam", "spam-scoring milter with SpamAssassin rules", &spam_params(),
                                             check_spam_config};
    return d;
}

}  // namespace mw::spam
