// mailwarden-spam: the spam-scoring milter. The skeleton (flags, config, socket, privileges,
// reload) is run_milter_daemon()'s; rules are loaded and compiled in load(), as root at start-up
// and again on SIGUSR1 (a bad rule file keeps the running rules); the per-message work lives in
// SpamSession.
#include <malloc.h>

#include <fmt/format.h>

#include "common/log/logger.hpp"
#include "common/milter/milter_daemon.hpp"
#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/spam_session.hpp"
#include "milters/spam/spam_settings.hpp"

namespace mw::spam {
namespace {

Result<std::shared_ptr<SpamSnapshot>> load(const config::Config& c) {
    auto settings = load_spam_settings(c);
    if (!settings) return fail(settings.error());
    auto rules = load_rules(*settings);
    if (!rules) return fail(rules.error());
    const CompiledRules& r = **rules;
    auto [pre, all] = r.prefilter_coverage();
    log::info("rules: {} loaded from {}, {} runnable, {} unsupported, {} off; {} of {} patterns prefiltered",
              r.size(), fmt::join(settings->rule_paths, ", "), r.count(RuleState::Runnable),
              r.count(RuleState::Unsupported), r.count(RuleState::Off), pre, all);
    auto snapshot = make_spam_snapshot(std::move(*settings), std::move(*rules));
    // Hyperscan's compiles peak at tens of MB that glibc keeps after they are freed: hand the
    // free pages back, or the daemon stays at its compile-time size.
    malloc_trim(0);
    return snapshot;
}

milter::MilterDaemonParts<SpamSnapshot> parts() {
    milter::MilterDaemonParts<SpamSnapshot> p;
    p.description = &spam_daemon();
    p.version = MW_VERSION;
    p.load = load;
    p.spec = [](const SpamSnapshot& s) { return spam_milter_spec(s.settings); };
    p.session = [](std::shared_ptr<const SpamSnapshot> s) { return std::make_unique<SpamSession>(std::move(s)); };
    return p;
}

}  // namespace
}  // namespace mw::spam

int main(int argc, char** argv) {
    mw::spam::mime_library_init();
    return mw::milter::milter_daemon_main(mw::spam::parts(), argc, argv);
}
