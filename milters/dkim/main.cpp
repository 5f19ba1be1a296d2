// mailwarden-dkim: the DKIM signing and verifying milter. Flags, config, keys, the socket and
// signals; the per-message work lives in DkimSession.
#include <memory>
#include <stdexcept>

#include "common/daemon/daemon_startup.hpp"
#include "common/daemon/detach.hpp"
#include "common/daemon/privileges.hpp"
#include "common/daemon/resolver_from_config.hpp"
#include "common/daemon/signal_watcher.hpp"
#include "common/log/logger.hpp"
#include "common/milter/libmilter_driver.hpp"
#include "common/milter/snapshot_session_factory.hpp"
#include "milters/dkim/dkim_session.hpp"
#include "milters/dkim/dkim_settings.hpp"
#include "milters/dkim/params.hpp"

namespace mw::dkim {
namespace {

const daemon::DaemonDescription kDaemon{"dkim", "DKIM signing and verifying milter", &dkim_params(),
                                        check_dkim_config};

using Factory = milter::SnapshotSessionFactory<DkimSnapshot>;

// Keys are read here (as root at start-up, so 0600 root-owned keys work), the resolver is
// added by with_resolver() once privileges are dropped (its thread must not run as root).
struct Pending {
    config::Config config;
    DkimSettings settings;
};

Result<std::shared_ptr<const DkimSnapshot>> with_resolver(Pending p, const config::Config* old_config,
                                                          const DkimSnapshot* old) {
    auto snap = std::make_shared<DkimSnapshot>();
    snap->settings = std::move(p.settings);
    if (old && daemon::same_resolver_settings(*old_config, p.config)) {
        snap->resolver = old->resolver;   // keeps libunbound's cache
    } else {
        auto r = daemon::make_resolver(p.config);
        if (!r) return fail(r.error());
        snap->resolver = *r;
    }
    return std::shared_ptr<const DkimSnapshot>(std::move(snap));
}

class Daemon {
public:
    Daemon(daemon::DaemonFlags flags, config::Config config) : flags_(std::move(flags)), config_(std::move(config)) {}

    void reload(Factory& factory) {
        auto c = daemon::load_daemon_config(kDaemon, flags_);
        if (!c) return reload_failed(c.error());
        auto s = load_dkim_settings(*c);
        if (!s) return reload_failed(s.error());
        auto snap = with_resolver({*c, std::move(*s)}, &config_, factory.current().get());
        if (!snap) return reload_failed(snap.error());
        if (c->str("listen") != config_.str("listen"))
            log::warning("listen changed to {}: takes effect after a restart", c->str("listen"));
        daemon::configure_logging(kDaemon, *c, flags_.verbose);
        factory.swap(*snap);
        config_ = std::move(*c);
        log::info("reloaded configuration from {}", flags_.config_path);
    }

private:
    static void reload_failed(const Error& e) {
        log::error("reload failed, keeping the running configuration: {}", e.to_string());
    }

    daemon::DaemonFlags flags_;
    config::Config config_;
};

int run(daemon::Started started) {
    const config::Config& c = started.config;
    daemon::configure_logging(kDaemon, c, started.flags.verbose);
    auto settings = load_dkim_settings(c);
    if (!settings) throw std::runtime_error(settings.error().to_string());
    const auto failure = settings->failure_action;
    auto factory = std::make_shared<Factory>(nullptr, [](std::shared_ptr<const DkimSnapshot> s) {
        return std::make_unique<DkimSession>(std::move(s));
    });
    milter::LibmilterDriver driver(dkim_milter_spec(failure), factory);
    milter::DriverOptions o;
    o.listen = *daemon::ListenSpec::parse(c.str("listen"), false);
    o.socket_mode = c.mode("socket_mode");
    o.socket_owner = c.str("socket_owner");
    o.drain_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(c.duration("shutdown_timeout"));
    if (auto r = driver.open(o); !r) throw std::runtime_error(r.error().to_string());
    if (!started.flags.foreground) {
        if (auto r = daemon::detach_from_terminal(); !r) throw std::runtime_error(r.error().to_string());
        daemon::configure_logging(kDaemon, c, started.flags.verbose);   // new PID
    }
    if (auto r = daemon::drop_privileges(c.str("user")); !r) throw std::runtime_error(r.error().to_string());
    auto first = with_resolver({c, std::move(*settings)}, nullptr, nullptr);
    if (!first) throw std::runtime_error(first.error().to_string());
    factory->swap(*first);
    Daemon d(started.flags, c);
    log::info("starting mailwarden-dkim {} on {}", MW_VERSION, o.listen.to_string());
    auto served = driver.serve([&] { d.reload(*factory); });
    log::info("stopping with {} messages in flight", driver.messages_in_flight());
    return served && *served ? 0 : 1;
}

}  // namespace
}  // namespace mw::dkim

int main(int argc, char** argv) {
    mw::daemon::block_daemon_signals();   // before any thread: libmilter's and ours inherit it
    auto started = mw::daemon::start_daemon(mw::dkim::kDaemon, argc, argv);
    if (auto* code = std::get_if<int>(&started)) return *code;
    try {
        return mw::dkim::run(std::move(std::get<mw::daemon::Started>(started)));
    } catch (const std::exception& e) {
        mw::log::error("fatal: {}", e.what());
        return 1;
    }
}
