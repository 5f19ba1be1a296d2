// Test support: every regex of SpamAssassin's stock rules (/usr/share/spamassassin/*.cf), split
// as SpamAssassin's compile_regexp does (delimiters /../, m{..}, m(..), m<..>, m[..], mX..X;
// flags i m s x kept, others ignored), with replace_tags (ReplaceTags.pm) expanded for the rules
// named by replace_rules. header/mimeheader `=~`/`!~`, body, rawbody, full, uri; eval: and
// exists: rules carry no regex and are skipped. Also reads the message corpus (load_corpus).
// Reads files only; not thread-safe to share.
#pragma once

#include <string>
#include <vector>

#include "milters/spam/regex/regex_spec.hpp"

namespace mw::spam::test {

struct StockRule {
    std::string file;
    std::string type;   // header, body, rawbody, full, uri, mimeheader
    std::string name;
    RegexSpec spec;
};

/// The rules of every *.cf in `dir` (file name order); empty when the directory is absent.
std::vector<StockRule> load_stock_rules(const std::string& dir);

/// Every `step`th message (file name order) of dir/ham and dir/spam, at most `max_bytes` of
/// each; empty when the corpus is absent.
std::vector<std::string> load_corpus(const std::string& dir, std::size_t step,
                                     std::size_t max_bytes);

/// Splits "/re/flags" or "m{re}flags" into a spec; false when the delimiters are not valid.
bool split_perl_regex(const std::string& text, RegexSpec& spec);

}  // namespace mw::spam::test
