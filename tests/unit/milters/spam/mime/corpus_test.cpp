// Parses every message of the shared SpamAssassin corpus (skipped when it is absent) and prints
// the parse rate; checks aggregates only, since the corpus is real, varied mail.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "milters/spam/mime/message_parser.hpp"

using namespace mw::spam;
namespace fs = std::filesystem;

namespace {

fs::path corpus_dir() {
    if (const char* env = std::getenv("MW_TESTDATA")) return fs::path(env) / "spamassassin-corpus";
    return fs::path(MW_TESTDATA_DIR) / "spamassassin-corpus";
}

std::vector<std::string> load(const fs::path& dir) {
    std::vector<std::string> out;
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() != ".eml") continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        out.push_back(ss.str());
    }
    return out;
}

struct Tally {
    std::size_t messages = 0, with_uri = 0, with_body = 0;
    double seconds = 0;
};

Tally parse_all(const std::vector<std::string>& msgs) {
    Tally t;
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& raw : msgs) {
        const ParsedMessage m = parse_message(raw);
        ++t.messages;
        t.with_uri += !m.uris.empty();
        t.with_body += m.body_lines.size() > 1;
    }
    t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return t;
}

}  // namespace

TEST_CASE("corpus: every message parses - most spam has a URI", "[spam][mime][corpus]") {
    const auto spam = load(corpus_dir() / "spam");
    const auto ham = load(corpus_dir() / "ham");
    if (spam.empty() || ham.empty()) {
        WARN("corpus not found under " << corpus_dir() << ": skipped");
        return;
    }
    const Tally s = parse_all(spam);
    const Tally h = parse_all(ham);
    const double rate = static_cast<double>(s.messages + h.messages) / (s.seconds + h.seconds);
    WARN("corpus parse: " << s.messages + h.messages << " messages, " << static_cast<long>(rate)
                          << " msgs/s, " << (s.seconds + h.seconds) * 1e6 / static_cast<double>(s.messages + h.messages)
                          << " us/msg; spam with uri " << s.with_uri << "/" << s.messages
                          << ", ham with uri " << h.with_uri << "/" << h.messages);
    // About 5% of this spam asks for a reply and carries no URI at all (checked by hand).
    CHECK(s.with_uri * 100 > s.messages * 90);
    CHECK(s.with_body * 100 > s.messages * 95);
    CHECK(h.with_body * 100 > h.messages * 95);
}
