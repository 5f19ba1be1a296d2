// Shared fixture of the mailwarden-dnsbl daemon tests: the real binary (Dnsbld) on a unix socket in
// a temp dir (log_target = stderr, read back through DaemonProcess::log()), and a loopback unbound
// (Lists) serving the test lists:
//   zen.test       192.0.2.99 -> 127.0.0.4 + TXT reason; 192.0.2.98 -> 127.0.0.2
//   wl.test        192.0.2.98 -> 127.0.10.2 (a DNSWL-style allow list, negative weight)
//   refused.test   192.0.2.97 -> 127.255.255.254 (Spamhaus "query refused": an error, never a listing)
//   slow.test      unbound's "deny" zone: every query is dropped, so lookups time out
//   sekrit42.dq.test  the DQS zone "$dqs_key.dq.test" with key sekrit42: 192.0.2.99 listed, its
//                  TXT naming the query (and so the key)
//   dbl.test       RHSBL: spam.example.dbl.test -> 127.0.1.2
// Helpers build milter transactions and count decision lines. Nothing here touches the machine's
// resolver. Not thread-safe except where a helper says so.
#pragma once

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/milter/milter_transaction.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/loopback_dns_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace mw::test::dnsbld {

using namespace mw::milter;

inline constexpr const char* kListed = "192.0.2.99";
inline constexpr const char* kAllowed = "192.0.2.98";   // in zen.test (weight 3) and wl.test (-2)
inline constexpr const char* kRefused = "192.0.2.97";
inline constexpr const char* kClean = "192.0.2.1";
inline constexpr const char* kZenReason = "listed, see https://zen.test/lookup?ip=192.0.2.99";
inline constexpr const char* kDqsKey = "sekrit42";

/// The lists of most tests: zen (blocks), wl (allows), refused (errors). Threshold 2, so that a
/// client in zen (3) and wl (-2) scores 1 and passes.
inline const std::string kSites =
    "dnsbl_sites = zen.test=127.0.0.[2..11]*3, wl.test=127.0.[0..255].[1..3]*-2, refused.test\n"
    "dnsbl_threshold = 2\n";

struct Lists {
    LoopbackDnsServer server;
    Lists() {
        server.add_zone("zen.test.");
        server.add_record("99.2.0.192.zen.test. 300 IN A 127.0.0.4");
        server.add_txt("99.2.0.192.zen.test.", {kZenReason});
        server.add_record("98.2.0.192.zen.test. 300 IN A 127.0.0.2");
        server.add_zone("wl.test.");
        server.add_record("98.2.0.192.wl.test. 300 IN A 127.0.10.2");
        server.add_zone("refused.test.");
        server.add_record("97.2.0.192.refused.test. 300 IN A 127.255.255.254");
        server.add_zone("slow.test.", "deny", false);
        server.add_zone("dq.test.");
        server.add_record("99.2.0.192.sekrit42.dq.test. 300 IN A 127.0.0.2");
        server.add_txt("99.2.0.192.sekrit42.dq.test.", {"see https://dq.test/99.2.0.192.sekrit42.dq.test"});
        server.add_zone("dbl.test.");
        server.add_record("spam.example.dbl.test. 300 IN A 127.0.1.2");
        server.add_txt("spam.example.dbl.test.", {"spam domain"});
        server.start();
    }
};

inline std::string config_text(const TempDir& dir, const std::string& dns) {
    const bool root = ::geteuid() == 0;
    return "listen = unix:" + dir.file("dnsbl.sock") + "\nlog_target = stderr\nlog_level = info\n" +
           (root ? "user = nobody\nsocket_owner = nobody:nogroup\n" : "") + "dns_servers = " + dns +
           "\ndns_timeout = 1s\ndnsbl_timeout = 2s\ntable_check_interval = 0s\n";
}

using Files = std::vector<std::pair<std::string, std::string>>;

/// "{dir}" in config text stands for the daemon's temp dir (where its table files are).
inline std::string with_dir(std::string text, const TempDir& dir) {
    for (auto at = text.find("{dir}"); at != std::string::npos; at = text.find("{dir}"))
        text.replace(at, 5, dir.path());
    return text;
}

struct Dnsbld {
    TempDir dir;
    std::string dns;
    std::string conf;
    std::unique_ptr<DaemonProcess> daemon;

    /// `extra`: config lines after the common ones (each key at most once in all); `files`
    /// (name, text) are written to the temp dir first, mode 0644 (readable after the drop).
    Dnsbld(const std::string& dns_server, const std::string& extra, const Files& files = {}) : dns(dns_server) {
        if (::geteuid() == 0) REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
        for (const auto& [name, text] : files) table(name, text);
        conf = dir.write("dnsbl.conf", config_text(dir, dns) + with_dir(extra, dir));
        daemon = std::make_unique<DaemonProcess>(DaemonProcess::Options{
            MW_DNSBL_BIN, {"-f", "-c", conf}, dir.file("dnsbl.sock"), false, dir.file("log")});
    }
    /// Rewrites the config with other `extra` lines (for SIGUSR1).
    void rewrite(const std::string& extra) const {
        dir.write("dnsbl.conf", config_text(dir, dns) + with_dir(extra, dir));
    }
    /// Writes a table file in the temp dir, mode 0644; returns its path.
    std::string table(const std::string& name, const std::string& text) const {
        const std::string path = dir.write(name, text);
        REQUIRE(::chmod(path.c_str(), 0644) == 0);
        return path;
    }
    daemon::ListenSpec where() const { return *daemon::ListenSpec::parse("unix:" + dir.file("dnsbl.sock"), false); }
};

/// One SMTP transaction from `ip` (no verified name, as Postfix says "unknown"). Thread-safe.
inline Transaction from_client(const std::string& ip, const std::string& sender = "alice@example.org",
                               std::vector<std::string> rcpts = {"bob@example.net"}) {
    Transaction t;
    t.client = {"unknown", ConnectInfo::Family::Inet4, ip, 40000};
    t.helo = "mail.example.org";
    t.from = sender;
    t.rcpts = std::move(rcpts);
    return t;
}

inline MailMessage message() {
    auto m = MailMessage::parse("From: Alice <alice@example.org>\nTo: bob@example.net\nSubject: hi\n\nHello.\n");
    REQUIRE(m);
    return *m;
}

/// Runs `t` against the daemon (REQUIREs a protocol-level success).
inline TransactionResult run(const Dnsbld& d, const Transaction& t) {
    auto r = run_transaction(d.where(), t, message());
    INFO(d.daemon->log());
    REQUIRE(r);
    return *r;
}

/// Log lines containing every one of `parts`. Thread-safe.
inline std::vector<std::string> lines_with(const std::string& log, const std::vector<std::string>& parts) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < log.size()) {
        auto end = log.find('\n', start);
        if (end == std::string::npos) end = log.size();
        const std::string line = log.substr(start, end - start);
        bool all = true;
        for (const auto& p : parts) all = all && line.find(p) != std::string::npos;
        if (all) out.push_back(line);
        start = end + 1;
    }
    return out;
}

/// Decision lines (" dnsbl=") naming client `ip`.
inline std::vector<std::string> decisions(const Dnsbld& d, const std::string& ip) {
    return lines_with(d.daemon->log(), {" dnsbl=", "[" + ip + "]"});
}

}  // namespace mw::test::dnsbld
