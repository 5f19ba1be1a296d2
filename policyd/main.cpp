// mailwarden-policyd: the SPF policy service for Postfix's check_policy_service.
// Flags, config, sockets and signals; the decisions live in PolicyService and below.
#include <unistd.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "common/daemon/daemon_startup.hpp"
#include "common/daemon/detach.hpp"
#include "common/daemon/listener.hpp"
#include "common/daemon/resolver_from_config.hpp"
#include "common/daemon/privileges.hpp"
#include "common/daemon/signal_watcher.hpp"
#include "common/log/logger.hpp"
#include "common/spf/spf_evaluator.hpp"
#include "policyd/params.hpp"
#include "policyd/policy_server.hpp"
#include "policyd/policy_service.hpp"
#include "policyd/policy_settings.hpp"
#include "policyd/spf_result_cache.hpp"

namespace mw::policyd {
namespace {

const daemon::DaemonDescription kDaemon{
    "policyd", "SPF policy service for Postfix", &policyd_params(), check_policyd_config};

// Everything one configuration generation needs, kept alive together.
struct Generation {
    config::Config config;
    std::shared_ptr<dns::Resolver> resolver;
    std::shared_ptr<spf::SpfEvaluator> evaluator;
    std::shared_ptr<SpfResultCache> cache;
    std::shared_ptr<PolicyService> service;
};

Result<Generation> make_generation(config::Config c, const Generation* previous,
                                   const std::shared_ptr<InstanceCache>& instances) {
    std::shared_ptr<dns::Resolver> resolver;
    // Keep the resolver (and its cache) unless its settings changed.
    if (previous && daemon::same_resolver_settings(previous->config, c)) {
        resolver = previous->resolver;
    } else {
        auto r = daemon::make_resolver(c);
        if (!r) return fail(r.error());
        resolver = *r;
    }
    const auto opts = policy_options_from(c);
    spf::SpfEvaluatorOptions eo;
    eo.receiver = opts.hide_receiver ? "unknown" : opts.receiver;
    auto evaluator = std::make_shared<spf::SpfEvaluator>(*resolver, eo);
    auto cache = std::make_shared<SpfResultCache>(
        static_cast<std::size_t>(c.integer("cache_size")),
        std::chrono::duration_cast<std::chrono::seconds>(c.duration("cache_max_ttl")));
    auto checker = std::make_shared<CachingSpfChecker>(*evaluator, *cache);
    auto service = std::make_shared<PolicyService>(c, checker, instances);
    return Generation{std::move(c), std::move(resolver), std::move(evaluator), std::move(cache),
                      std::move(service)};
}

class Daemon {
public:
    explicit Daemon(daemon::Started started)
        : flags_(std::move(started.flags)), instances_(std::make_shared<InstanceCache>()) {
        auto g = make_generation(std::move(started.config), nullptr, instances_);
        if (!g) throw std::runtime_error(g.error().to_string());
        current_ = std::make_shared<Generation>(std::move(*g));
    }

    PolicyAnswer handle(const PolicyRequest& req) {
        std::shared_ptr<Generation> g;
        {
            std::lock_guard lock(mu_);
            g = current_;
        }
        return g->service->handle(req);
    }

    void reload(PolicyServer& server) {
        auto c = daemon::load_daemon_config(kDaemon, flags_);
        if (!c) {
            log::error("reload failed, keeping the running configuration: {}", c.error().to_string());
            return;
        }
        std::shared_ptr<Generation> old;
        {
            std::lock_guard lock(mu_);
            old = current_;
        }
        if (c->str("listen") != old->config.str("listen"))
            log::warning("listen changed to {}: takes effect after a restart", c->str("listen"));
        auto g = make_generation(std::move(*c), old.get(), instances_);
        if (!g) {
            log::error("reload failed, keeping the running configuration: {}", g.error().to_string());
            return;
        }
        server.set_limits(server_limits_from(g->config));
        daemon::configure_logging(kDaemon, g->config, flags_.verbose);
        {
            std::lock_guard lock(mu_);
            current_ = std::make_shared<Generation>(std::move(*g));
        }
        log::info("reloaded configuration from {}", flags_.config_path);
    }

    const config::Config& config() const { return current_->config; }

private:
    daemon::DaemonFlags flags_;
    std::shared_ptr<InstanceCache> instances_;
    std::mutex mu_;
    std::shared_ptr<Generation> current_;
};

int run(daemon::Started started) {
    daemon::configure_logging(kDaemon, started.config, started.flags.verbose);
    const auto spec = *daemon::ListenSpec::parse(started.config.str("listen"), true);
    UniqueFd listen_fd;
    if (spec.kind != daemon::ListenSpec::Kind::Stdio) {
        auto fd = daemon::open_listener(spec, {started.config.mode("socket_mode"),
                                               started.config.str("socket_owner"), 128});
        if (!fd) {
            log::error("{}", fd.error().to_string());
            return 1;
        }
        listen_fd = std::move(*fd);
    }
    // Without -f a standalone daemon goes to the background; a spawn(8) child never does.
    if (!started.flags.foreground && spec.kind != daemon::ListenSpec::Kind::Stdio) {
        if (auto r = daemon::detach_from_terminal(); !r) {
            log::error("{}", r.error().to_string());
            return 1;
        }
        daemon::configure_logging(kDaemon, started.config, started.flags.verbose);   // new PID
    }
    if (auto dropped = daemon::drop_privileges(started.config.str("user")); !dropped) {
        log::error("{}", dropped.error().to_string());
        return 1;
    }
    Daemon d(std::move(started));   // threads (resolver) start only after the privilege drop
    PolicyServer server([&d](const PolicyRequest& r) { return d.handle(r); },
                        server_limits_from(d.config()));
    const auto drain = d.config().duration("shutdown_timeout");
    daemon::SignalWatcher signals([&] { d.reload(server); },
                                  [&] { server.stop(Deadline::after(drain)); });
    log::info("starting mailwarden-policyd {} on {}", MW_VERSION, spec.to_string());
    if (spec.kind == daemon::ListenSpec::Kind::Stdio) {
        server.serve_stdio(STDIN_FILENO, STDOUT_FILENO);
    } else {
        server.serve_listener(listen_fd.get());
        ::unlink(spec.path.c_str());
    }
    log::info("stopping");
    return 0;
}

}  // namespace
}  // namespace mw::policyd

int main(int argc, char** argv) {
    mw::daemon::block_daemon_signals();
    auto started = mw::daemon::start_daemon(mw::policyd::kDaemon, argc, argv);
    if (auto* code = std::get_if<int>(&started)) return *code;
    try {
        return mw::policyd::run(std::move(std::get<mw::daemon::Started>(started)));
    } catch (const std::exception& e) {
        mw::log::error("fatal: {}", e.what());
        return 1;
    }
}
