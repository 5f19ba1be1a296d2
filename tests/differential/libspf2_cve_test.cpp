// CVE-2023-42118 regression: the record that smashes libspf2's stack must get an answer from
// SpfEvaluator, and (in a child process, so that this test survives) must still kill Debian's
// libspf2 1.2.10 with SIGABRT, which proves the record exercises the real bug.
// The bug, found empirically against libspf2-2 1.2.10-7.2+b1: SPF_c_parse_macro compiles a
// mechanism into a 4096-byte stack buffer with room for 511 bytes; after 127 macros (4 bytes
// each) 3 bytes are left, ds_avail = 3 - sizeof(SPF_data_t) wraps around, and the literal that
// follows is copied without a bound. "%-" compiles to the 3 bytes "%20", so 1400 of them write
// 4200 bytes: past the buffer, the canary, "*** stack smashing detected ***". With 40 macros and a
// short literal nothing happens; the record needs 127 macros and about 3.1 KB (under
// kMaxSpfRecord, and valid: RFC 7208 §3.4 asks publishers, not evaluators, for 450 bytes).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "common/base/limits.hpp"
#include "common/spf/spf_evaluator.hpp"
#include "tests/support/fake_resolver.hpp"
#include "tests/support/libspf2_checker.hpp"

using mw::spf::SpfResult;

namespace {

constexpr int kMacros = 127;          // fills the 511-byte mechanism buffer to 3 bytes
constexpr int kSmashingEscapes = 1400;
constexpr int kHarmlessEscapes = 1100; // 3300 bytes: stays inside the 4096-byte buffer

std::string cve_record(int escapes) {
    std::string r = "v=spf1 exists:";
    for (int i = 0; i < kMacros; ++i) r += "%{d}";
    for (int i = 0; i < escapes; ++i) r += "%-";
    return r + " -all";
}

mw::spf::SpfRequest request() {
    mw::spf::SpfRequest req;
    req.client = *mw::net::IpAddress::parse("192.0.2.1");
    req.helo = "mail.example.org";
    req.sender = "alice@example.com";
    return req;
}

// Runs libspf2 on `record` in a child; returns the child's wait status.
int libspf2_in_child(const std::string& record) {
    const pid_t pid = fork();
    if (pid == 0) {
        // Catch2's fatal-signal handler would report the abort as this test's failure.
        std::signal(SIGABRT, SIG_DFL);
        const int null = open("/dev/null", O_WRONLY);   // glibc's smashing report, not ours
        if (null >= 0) dup2(null, STDERR_FILENO), dup2(null, STDOUT_FILENO);
        auto checker = mw::test::Libspf2Checker::create({{"example.com", mw::dns::RrType::TXT, record}});
        if (!checker) _exit(2);
        (*checker)->check(request(), mw::Deadline::after(std::chrono::seconds(5)));
        _exit(0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
    return status;
}

}  // namespace

TEST_CASE("CVE-2023-42118 record: SpfEvaluator answers", "[spf][differential][cve]") {
    const auto record = cve_record(kSmashingEscapes);
    REQUIRE(record.size() < mw::limits::kMaxSpfRecord);
    mw::test::FakeResolver dns;
    dns.add_txt("example.com", record);
    mw::spf::SpfEvaluator evaluator(dns);
    const auto out = evaluator.check(request(), mw::Deadline::after(std::chrono::seconds(5)));
    INFO(mw::spf::to_string(out.result) << ": " << out.problem);
    // The record is there and DNS answers: anything but none/temperror is an answer on the
    // record (fail when the expanded name does not exist, permerror if the name is refused).
    CHECK(out.result != SpfResult::None);
    CHECK(out.result != SpfResult::TempError);
}

TEST_CASE("CVE-2023-42118 record: libspf2 dies by SIGABRT", "[spf][differential][cve]") {
    const int status = libspf2_in_child(cve_record(kSmashingEscapes));
    REQUIRE(status != -1);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGABRT);
}

TEST_CASE("CVE-2023-42118 control: a shorter literal does not crash libspf2", "[spf][differential][cve]") {
    // Same shape, literal short enough to stay in the buffer: the crash above is the overflow,
    // not the harness.
    const int status = libspf2_in_child(cve_record(kHarmlessEscapes));
    REQUIRE(status != -1);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
