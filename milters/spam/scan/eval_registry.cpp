#include "milters/spam/scan/eval_registry.hpp"

#include <map>
#include <mutex>
#include <optional>

namespace mw::spam {

const EvalRegistry& EvalRegistry::builtin() {
    static const EvalRegistry registry = [] {
        EvalRegistry r;
        register_header_evals(r);
        register_mime_evals(r);
        register_html_evals(r);
        register_auth_evals(r);
        register_relay_evals(r);
        register_body_evals(r);
        register_misc_evals(r);
        register_freemail_evals(r);
        return r;
    }();
    return registry;
}

const PcreRegex* cached_eval_regex(const std::string& pattern) {
    static std::mutex mu;
    static std::map<std::string, std::optional<PcreRegex>, std::less<>> cache;
    std::lock_guard lock(mu);
    auto it = cache.find(pattern);
    if (it == cache.end()) {
        auto re = PcreRegex::compile({pattern});
        it = cache.emplace(pattern, re ? std::optional<PcreRegex>(std::move(*re)) : std::nullopt).first;
    }
    return it->second ? &*it->second : nullptr;
}

MatchScratch& eval_match_scratch() {
    thread_local MatchScratch scratch;
    return scratch;
}

std::string no_args(const EvalArgs& a) { return a.empty() ? "" : "takes no arguments"; }
std::string any_args(const EvalArgs&) { return ""; }

}  // namespace mw::spam
