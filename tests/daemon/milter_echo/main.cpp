// milter_echo: a test-only milter built on common/milter's libmilter driver, for the daemon tier.
// It counts what it sees and, at end of message, adds "X-Milter-Test: rcpts=N headers=N body=N
// gen=G" and "X-Milter-Macros: ...", inserts "X-Milter-First: yes" at the top, tags the Subject,
// deletes X-Delete-Me and quarantines when the Subject says "quarantine". It rejects recipients
// whose local part is "reject". --fail-at STEP makes that step throw (the spec's failure action
// answers); --eom-delay-ms slows end of message (for drain tests); SIGUSR1 bumps G.
//   milter_echo --listen SPEC [--fail-at mail|header|body|eom] [--failure tempfail|accept]
//               [--eom-delay-ms N] [--drain-ms N]
#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "common/daemon/signal_watcher.hpp"
#include "common/log/logger.hpp"
#include "common/milter/libmilter_driver.hpp"
#include "common/milter/snapshot_session_factory.hpp"

namespace {

using namespace mw::milter;

struct EchoConfig {
    int generation = 1;
    std::string fail_at;
    int eom_delay_ms = 0;
};

class EchoSession : public Session {
public:
    explicit EchoSession(std::shared_ptr<const EchoConfig> c) : config_(std::move(c)) {}

    Reply on_mail(const std::vector<std::string>&, const Macros&) override {
        maybe_fail("mail");
        rcpts_ = headers_ = 0;
        body_ = 0;
        subject_.reset();
        delete_me_ = false;
        return Reply::cont();
    }

    Reply on_rcpt(const std::vector<std::string>& args, const Macros&) override {
        if (!args.empty() && args[0].rfind("<reject@", 0) == 0)
            return Reply::reject("no such user here", "550", "5.1.1");
        ++rcpts_;
        return Reply::cont();
    }

    Reply on_header(std::string_view name, std::string_view value) override {
        maybe_fail("header");
        ++headers_;
        if (name == "Subject") subject_ = std::string(value);
        if (name == "X-Delete-Me") delete_me_ = true;
        return Reply::cont();
    }

    Reply on_body(std::string_view chunk) override {
        maybe_fail("body");
        body_ += chunk.size();
        return Reply::cont();
    }

    Reply on_eom(MessageEdits& edits, const Macros& m) override {
        if (config_->eom_delay_ms > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(config_->eom_delay_ms));
        maybe_fail("eom");
        edits.add_header("X-Milter-Test", fmt::format("rcpts={} headers={} body={} gen={}", rcpts_,
                                                      headers_, body_, config_->generation));
        edits.add_header("X-Milter-Macros",
                         fmt::format("daemon_name={} auth={} client_addr={} queue={}",
                                     m.get_or("daemon_name", "-"), m.get_or("auth_authen", "-"),
                                     m.get_or("client_addr", "-"), m.get_or("i", "-")));
        edits.insert_header(0, "X-Milter-First", "yes");
        if (subject_) edits.change_header("Subject", 1, "[echo] " + *subject_);
        if (delete_me_) edits.delete_header("X-Delete-Me", 1);
        if (subject_ && subject_->find("quarantine") != std::string::npos)
            return Reply::quarantine("echo quarantine");
        return Reply::cont();
    }

private:
    void maybe_fail(const char* step) const {
        if (config_->fail_at == step) throw std::runtime_error(fmt::format("failing at {} as asked", step));
    }

    std::shared_ptr<const EchoConfig> config_;
    int rcpts_ = 0;
    int headers_ = 0;
    std::size_t body_ = 0;
    std::optional<std::string> subject_;
    bool delete_me_ = false;
};

MilterSpec echo_spec(FailureAction failure) {
    MilterSpec s;
    s.name = "milter-echo";
    s.no_reply = {Step::Header, Step::Body};
    s.actions.add_headers = true;
    s.actions.change_headers = true;
    s.actions.quarantine = true;
    s.macros_at(wire::MacroStage::Connect) = {"j", "daemon_name", "client_addr"};
    s.macros_at(wire::MacroStage::Mail) = {"i", "auth_type", "auth_authen"};
    s.macros_at(wire::MacroStage::Eom) = {"i"};
    s.on_failure = failure;
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    mw::daemon::block_daemon_signals();   // before any thread: libmilter's and ours inherit it
    mw::log::configure(mw::log::make_stderr_sink("milter-echo"), mw::log::Level::Info);
    std::string listen;
    EchoConfig config;
    FailureAction failure = FailureAction::Tempfail;
    int drain_ms = 10'000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--listen") listen = value;
        else if (flag == "--fail-at") config.fail_at = value;
        else if (flag == "--failure") failure = value == "accept" ? FailureAction::Accept : FailureAction::Tempfail;
        else if (flag == "--eom-delay-ms") config.eom_delay_ms = std::stoi(value);
        else if (flag == "--drain-ms") drain_ms = std::stoi(value);
    }
    auto spec = mw::daemon::ListenSpec::parse(listen, false);
    if (!spec) {
        mw::log::error("{}", spec.error().message);
        return 2;
    }
    auto factory = std::make_shared<SnapshotSessionFactory<EchoConfig>>(
        std::make_shared<const EchoConfig>(config),
        [](std::shared_ptr<const EchoConfig> c) { return std::make_unique<EchoSession>(std::move(c)); });
    LibmilterDriver driver(echo_spec(failure), factory);
    DriverOptions o;
    o.listen = *spec;
    o.socket_mode = 0600;
    o.drain_timeout = std::chrono::milliseconds(drain_ms);
    if (auto r = driver.open(o); !r) {
        mw::log::error("{}", r.error().message);
        return 1;
    }
    mw::log::info("listening on {}", spec->to_string());
    auto served = driver.serve([&] {
        auto next = std::make_shared<EchoConfig>(*factory->current());
        ++next->generation;
        factory->swap(next);
        mw::log::info("reloaded: generation {}", next->generation);
    });
    mw::log::info("stopped with {} messages in flight", driver.messages_in_flight());
    return served ? 0 : 1;
}
