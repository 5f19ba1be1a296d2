// LoopbackDnsServer: a real unbound(8) (/usr/sbin/unbound) run as a child process for tests,
// authoritative-only on 127.0.0.1:PORT for the zones and records a test gives. Every other name is
// REFUSED (local-zone "." refuse): it never recurses, never forwards, never touches the network.
// The port is a free one found by binding port 0 (UDP and TCP), retried on a clash. Config, log
// and pid file live in a private temp dir, removed in the destructor, which also stops the child
// (SIGTERM, SIGKILL after a bound, waitpid). Works as root and as non-root (no chroot, no user
// switch). Not thread-safe; start() once, after the zones and records are added.
//
//     LoopbackDnsServer dns;
//     dns.add_zone("test.");                          // static, with an SOA (negative TTL 60)
//     dns.add_record("host.test. 300 IN A 192.0.2.1");
//     dns.start();                                    // throws std::runtime_error with unbound's
//     log
//     ... dns_servers = dns.address() ...             // "127.0.0.1:PORT"
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mw::test {

class LoopbackDnsServer {
public:
    LoopbackDnsServer();
    ~LoopbackDnsServer();
    LoopbackDnsServer(const LoopbackDnsServer&) = delete;
    LoopbackDnsServer& operator=(const LoopbackDnsServer&) = delete;

    /// Serves `zone` with unbound's local-zone `type` (static, redirect, ...). With `soa`, adds
    /// "ZONE 300 IN SOA ns.ZONE hostmaster.ZONE 1 3600 600 86400 60" so negative answers carry a
    /// TTL.
    void add_zone(const std::string& zone, const std::string& type = "static", bool soa = true);
    /// One record in zone-file form, e.g. "host.test. 300 IN A 192.0.2.1". No single quotes.
    void add_record(const std::string& rr);
    /// A TXT record of several character-strings (each at most 255 bytes, no '"' or '\').
    void add_txt(const std::string& name, const std::vector<std::string>& strings,
                 uint32_t ttl = 300);

    /// Writes the config, starts unbound and waits (bounded) until it answers. Throws on failure.
    void start();
    /// Stops the child now (the destructor does it too).
    void stop();

    uint16_t port() const { return port_; }
    /// "127.0.0.1:PORT", the form dns_servers takes.
    std::string address() const;
    /// unbound's stderr so far, for failure messages.
    std::string log() const;

private:
    bool try_start(uint16_t port);
    void write_config(uint16_t port) const;
    bool wait_ready();

    std::filesystem::path dir_;
    std::vector<std::string> lines_;  // local-zone / local-data lines
    pid_t pid_ = -1;
    uint16_t port_ = 0;
};

}  // namespace mw::test
