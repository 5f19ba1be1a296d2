// DKIM interop with OpenDKIM's libopendkim, both directions, RSA-2048 and Ed25519, all four
// canonicalizations, on tests/interop/messages plus a generated 100 KB message: what we sign
// libopendkim verifies, what libopendkim signs we verify, and a tampered body fails in both.
// The one exception is libopendkim 2.11's own bug (Ed25519 with simple header
// canonicalization): there we assert that dkimpy rejects its signature too, so the failure is
// shown to be theirs. libopendkim's key queries go through the common resolver interface to a
// FakeResolver (no network).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>

#include "tests/interop/interop_corpus.hpp"
#include "tests/support/fake_resolver.hpp"
#include "tests/support/libopendkim_dkim.hpp"
#include "tests/support/temp_dir.hpp"

using namespace mw;
using namespace mw::test;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kLargeMessage = 100 * 1024;

struct Interop {
    FakeResolver dns;
    std::vector<InteropKey> keys = interop_keys();
    LibOpenDkim odk{dns, 2s};

    Interop() {
        for (const auto& k : keys) dns.add_txt(k.selector + "._domainkey." + kInteropDomain, k.record);
    }
    bool odk_passes(std::string_view message) const {
        const auto r = odk.verify(message);
        return r && r->size() == 1 && r->front().passed;
    }
    bool ours_passes(std::string_view message) {
        const auto r = ours_verify(message, resolver_key_lookup(dns));
        return r.size() == 1 && r.front().status == dkim::VerifyStatus::Pass;
    }
    std::string odk_sign(std::string_view message, const InteropKey& key, dkim::Canonicalization c) const {
        auto field = odk.sign(message, {kInteropDomain, key.selector, key.pem, key.type, c});
        if (!field) FAIL("libopendkim could not sign: " << field.error().to_string());
        return *field + std::string(message);
    }
};

bool body_ends_in_crlf(std::string_view msg) {
    return msg.size() >= 2 && msg.substr(msg.size() - 2) == "\r\n";
}

/// The messages libopendkim can take: with default flags (no DKIM_LIBFLAGS_FIXCRLF, as opendkim
/// runs without FixCRLF) it refuses a body without a final CRLF, which SMTP never delivers (see
/// the test at the end). Such messages are checked against dkimpy (dkim_interop_test.py).
std::vector<std::pair<std::string, std::string>> corpus() {
    std::vector<std::pair<std::string, std::string>> messages;
    for (auto& m : read_messages(MW_INTEROP_MESSAGES))
        if (body_ends_in_crlf(m.second)) messages.push_back(std::move(m));
    messages.emplace_back("generated-100k", generated_message(kLargeMessage));
    return messages;
}

bool libopendkim_bug(const InteropKey& key, dkim::Canonicalization c) {
    return key.type == dkim::KeyType::Ed25519 && c.header == dkim::Canon::Simple;
}

/// dkimpy's verdict: 0 pass, 3 fail, anything else = dkimpy did not run.
int dkimpy_verify(const std::string& message, const std::string& record) {
    TempDir dir;
    const auto msg = dir.write("msg.eml", message);
    const auto txt = dir.write("key.txt", record);
    const auto script = dir.write("verify.py",
        "import sys, dkim\n"
        "msg = open(sys.argv[1], 'rb').read()\n"
        "txt = open(sys.argv[2], 'rb').read()\n"
        "sys.exit(0 if dkim.verify(msg, dnsfunc=lambda name, timeout=5: txt) else 3)\n");
    const int rc = std::system((std::string(MW_DEBIAN_PYTHON) + " " + script + " " + msg + " " + txt).c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace

TEST_CASE("libopendkim verifies what we sign, and rejects it tampered") {
    Interop t;
    for (const auto& key : t.keys)
        for (const auto c : all_canonicalizations())
            for (const auto& [name, msg] : corpus()) {
                INFO(name << " " << dkim::canonicalization_text(c) << " " << key.selector);
                const auto signed_msg = ours_sign(msg, key, c);
                CHECK(t.odk_passes(signed_msg));
                CHECK_FALSE(t.odk_passes(tampered(signed_msg)));
            }
}

TEST_CASE("we verify what libopendkim signs, and reject it tampered") {
    Interop t;
    for (const auto& key : t.keys)
        for (const auto c : all_canonicalizations())
            for (const auto& [name, msg] : corpus()) {
                INFO(name << " " << dkim::canonicalization_text(c) << " " << key.selector);
                const auto signed_msg = t.odk_sign(msg, key, c);
                if (libopendkim_bug(key, c)) {
                    CHECK_FALSE(t.ours_passes(signed_msg));  // their bug: see the next test
                    CHECK_FALSE(t.odk_passes(signed_msg));   // libopendkim rejects it too
                } else {
                    CHECK(t.ours_passes(signed_msg));
                    CHECK(t.odk_passes(signed_msg));
                }
                CHECK_FALSE(t.ours_passes(tampered(signed_msg)));
                CHECK_FALSE(t.odk_passes(tampered(signed_msg)));
            }
}

TEST_CASE("libopendkim's Ed25519 simple-header signatures fail in dkimpy too (their bug)") {
    Interop t;
    const auto& ed = t.keys.at(1);
    REQUIRE(ed.type == dkim::KeyType::Ed25519);
    const auto msg = corpus().front().second;
    using dkim::Canon;
    // Control: dkimpy accepts libopendkim's Ed25519 signatures with relaxed headers, and ours.
    CHECK(dkimpy_verify(t.odk_sign(msg, ed, {Canon::Relaxed, Canon::Simple}), ed.record) == 0);
    CHECK(dkimpy_verify(ours_sign(msg, ed, {Canon::Simple, Canon::Simple}), ed.record) == 0);
    for (const auto body : {Canon::Simple, Canon::Relaxed}) {
        const auto signed_msg = t.odk_sign(msg, ed, {Canon::Simple, body});
        INFO(signed_msg);
        CHECK(dkimpy_verify(signed_msg, ed.record) == 3);
        CHECK_FALSE(t.ours_passes(signed_msg));
    }
}

TEST_CASE("libopendkim key lookups go through the resolver; failures map to no key / keyfail") {
    Interop t;
    const auto signed_msg = ours_sign(corpus().front().second, t.keys.front(), {dkim::Canon::Relaxed, dkim::Canon::Relaxed});
    const int before = t.dns.queries();
    REQUIRE(t.odk_passes(signed_msg));
    CHECK(t.dns.queries() == before + 1);

    const std::string name = "rsa._domainkey.example.com";
    SECTION("NXDOMAIN") {
        FakeResolver empty;
        LibOpenDkim odk(empty, 2s);
        const auto r = odk.verify(signed_msg);
        REQUIRE(r);
        REQUIRE(r->size() == 1);
        CHECK_FALSE(r->front().passed);
        CHECK(r->front().sig_error == 22);  // DKIM_SIGERROR_NOKEY
    }
    for (const auto rcode : {dns::Rcode::ServFail, dns::Rcode::Timeout}) {
        DYNAMIC_SECTION("resolver failure " << dns::to_string(rcode)) {
            t.dns.set_failure(name, dns::RrType::TXT, rcode);
            const auto r = t.odk.verify(signed_msg);
            REQUIRE(r);
            REQUIRE(r->size() == 1);
            CHECK_FALSE(r->front().passed);
            CHECK(r->front().sig_error == 24);  // DKIM_SIGERROR_KEYFAIL
        }
    }
    SECTION("unsigned message: no results") {
        const auto r = t.odk.verify(corpus().front().second);
        REQUIRE(r);
        CHECK(r->empty());
    }
}

TEST_CASE("one libopendkim DKIM_LIB shared by 4 threads keeps every result right") {
    Interop t;
    const auto msg = generated_message(3 * 1024);
    std::vector<std::string> good;
    for (const auto& key : t.keys) good.push_back(ours_sign(msg, key, {dkim::Canon::Relaxed, dkim::Canon::Relaxed}));
    constexpr int kThreads = 4, kRounds = 100;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&, i] {
            for (int n = 0; n < kRounds; ++n) {
                const auto& m = good[static_cast<std::size_t>(n + i) % good.size()];
                const bool bad = (n + i) % 3 == 0;
                if (t.odk_passes(bad ? tampered(m) : m) == bad) ++wrong;
            }
        });
    for (auto& th : threads) th.join();
    CHECK(wrong.load() == 0);
}

TEST_CASE("libopendkim (default flags) refuses a body without a final CRLF, we sign it") {
    Interop t;
    const auto messages = read_messages(MW_INTEROP_MESSAGES);
    const auto it = std::find_if(messages.begin(), messages.end(),
                                 [](const auto& m) { return !body_ends_in_crlf(m.second); });
    REQUIRE(it != messages.end());
    const InteropKey& rsa = t.keys.front();
    const auto field = t.odk.sign(it->second, {kInteropDomain, rsa.selector, rsa.pem, rsa.type,
                                               {dkim::Canon::Relaxed, dkim::Canon::Relaxed}});
    REQUIRE_FALSE(field);
    CHECK_THAT(field.error().message, Catch::Contains("CRLF at end of body missing"));
    CHECK(t.ours_passes(ours_sign(it->second, rsa, {dkim::Canon::Relaxed, dkim::Canon::Relaxed})));
}
