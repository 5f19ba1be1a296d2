// UnboundResolver: the real mw::dns::Resolver, over libunbound's asynchronous API (threads, no
// forked process). One daemon has one, shared by all its threads.
//
// It forwards to the `dns_servers` ("ADDR[:PORT]", see server_address.hpp), or to the servers
// in /etc/resolv.conf when none are given. It does no DNSSEC validation, serves no local zones
// of its own (the configured server answers test., invalid., 127.in-addr.arpa. ... too) and may
// query servers on 127.0.0.0/8. Truncated UDP answers are retried over TCP by libunbound.
//
// One thread of its own runs every callback: the user's `done` is called there exactly once,
// with the answer or with Rcode::Timeout at min(deadline, submit time + Options::timeout)
// (libunbound has no per-query timeout: a silent server takes it 17 s to give up). At most
// limits::kMaxDnsInFlight queries are outstanding; beyond that, and for names longer than
// kMaxDnsName, the answer is Rcode::Error at once (still on the resolver thread).
// Destruction answers every query still in flight with Rcode::Error ("resolver shut down") on
// the resolver thread before it ends; nothing is called after the destructor returns.
// Thread-safe: submit() may be called from any thread, never from a callback during destruction.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/base/result.hpp"
#include "common/dns/resolver.hpp"

namespace mw::dns {

class UnboundResolver : public Resolver {
public:
    struct Options {
        std::vector<std::string> servers;  // "ADDR[:PORT]"; empty: /etc/resolv.conf
        std::chrono::milliseconds timeout{std::chrono::seconds(5)};  // the dns_timeout key
    };

    /// Validates the options, sets up libunbound and starts the resolver thread.
    static Result<std::unique_ptr<UnboundResolver>> create(Options options);

    ~UnboundResolver() override;
    UnboundResolver(const UnboundResolver&) = delete;
    UnboundResolver& operator=(const UnboundResolver&) = delete;

    QueryId submit(const Question& q, Deadline deadline, Callback done) override;

    struct Impl;  // defined in the .cpp only (keeps <unbound.h> out of every other file)
    /// Use create(); public only for std::make_unique.
    explicit UnboundResolver(std::unique_ptr<Impl> impl);

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace mw::dns
