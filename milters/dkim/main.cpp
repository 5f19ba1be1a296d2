// mailwarden-dkim: the DKIM signing and verifying milter. The skeleton (flags, config, socket,
// privileges, reload) is run_milter_daemon()'s; the per-message work lives in DkimSession.
#include "common/milter/milter_daemon.hpp"
#include "milters/dkim/dkim_session.hpp"
#include "milters/dkim/dkim_settings.hpp"
#include "milters/dkim/params.hpp"

namespace mw::dkim {
namespace {

const daemon::DaemonDescription kDaemon{"dkim", "DKIM signing and verifying milter", &dkim_params(),
                                        check_dkim_config};

// Keys are read here, as root at start-up, so 0600 root-owned keys work.
Result<std::shared_ptr<DkimSnapshot>> load(const config::Config& c) {
    auto settings = load_dkim_settings(c);
    if (!settings) return fail(settings.error());
    auto snap = std::make_shared<DkimSnapshot>();
    snap->settings = std::move(*settings);
    return snap;
}

milter::MilterDaemonParts<DkimSnapshot> parts() {
    milter::MilterDaemonParts<DkimSnapshot> p;
    p.description = &kDaemon;
    p.version = MW_VERSION;
    p.load = load;
    p.attach = [](DkimSnapshot& s) {
        // Key records: their TTL, at least a minute, at most an hour (a revoked key takes effect
        // within the hour, as with any caching resolver).
        s.key_cache = std::make_shared<dns::AnswerCache>(dns::AnswerCache::Options{});
        return Result<bool>(true);
    };
    p.spec = [](const DkimSnapshot& s) { return dkim_milter_spec(s.settings.failure_action); };
    p.session = [](std::shared_ptr<const DkimSnapshot> s) { return std::make_unique<DkimSession>(std::move(s)); };
    return p;
}

}  // namespace
}  // namespace mw::dkim

int main(int argc, char** argv) { return mw::milter::milter_daemon_main(mw::dkim::parts(), argc, argv); }
