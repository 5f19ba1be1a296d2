// The stock SpamAssassin rules over the labelled corpus (../shared/testdata/spamassassin-corpus),
// scored as the milter scores (MessageScorer, envelope inferred as SpamAssassin does): detection
// and false-positive rates must stay at least as good as measured when this test was written
// (bench/spam/CORPUS_REPORT.md has the full comparison with SpamAssassin itself). Skipped when the
// corpus or the stock rules are absent. Label "corpus": not run under the sanitizers (slow there).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "milters/spam/message_scorer.hpp"
#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/spam_settings.hpp"

namespace fs = std::filesystem;
using namespace mw::spam;

namespace {

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Tally {
    int flagged = 0, total = 0;
    double rate() const { return total ? 100.0 * flagged / total : 0; }
};

}  // namespace

TEST_CASE("corpus: stock rules detect spam and spare ham at least as well as measured", "[corpus]") {
    const fs::path corpus = MW_CORPUS_DIR;
    if (!fs::exists(corpus / "ham") || !fs::exists("/usr/share/spamassassin/50_scores.cf")) {
        WARN("corpus or stock rules absent: skipped");
        return;
    }
    mime_library_init();
    SpamSettings settings;
    settings.rule_paths = {"/usr/share/spamassassin"};
    settings.authserv_id = "mx.example.net";
    auto rules = load_rules(settings);
    REQUIRE(rules);
    MessageScorer scorer(**rules);
    Tally ham, spam;
    for (const char* folder : {"ham", "spam"}) {
        Tally& t = std::string(folder) == "ham" ? ham : spam;
        for (const auto& e : fs::directory_iterator(corpus / folder)) {
            Envelope env;
            env.mail_from_known = false;
            auto scored = scorer.score(read_all(e.path()), env, settings, std::nullopt);
            ++t.total;
            t.flagged += scored.verdict.spam;
        }
    }
    INFO("spam detected " << spam.flagged << "/" << spam.total << " (" << spam.rate() << " %), ham flagged "
                          << ham.flagged << "/" << ham.total << " (" << ham.rate() << " %)");
    WARN("spam detected " << spam.rate() << " %, false positives " << ham.rate() << " %");
    CHECK(spam.total > 1000);
    CHECK(spam.rate() >= MW_MIN_DETECTION);
    CHECK(ham.rate() <= MW_MAX_FALSE_POSITIVES);
}
