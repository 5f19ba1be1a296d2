#include <catch2/catch.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/config/config.hpp"
#include "common/log/logger.hpp"
#include "policyd/params.hpp"
#include "policyd/policy_service.hpp"
#include "tests/unit/policyd/fake_spf_checker.hpp"

using namespace mw::policyd;

namespace {

struct CapturedLines : mw::log::Sink {
    void write(mw::log::Level, std::string_view line) override {
        std::lock_guard lock(mu);
        lines->emplace_back(line);
    }
    std::mutex mu;
    std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();
};

// Installs a capturing sink for the test's lifetime; the lines outlive the sink.
struct LogCapture {
    LogCapture() {
        auto sink = std::make_unique<CapturedLines>();
        lines = sink->lines;
        mw::log::configure(std::move(sink), mw::log::Level::Info);
    }
    ~LogCapture() { mw::log::configure(nullptr, mw::log::Level::Info); }
    std::shared_ptr<std::vector<std::string>> lines;
};

PolicyRequest request(std::string queue_id, std::string instance, std::string sender = "a@example.org") {
    PolicyRequest r;
    r.request = "smtpd_access_policy";
    r.client_address = "203.0.113.9";
    r.helo_name = "mx.example.org";
    r.sender = std::move(sender);
    r.queue_id = std::move(queue_id);
    r.instance = std::move(instance);
    return r;
}

// As the server does: the reply is returned, the decision line logged after it.
std::string answer(PolicyService& service, const PolicyRequest& r) {
    PolicyAnswer a = service.handle(r);
    if (!a.decision_line.empty()) mw::log::write(mw::log::Level::Info, a.decision_line);
    return a.reply;
}

struct Service {
    Service() {
        spf->script(mw::spf::Identity::Helo, mw::spf::SpfResult::None);
        spf->script(mw::spf::Identity::MailFrom, mw::spf::SpfResult::Pass);
    }
    std::shared_ptr<test::FakeSpfChecker> spf = std::make_shared<test::FakeSpfChecker>();
    std::shared_ptr<InstanceCache> instances = std::make_shared<InstanceCache>();
};

}  // namespace

TEST_CASE("PolicyService: the same client, HELO and sender are decided once, logged per message",
          "[policyd]") {
    LogCapture log;
    Service s;
    PolicyService service(mw::config::Config::defaults(policyd_params()), s.spf, s.instances);
    const std::string first = answer(service, request("Q1", "1.1"));
    const auto checks = s.spf->calls.size();
    CHECK(checks == 2);  // HELO and MAIL FROM
    CHECK(first.rfind("action=PREPEND Received-SPF: pass", 0) == 0);
    const std::string second = answer(service, request("Q2", "2.1"));
    CHECK(second == first);
    CHECK(s.spf->calls.size() == checks);  // from the memo
    REQUIRE(log.lines->size() == 2);
    CHECK((*log.lines)[0].rfind("Q1: spf=pass identity=mailfrom client=[203.0.113.9] ", 0) == 0);
    CHECK((*log.lines)[1] == "Q2" + (*log.lines)[0].substr(2));

    // A later recipient of message 2: DUNNO (header sent once), no decision line.
    CHECK(answer(service, request("Q2", "2.1")) == "action=DUNNO\n\n");
    CHECK(log.lines->size() == 2);
    // No queue id yet (first recipient): NOQUEUE, same fields.
    answer(service, request("", "3.1"));
    REQUIRE(log.lines->size() == 3);
    CHECK((*log.lines)[2] == "NOQUEUE" + (*log.lines)[0].substr(2));

    // Another sender is another decision.
    answer(service, request("Q4", "4.1", "b@example.org"));
    CHECK(s.spf->calls.size() == checks + 2);
    CHECK((*log.lines)[3].find("envelope-from=<b@example.org>") != std::string::npos);
}

TEST_CASE("PolicyService: a temperror is decided again for the next message", "[policyd]") {
    LogCapture log;
    Service s;
    s.spf->script(mw::spf::Identity::MailFrom, mw::spf::SpfResult::TempError);
    PolicyService service(mw::config::Config::defaults(policyd_params()), s.spf, s.instances);
    answer(service, request("Q1", "1.1"));
    const auto checks = s.spf->calls.size();
    answer(service, request("Q2", "2.1"));
    CHECK(s.spf->calls.size() == 2 * checks);
}
