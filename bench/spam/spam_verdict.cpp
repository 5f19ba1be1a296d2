#include "bench/spam/spam_verdict.hpp"

#include <algorithm>
#include <string_view>

namespace mw::bench {

namespace {

using Kind = milter::Response::Kind;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x | 0x20) == (y | 0x20);
           });
}

// True when value, after leading white space, starts with word (case-insensitive).
bool starts_with_word(std::string_view value, std::string_view word) {
    const auto start = value.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return false;
    value.remove_prefix(start);
    return value.size() >= word.size() && iequals(value.substr(0, word.size()), word);
}

bool marks_spam(const milter::Response& r) {
    if (r.kind == Kind::Quarantine) return true;
    if (r.kind != Kind::AddHeader && r.kind != Kind::InsertHeader && r.kind != Kind::ChangeHeader) return false;
    if (iequals(r.name, "X-Spam-Flag")) return starts_with_word(r.value, "yes");
    if (iequals(r.name, "X-Spam-Status")) return starts_with_word(r.value, "yes");
    if (iequals(r.name, "X-Spam")) return starts_with_word(r.value, "yes");
    return false;
}

}  // namespace

const char* to_string(SpamVerdict v) {
    switch (v) {
        case SpamVerdict::Clean: return "clean";
        case SpamVerdict::Flagged: return "flagged";
        case SpamVerdict::Rejected: return "rejected";
        case SpamVerdict::Tempfail: return "tempfail";
        case SpamVerdict::Error: return "error";
    }
    return "error";
}

SpamVerdict classify(const Result<milter::TransactionResult>& result) {
    if (!result) return SpamVerdict::Error;
    switch (result->verdict) {
        case milter::Verdict::Reject:
        case milter::Verdict::Discard: return SpamVerdict::Rejected;
        case milter::Verdict::Tempfail: return SpamVerdict::Tempfail;
        case milter::Verdict::Continue:
        case milter::Verdict::Accept: break;
    }
    const bool flagged = std::any_of(result->edits.begin(), result->edits.end(), marks_spam);
    return flagged ? SpamVerdict::Flagged : SpamVerdict::Clean;
}

}  // namespace mw::bench
