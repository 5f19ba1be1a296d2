// EvalRegistry: the SpamAssassin eval: functions we implement natively, by name. Each returns the
// rule's hit count (0 = no hit) for one message. A rule whose function is not here is
// "unsupported": it never runs and never scores (lint lists it). Arguments are the rule's, as
// strings; a function refuses arguments it cannot use by returning nullopt from its check.
// Thread-safety: the registry is immutable; functions are pure, apart from the per-message memo
// some fill in their ScanInput (scan_input.hpp).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milters/spam/regex/pcre_regex.hpp"
#include "milters/spam/scan/scan_input.hpp"

namespace mw::spam {

using EvalArgs = std::vector<std::string>;
using EvalFunction = std::function<int(const ScanInput&, const EvalArgs&)>;

struct EvalEntry {
    EvalFunction run;
    /// Checks a rule's arguments once at load time; "" = fine, else why not.
    std::function<std::string(const EvalArgs&)> check_args;
    /// True when the function answers a network test (tflags net) from headers our other
    /// checks added (SPF, DKIM), so it runs even with network tests off.
    bool answers_net_rule = false;
};

class EvalRegistry {
public:
    /// Every function we implement (eval_*.cpp register into it).
    static const EvalRegistry& builtin();

    void add(std::string name, EvalEntry entry) { entries_[std::move(name)] = std::move(entry); }
    const EvalEntry* find(std::string_view name) const {
        auto it = entries_.find(name);
        return it == entries_.end() ? nullptr : &it->second;
    }
    std::size_t size() const { return entries_.size(); }

private:
    std::map<std::string, EvalEntry, std::less<>> entries_;
};

/// Registration functions, one per area (eval_header.cpp, eval_mime.cpp, ...).
void register_header_evals(EvalRegistry& r);
void register_mime_evals(EvalRegistry& r);
void register_html_evals(EvalRegistry& r);
void register_auth_evals(EvalRegistry& r);
void register_relay_evals(EvalRegistry& r);
void register_body_evals(EvalRegistry& r);
void register_misc_evals(EvalRegistry& r);
void register_freemail_evals(EvalRegistry& r);

/// A regex given as an eval argument (freemail, html_text_match), compiled once and kept for the
/// life of the process (the rule files hold a handful); null when it does not compile.
/// Thread-safe.
const PcreRegex* cached_eval_regex(const std::string& pattern);

/// The PCRE2 match scratch eval functions use, one per thread and kept: a MatchScratch allocates
/// match data and a JIT stack, too much to make again for every call.
MatchScratch& eval_match_scratch();

/// Argument checks shared by the eval files.
std::string no_args(const EvalArgs& a);
std::string any_args(const EvalArgs& a);

}  // namespace mw::spam
