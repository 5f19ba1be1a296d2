// Loads Debian 12's stock SpamAssassin 4.0.1 rules (skipped when the package is absent).
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "milters/spam/rules/rule_file_parser.hpp"
#include "milters/spam/rules/rule_lint.hpp"

using namespace mw::spam;

namespace {

// The plugins SA 4.0.1's v3*.pre / v4*.pre files load by default on Debian 12.
const std::set<std::string> kDefaultPlugins = {
    "Mail::SpamAssassin::Plugin::Check", "Mail::SpamAssassin::Plugin::HTTPSMismatch",
    "Mail::SpamAssassin::Plugin::URIDetail", "Mail::SpamAssassin::Plugin::Bayes",
    "Mail::SpamAssassin::Plugin::BodyEval", "Mail::SpamAssassin::Plugin::DNSEval",
    "Mail::SpamAssassin::Plugin::HTMLEval", "Mail::SpamAssassin::Plugin::HeaderEval",
    "Mail::SpamAssassin::Plugin::MIMEEval", "Mail::SpamAssassin::Plugin::RelayEval",
    "Mail::SpamAssassin::Plugin::URIEval", "Mail::SpamAssassin::Plugin::WLBLEval",
    "Mail::SpamAssassin::Plugin::VBounce", "Mail::SpamAssassin::Plugin::ImageInfo",
    "Mail::SpamAssassin::Plugin::FreeMail", "Mail::SpamAssassin::Plugin::AskDNS",
    "Mail::SpamAssassin::Plugin::ReplaceTags", "Mail::SpamAssassin::Plugin::MIMEHeader",
    "Mail::SpamAssassin::Plugin::SPF", "Mail::SpamAssassin::Plugin::DKIM",
    "Mail::SpamAssassin::Plugin::URIDNSBL", "Mail::SpamAssassin::Plugin::FromNameSpoof",
    "Mail::SpamAssassin::Plugin::Phishing", "Mail::SpamAssassin::Plugin::AutoLearnThreshold",
    "Mail::SpamAssassin::Plugin::WelcomeListSubject", "Mail::SpamAssassin::Plugin::PDFInfo",
    "Mail::SpamAssassin::Plugin::HashBL", "Mail::SpamAssassin::Plugin::TxRep",
    "Mail::SpamAssassin::Plugin::DMARC"};

RuleSet load_stock(const std::set<std::string>& plugins, double& seconds) {
    RuleParserOptions options;
    options.plugins = plugins;
    const auto start = std::chrono::steady_clock::now();
    RuleFileParser parser(options);
    REQUIRE(parser.load_path(MW_SA_RULES_DIR));
    RuleSet set = parser.finish();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return set;
}

}  // namespace

TEST_CASE("Stock rules: every SA 4.0.1 file loads with no errors", "[milters][spam][rules]") {
    if (!std::filesystem::exists(MW_SA_RULES_DIR "/50_scores.cf")) {
        WARN("SpamAssassin rules not installed: skipped");
        return;
    }
    double seconds = 0;
    const RuleSet set = load_stock(kDefaultPlugins, seconds);
    const RuleCounts c = count_rules(set);
    const std::string lint = format_lint(set);
    std::cout << "stock rules loaded in " << seconds << " s\n" << lint.substr(0, lint.find("diagnostics")) ;
    std::cout << "diagnostics: " << c.errors << " errors, " << c.unsupported << " unsupported, "
              << c.ignored << " ignored\n";
    INFO(lint);
    CHECK(c.errors == 0);
    INFO("loaded in " << seconds << " s (not asserted)");
    CHECK(c.by_type[static_cast<int>(RuleType::Meta)] > 800);
    CHECK(c.by_type[static_cast<int>(RuleType::Header)] > 500);
    CHECK(c.by_type[static_cast<int>(RuleType::Body)] > 400);
    CHECK(c.by_type[static_cast<int>(RuleType::Uri)] > 50);
    CHECK(c.by_type[static_cast<int>(RuleType::Mimeheader)] > 10);
    CHECK(set.freemail_domains.size() > 1000);
    CHECK(set.required_score == 5.0);

    // Spot checks against the files' text.
    const Rule* subj = set.find("SUBJ_ALL_CAPS");
    REQUIRE(subj);
    CHECK(subj->eval);
    const Rule* bayes99 = set.find("BAYES_99");
    REQUIRE(bayes99);
    CHECK(bayes99->flags.learn);
    const Rule* missing_date = set.find("MISSING_DATE");
    REQUIRE(missing_date);
    CHECK(missing_date->type == RuleType::Meta);
    // A ReplaceTags rule has had its <tags> replaced.
    const Rule* vlium = set.find("FUZZY_VLIUM");
    REQUIRE(vlium);
    REQUIRE(vlium->regex);
    CHECK(vlium->regex->pattern.find("<V>") == std::string::npos);
    CHECK(vlium->regex->pattern.find("<inter") == std::string::npos);
    CHECK(vlium->regex->caseless);
}

TEST_CASE("Stock rules: load with no plugins at all, still no errors", "[milters][spam][rules]") {
    if (!std::filesystem::exists(MW_SA_RULES_DIR "/50_scores.cf")) return;
    double seconds = 0;
    const RuleSet set = load_stock({}, seconds);
    const RuleCounts c = count_rules(set);
    INFO(format_lint(set));
    CHECK(c.errors == 0);
    CHECK(c.by_type[static_cast<int>(RuleType::Body)] > 100);
}
