// run_milter_daemon(): the start-up and reload skeleton every mailwarden milter shares, so each
// main.cpp only names its parts. Order matters and is the same for all:
//   1. load(config) reads every file the configuration names (tables, keys) while still root,
//      so root-only 0600 files work; it builds the snapshot without a resolver;
//   2. the socket is opened (libmilter), the process detaches unless -f, privileges are dropped;
//   3. the shared resolver is made (its thread never runs as root) and attach() finishes the
//      snapshot with it (e.g. a DNS-list checker); then connections are served.
// SIGUSR1 repeats 1 and 3 into a new snapshot for new connections, keeping the old resolver
// (and libunbound's cache) when dns_servers/dns_timeout did not change; any error keeps the
// running configuration and is logged. Snapshot needs a `std::shared_ptr<dns::Resolver>
// resolver` member. Start-up failures throw std::runtime_error (caught in milter_daemon_main).
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "common/daemon/daemon_startup.hpp"
#include "common/daemon/detach.hpp"
#include "common/daemon/privileges.hpp"
#include "common/daemon/resolver_from_config.hpp"
#include "common/daemon/signal_watcher.hpp"
#include "common/log/logger.hpp"
#include "common/milter/libmilter_driver.hpp"
#include "common/milter/snapshot_session_factory.hpp"

namespace mw::milter {

template <typename Snapshot>
struct MilterDaemonParts {
    const daemon::DaemonDescription* description = nullptr;
    std::string version;
    /// Step 1: the snapshot from a checked config, files read, resolver not yet set.
    std::function<Result<std::shared_ptr<Snapshot>>(const config::Config&)> load;
    /// Step 3 (optional): finishes a snapshot once its resolver is set.
    std::function<Result<bool>(Snapshot&)> attach;
    /// The protocol steps, macros and actions, negotiated once at start-up.
    std::function<MilterSpec(const Snapshot&)> spec;
    std::function<std::unique_ptr<Session>(std::shared_ptr<const Snapshot>)> session;
};

namespace detail {

template <typename Snapshot>
Result<std::shared_ptr<const Snapshot>> finish_snapshot(const MilterDaemonParts<Snapshot>& parts,
                                                        std::shared_ptr<Snapshot> snap, const config::Config& c,
                                                        const config::Config* old_config, const Snapshot* old) {
    if (old && daemon::same_resolver_settings(*old_config, c)) {
        snap->resolver = old->resolver;   // keeps libunbound's cache
    } else {
        auto r = daemon::make_resolver(c);
        if (!r) return fail(r.error());
        snap->resolver = *r;
    }
    if (parts.attach) {
        if (auto ok = parts.attach(*snap); !ok) return fail(ok.error());
    }
    return std::shared_ptr<const Snapshot>(std::move(snap));
}

}  // namespace detail

template <typename Snapshot>
int run_milter_daemon(const MilterDaemonParts<Snapshot>& parts, daemon::Started started) {
    const auto& desc = *parts.description;
    config::Config config = started.config;
    daemon::configure_logging(desc, config, started.flags.verbose);
    auto loaded = parts.load(config);
    if (!loaded) throw std::runtime_error(loaded.error().to_string());
    using Factory = SnapshotSessionFactory<Snapshot>;
    auto factory = std::make_shared<Factory>(nullptr, parts.session);
    LibmilterDriver driver(parts.spec(**loaded), factory);
    DriverOptions o;
    o.listen = *daemon::ListenSpec::parse(config.str("listen"), false);
    o.socket_mode = config.mode("socket_mode");
    o.socket_owner = config.str("socket_owner");
    o.drain_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config.duration("shutdown_timeout"));
    if (auto r = driver.open(o); !r) throw std::runtime_error(r.error().to_string());
    if (!started.flags.foreground) {
        if (auto r = daemon::detach_from_terminal(); !r) throw std::runtime_error(r.error().to_string());
        daemon::configure_logging(desc, config, started.flags.verbose);   // new PID
    }
    if (auto r = daemon::drop_privileges(config.str("user")); !r) throw std::runtime_error(r.error().to_string());
    auto first = detail::finish_snapshot<Snapshot>(parts, std::move(*loaded), config, nullptr, nullptr);
    if (!first) throw std::runtime_error(first.error().to_string());
    factory->swap(*first);

    auto reload = [&] {
        auto fail_reload = [](const Error& e) {
            log::error("reload failed, keeping the running configuration: {}", e.to_string());
        };
        auto c = daemon::load_daemon_config(desc, started.flags);
        if (!c) return fail_reload(c.error());
        auto snap = parts.load(*c);
        if (!snap) return fail_reload(snap.error());
        auto next = detail::finish_snapshot<Snapshot>(parts, std::move(*snap), *c, &config, factory->current().get());
        if (!next) return fail_reload(next.error());
        if (c->str("listen") != config.str("listen"))
            log::warning("listen changed to {}: takes effect after a restart", c->str("listen"));
        daemon::configure_logging(desc, *c, started.flags.verbose);
        factory->swap(*next);
        config = std::move(*c);
        log::info("reloaded configuration from {}", started.flags.config_path);
    };
    log::info("starting mailwarden-{} {} on {}", desc.name, parts.version, o.listen.to_string());
    auto served = driver.serve(reload);
    log::info("stopping with {} messages in flight", driver.messages_in_flight());
    return served && *served ? 0 : 1;
}

/// The whole main(): signals, flags and config (-t, -n, -d ...), then run_milter_daemon().
template <typename Snapshot>
int milter_daemon_main(const MilterDaemonParts<Snapshot>& parts, int argc, char** argv) {
    daemon::block_daemon_signals();   // before any thread: libmilter's and ours inherit it
    auto started = daemon::start_daemon(*parts.description, argc, argv);
    if (auto* code = std::get_if<int>(&started)) return *code;
    try {
        return run_milter_daemon(parts, std::move(std::get<daemon::Started>(started)));
    } catch (const std::exception& e) {
        log::error("fatal: {}", e.what());
        return 1;
    }
}

}  // namespace mw::milter
