// The X-Spam-* header fields SpamAssassin writes, which Sieve scripts and mail clients already
// test, built from one verdict:
//   X-Spam-Flag: YES                       (spam only)
//   X-Spam-Score: 7.3
//   X-Spam-Level: *******                  (one star per whole point, at most 50)
//   X-Spam-Status: Yes, score=7.3 required=5.0 tests=A,B,C autolearn=disabled version=...
//   X-Spam-Report: one line per rule hit   (optional)
// Values are folded at 78 columns with "\n\t" as SpamAssassin folds them. Pure; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mw::spam {

struct SpamVerdict {
    double score = 0;
    double required = 5.0;
    bool spam = false;
    struct Test {
        std::string name;
        double score = 0;
        std::string description;
    };
    std::vector<Test> tests;   // sorted by name
    std::string version;       // "mailwarden-spam 0.1.0"
};

/// SpamAssassin's "%2.1f" of a score (half away from zero).
std::string format_score(double score);
std::string spam_level(double score);
std::string spam_status(const SpamVerdict& v);
std::string spam_report(const SpamVerdict& v);

/// The fields to add, in the order SpamAssassin writes them.
std::vector<std::pair<std::string, std::string>> spam_header_fields(const SpamVerdict& v, bool with_report);

/// Folds a header value at spaces and commas so that no line passes 78 columns (the field name
/// of `name_length` characters and ": " included).
std::string fold_header_value(const std::string& value, std::size_t name_length);

}  // namespace mw::spam
