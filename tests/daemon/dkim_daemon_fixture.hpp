// Shared fixture of the mailwarden-dkim daemon tests: the real binary (Dkimd) on a unix socket in
// a temp dir, with the RSA-2048 test key (mode 0600, owned by nobody when run as root), and a
// loopback unbound (Dns) serving its public key as mail._domainkey.example.com plus whatever
// extra records a test adds. Helpers build milter transactions (outbound = signed, inbound =
// verified), pick edits out of a result and verify a signed message with our verifier.
// Nothing here touches the machine's resolver. Not thread-safe except where a helper says so.
#pragma once

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/milter/milter_transaction.hpp"
#include "milters/dkim/base64.hpp"
#include "milters/dkim/dkim_verifier.hpp"
#include "milters/dkim/message_header.hpp"
#include "milters/dkim/signing_key.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/loopback_dns_server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/milters/dkim/test_keys.hpp"

namespace mw::test::dkimd {

using namespace mw::milter;

inline const char* kMessage =
    "From: Alice <alice@example.com>\n"
    "To: bob@example.net\n"
    "Subject: hello\n"
    "Message-ID: <1@example.com>\n"
    "X-Folded: first\n"
    "\tsecond\n"
    "\n"
    "Hello Bob.\n"
    "\n"
    "Bye.\n";

/// The public key record of the test key (no REQUIRE inside: usable from any thread).
inline std::string key_record() {
    static const std::string record = [] {
        const auto key = mw::dkim::PrivateKey::from_pem(mw::dkim::test::kRsa2048Pem);
        return key ? "v=DKIM1; k=rsa; p=" + mw::dkim::base64_encode(key->public_key_bytes()) : std::string();
    }();
    return record;
}

inline std::string config_text(const TempDir& dir, const std::string& dns, const std::string& key,
                               const std::string& selector = "mail") {
    return "listen = unix:" + dir.file("dkim.sock") +
           "\nlog_target = stderr\nlog_level = info\nuser = nobody\nsocket_owner = nobody:nogroup\n"
           "dns_servers = " + dns + "\ndns_timeout = 1s\nverify_time = 3s\n"
           "authserv_id = mx.example.net\ndomain = example.com\nselector = " + selector +
           "\nkey_file = " + key + "\n";
}

inline constexpr uid_t kNobody = 65534;

struct Dkimd {
    TempDir dir;
    std::string key = dir.write("mail.pem", mw::dkim::test::kRsa2048Pem);
    std::unique_ptr<DaemonProcess> daemon;

    std::string conf;

    explicit Dkimd(const std::string& dns, const std::string& extra = "", const std::string& selector = "mail") {
        REQUIRE(::chmod(key.c_str(), 0600) == 0);
        // The daemon drops to nobody: keys owned by that account are accepted at start-up (as
        // root) and stay readable on reload.
        if (::geteuid() == 0) {
            REQUIRE(::chown(key.c_str(), kNobody, kNobody) == 0);
            REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
        }
        conf = dir.write("dkim.conf", config_text(dir, dns, key, selector) + extra);
        daemon = std::make_unique<DaemonProcess>(DaemonProcess::Options{
            MW_DKIM_BIN, {"-f", "-c", conf}, dir.file("dkim.sock"), false, dir.file("log")});
    }
    mw::daemon::ListenSpec where() const {
        return *mw::daemon::ListenSpec::parse("unix:" + dir.file("dkim.sock"), false);
    }
};

/// A TXT record split into 255-byte character-strings.
inline void add_key_txt(LoopbackDnsServer& server, const std::string& name, const std::string& rec,
                        uint32_t ttl = 300) {
    std::vector<std::string> strings;
    for (std::size_t i = 0; i < rec.size(); i += 255) strings.push_back(rec.substr(i, 255));
    server.add_txt(name, strings, ttl);
}

struct Dns {
    LoopbackDnsServer server;
    explicit Dns(const std::function<void(LoopbackDnsServer&)>& extra = {}) {
        server.add_zone("example.com.");
        add_key_txt(server, "mail._domainkey.example.com.", key_record());
        if (extra) extra(server);
        server.start();
    }
};

inline MailMessage message(const std::string& text = kMessage) {
    auto m = MailMessage::parse(text);
    REQUIRE(m);
    return *m;
}

inline Transaction outbound(const std::string& daemon_name = "ORIGINATING") {
    Transaction t;
    t.client = {"client.example.org", ConnectInfo::Family::Inet4, "192.0.2.9", 40000};   // not internal
    t.from = "alice@example.com";
    t.rcpts = {"bob@example.net"};
    t.macros.set("daemon_name", daemon_name);
    return t;
}

inline Transaction inbound() {
    Transaction t;
    t.client = {"mail.example.com", ConnectInfo::Family::Inet4, "192.0.2.7", 40000};
    t.helo = "mail.example.com";
    t.from = "alice@example.com";
    t.rcpts = {"bob@example.net"};
    t.macros.set("daemon_name", "smtpd");
    return t;
}

/// Thread-safe.
inline std::vector<const Response*> edits(const TransactionResult& r, Response::Kind k, const std::string& name) {
    std::vector<const Response*> out;
    for (const auto& e : r.edits)
        if (e.kind == k && e.name == name) out.push_back(&e);
    return out;
}

/// Our verifier over a message in file form, with `record` as the only DNS answer. Thread-safe.
inline std::vector<mw::dkim::VerifyResult> verify(const MailMessage& m, const std::string& record) {
    std::vector<mw::dkim::MessageHeader> headers;
    for (std::size_t i = 0; i < m.headers().size(); ++i)
        headers.push_back(mw::dkim::header_from_milter(m.headers()[i].name, m.milter_value(i, false), false));
    mw::dkim::MessageVerifier v(std::move(headers));
    v.feed_body(m.body());
    return v.finish([&](std::string_view, std::string_view) {
        return mw::dkim::KeyAnswer{mw::dkim::KeyAnswer::Kind::Found, {record}};
    }, static_cast<std::uint64_t>(::time(nullptr)));
}

inline std::string crlf(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

/// Signs `m` through the daemon (one DKIM-Signature expected) and returns it with the edits applied.
inline MailMessage signed_message(const Dkimd& d, const MailMessage& m = message()) {
    auto r = run_transaction(d.where(), outbound(), m);
    REQUIRE(r);
    INFO(d.daemon->log());
    CHECK(r->verdict == Verdict::Continue);
    const auto sigs = edits(*r, Response::Kind::InsertHeader, "DKIM-Signature");
    REQUIRE(sigs.size() == 1);
    CHECK(sigs[0]->index == 0);
    MailMessage applied = m;
    applied.apply(r->edits, false);
    return applied;
}

}  // namespace mw::test::dkimd
