// The only file that includes <unbound.h> (STYLE.md §3.2 R2).
#include "common/dns/unbound_resolver.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unbound.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "common/base/c_handle.hpp"
#include "common/base/limits.hpp"
#include "common/base/unique_fd.hpp"
#include "common/dns/rdata_decoder.hpp"
#include "common/dns/server_address.hpp"

namespace mw::dns {

namespace {

using UbContext = CHandle<ub_ctx, ub_ctx_delete>;
using UbResult = CHandle<ub_result, ub_resolve_free>;

constexpr int kClassIn = 1;

// libunbound answers these itself by default (localzone.c defaults, util/as112.c). Each is made a
// "transparent" zone without data, which replaces the default and lets the configured server
// answer: tests use test., DNSBLs use 127.x names. ("nodefault" would be the obvious type, but
// ub_ctx_set_option() stores it as "NAME nodefault", which then matches no zone: unbound 1.17.)
constexpr const char* kDefaultLocalZones[] = {
    "localhost.",
    "127.in-addr.arpa.",
    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa.",
    "home.arpa.",
    "resolver.arpa.",
    "service.arpa.",
    "onion.",
    "test.",
    "invalid.",
    "10.in-addr.arpa.",
    "16.172.in-addr.arpa.",
    "17.172.in-addr.arpa.",
    "18.172.in-addr.arpa.",
    "19.172.in-addr.arpa.",
    "20.172.in-addr.arpa.",
    "21.172.in-addr.arpa.",
    "22.172.in-addr.arpa.",
    "23.172.in-addr.arpa.",
    "24.172.in-addr.arpa.",
    "25.172.in-addr.arpa.",
    "26.172.in-addr.arpa.",
    "27.172.in-addr.arpa.",
    "28.172.in-addr.arpa.",
    "29.172.in-addr.arpa.",
    "30.172.in-addr.arpa.",
    "31.172.in-addr.arpa.",
    "168.192.in-addr.arpa.",
    "0.in-addr.arpa.",
    "254.169.in-addr.arpa.",
    "2.0.192.in-addr.arpa.",
    "100.51.198.in-addr.arpa.",
    "113.0.203.in-addr.arpa.",
    "255.255.255.255.in-addr.arpa.",
    "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa.",
    "d.f.ip6.arpa.",
    "8.e.f.ip6.arpa.",
    "9.e.f.ip6.arpa.",
    "a.e.f.ip6.arpa.",
    "b.e.f.ip6.arpa.",
    "8.b.d.0.1.0.0.2.ip6.arpa.",
};

// Options that would make libunbound answer or refuse on its own, or break on test data.
constexpr std::pair<const char*, const char*> kOptions[] = {
    {"do-not-query-localhost:", "no"},  // dns_servers may be 127.0.0.1 (tests, local caches)
    {"module-config:", "iterator"},     // no DNSSEC validation: there is no trust anchor
    {"qname-minimisation:", "no"},      // ask the forwarder the full name, once
    {"unblock-lan-zones:", "yes"},     {"insecure-lan-zones:", "yes"},
    {"harden-dnssec-stripped:", "no"}, {"aggressive-nsec:", "no"},
};

Result<void> check(int err, const std::string& what) {
    if (err == 0) return {};
    return fail(ErrorCode::Internal, "libunbound: " + what + ": " + ub_strerror(err));
}

Result<void> configure_options(ub_ctx* ctx) {
    for (auto [opt, val] : kOptions)
        if (auto ok = check(ub_ctx_set_option(ctx, opt, val), opt); !ok) return ok;
    // Room for every query we let in flight (kMaxDnsInFlight), so none is dropped inside.
    auto room = std::to_string(limits::kMaxDnsInFlight);
    auto room_ok = check(ub_ctx_set_option(ctx, "num-queries-per-thread:", room.c_str()), "room");
    if (!room_ok) return room_ok;
    for (const char* zone : kDefaultLocalZones) {
        auto value = std::string(zone) + " transparent";
        if (auto ok = check(ub_ctx_set_option(ctx, "local-zone:", value.c_str()), value); !ok)
            return ok;
    }
    return {};
}

Result<void> configure_servers(ub_ctx* ctx, const std::vector<std::string>& servers) {
    if (servers.empty()) return check(ub_ctx_resolvconf(ctx, nullptr), "reading /etc/resolv.conf");
    for (const auto& text : servers) {
        auto server = ServerAddress::parse(text);
        if (!server) return fail(server.error());
        auto fwd = server->address.to_string() + "@" + std::to_string(server->port);
        if (auto ok = check(ub_ctx_set_fwd(ctx, fwd.c_str()), "forwarder " + text); !ok) return ok;
    }
    return {};
}

Result<UbContext> make_context(const UnboundResolver::Options& options) {
    if (options.timeout <= std::chrono::milliseconds::zero())
        return fail(ErrorCode::Invalid, "dns_timeout must be positive");
    UbContext ctx(ub_ctx_create());
    if (!ctx) return fail(ErrorCode::Internal, "libunbound: cannot create a context");
    if (auto ok = check(ub_ctx_async(ctx.get(), 1), "async with threads"); !ok)
        return fail(ok.error());
    if (auto ok = configure_options(ctx.get()); !ok) return fail(ok.error());
    if (auto ok = configure_servers(ctx.get(), options.servers); !ok) return fail(ok.error());
    return ctx;
}

Answer failure(Rcode rcode, std::string why) {
    Answer a;
    a.rcode = rcode;
    a.why = std::move(why);
    return a;
}

Rcode map_rcode(int rcode) {
    switch (rcode) {
        case 0:
            return Rcode::NoError;
        case 2:
            return Rcode::ServFail;
        case 3:
            return Rcode::NxDomain;
        case 5:
            return Rcode::Refused;
        default:
            return Rcode::Error;
    }
}

Answer decode_result(const ub_result& r, RrType type) {
    if (r.bogus)
        return failure(Rcode::ServFail,
                       std::string("bogus answer: ") + (r.why_bogus ? r.why_bogus : ""));
    Answer a;
    a.rcode = map_rcode(r.rcode);
    a.ttl = r.ttl > 0 ? static_cast<uint32_t>(r.ttl) : 0;  // negative answers too, for caching
    if (a.rcode != Rcode::NoError) {
        a.why = std::string("server answered ") + to_string(a.rcode) + " (rcode " +
                std::to_string(r.rcode) + ")";
        return a;
    }
    if (!r.havedata || !r.data || !r.len) return a;  // NODATA
    // libunbound's arrays end with a null pointer; the message they came from is at most 64 KiB.
    std::vector<std::string_view> rdatas;
    for (int i = 0; r.data[i]; ++i)
        if (r.len[i] >= 0) rdatas.emplace_back(r.data[i], static_cast<std::size_t>(r.len[i]));
    add_records(type, rdatas, a);
    return a;
}

/// Calls a user callback; an exception must not cross libunbound's C stack frames.
void deliver(const Resolver::Callback& done, Answer a) {
    try {
        done(std::move(a));
    } catch (...) {
        // The contract says callbacks do not throw; there is nobody to tell.
    }
}

void on_unbound_result(void* token, int err, ub_result* result);

}  // namespace

struct UnboundResolver::Impl {
    struct Request {
        QueryId id = 0;
        Question question;
        Clock::time_point due;
        Callback done;
        std::optional<Answer> immediate;  // answered without asking (over a bound)
    };
    struct Token {  // libunbound's `mydata`: which query an answer belongs to
        Impl* impl;
        QueryId id;
    };
    struct Pending {
        Callback done;
        RrType type = RrType::A;
        int ub_id = 0;
        std::optional<std::multimap<Clock::time_point, QueryId>::iterator> timer;
        std::unique_ptr<Token> token;
    };

    Impl(UbContext c, UniqueFd w, std::chrono::milliseconds t)
        : ctx(std::move(c)), wake(std::move(w)), timeout(t) {}
    ~Impl() { stop(); }

    QueryId submit(const Question& q, Deadline deadline, Callback done);
    void stop();
    void run();
    bool take_incoming();
    void start(Request r);
    void on_result(QueryId id, int err, UbResult result);
    void expire_due();
    void shut_down();
    int poll_timeout_ms() const;
    void finish(Callback done, Answer a);
    void notify();

    UbContext ctx;
    UniqueFd wake;  // eventfd: submit() and stop() wake the resolver thread
    std::chrono::milliseconds timeout;

    std::mutex mu;  // guards incoming and stopping
    std::vector<Request> incoming;
    bool stopping = false;
    std::atomic<std::size_t> outstanding{0};
    std::atomic<QueryId> next_id{1};

    // Touched by the resolver thread only.
    std::unordered_map<QueryId, Pending> pending;
    std::multimap<Clock::time_point, QueryId> timers;
    std::thread thread;
};

namespace {

// libunbound's callback, run inside ub_process() on the resolver thread.
void on_unbound_result(void* token, int err, ub_result* result) {
    UbResult owned(result);
    const auto* t = static_cast<UnboundResolver::Impl::Token*>(token);
    t->impl->on_result(t->id, err, std::move(owned));
}

}  // namespace

Resolver::QueryId UnboundResolver::Impl::submit(const Question& q, Deadline deadline,
                                                Callback done) {
    Request r{next_id++, q, deadline.min(Deadline::after(timeout)).at(), std::move(done), {}};
    std::string_view name = q.name;
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (outstanding++ >= limits::kMaxDnsInFlight)
        r.immediate = failure(Rcode::Error, "too many DNS queries in flight");
    else if (name.empty() || name.size() > limits::kMaxDnsName)
        r.immediate = failure(Rcode::Error, "bad query name length");
    QueryId id = r.id;
    std::unique_lock lock(mu);
    if (stopping) {
        lock.unlock();
        finish(std::move(r.done), failure(Rcode::Error, "resolver shut down"));
        return id;
    }
    incoming.push_back(std::move(r));
    lock.unlock();
    notify();
    return id;
}

void UnboundResolver::Impl::notify() {
    uint64_t one = 1;
    // A full eventfd counter still wakes the poll; nothing to do on failure.
    [[maybe_unused]] auto n = ::write(wake.get(), &one, sizeof one);
}

void UnboundResolver::Impl::finish(Callback done, Answer a) {
    --outstanding;
    deliver(done, std::move(a));
}

void UnboundResolver::Impl::stop() {
    if (!thread.joinable()) return;
    {
        std::lock_guard lock(mu);
        stopping = true;
    }
    notify();
    thread.join();
}

void UnboundResolver::Impl::run() {
    while (take_incoming()) {
        expire_due();
        pollfd fds[2] = {{ub_fd(ctx.get()), POLLIN, 0}, {wake.get(), POLLIN, 0}};
        if (::poll(fds, 2, poll_timeout_ms()) < 0) continue;  // EINTR: go round again
        if (fds[1].revents & POLLIN) {
            uint64_t count = 0;
            [[maybe_unused]] auto n = ::read(wake.get(), &count, sizeof count);
        }
        if (fds[0].revents & POLLIN) ub_process(ctx.get());
    }
    shut_down();
}

bool UnboundResolver::Impl::take_incoming() {
    std::vector<Request> batch;
    {
        std::lock_guard lock(mu);
        if (stopping) return false;
        batch.swap(incoming);
    }
    for (auto& r : batch) start(std::move(r));
    return true;
}

void UnboundResolver::Impl::start(Request r) {
    if (r.immediate) return finish(std::move(r.done), std::move(*r.immediate));
    if (Clock::now() >= r.due)
        return finish(std::move(r.done),
                      failure(Rcode::Timeout, "deadline passed before the query was sent"));
    QueryId id = r.id;
    auto& p = pending[id];
    p.done = std::move(r.done);
    p.type = r.question.type;
    p.token = std::make_unique<Token>(Token{this, id});
    int ub_id = 0;
    int err =
        ub_resolve_async(ctx.get(), r.question.name.c_str(), static_cast<int>(r.question.type),
                         kClassIn, p.token.get(), on_unbound_result, &ub_id);
    auto it = pending.find(id);
    if (it == pending.end()) return;  // already answered
    if (err != 0) {
        Callback done = std::move(it->second.done);
        pending.erase(it);
        return finish(std::move(done),
                      failure(Rcode::Error, std::string("libunbound: ") + ub_strerror(err)));
    }
    it->second.ub_id = ub_id;
    it->second.timer = timers.emplace(r.due, id);
}

void UnboundResolver::Impl::on_result(QueryId id, int err, UbResult result) {
    auto it = pending.find(id);
    if (it == pending.end()) return;  // cannot happen: a cancelled query gets no callback
    Pending p = std::move(it->second);
    pending.erase(it);
    if (p.timer) timers.erase(*p.timer);
    if (err != 0)
        return finish(std::move(p.done),
                      failure(Rcode::Error, std::string("libunbound: ") + ub_strerror(err)));
    if (!result) return finish(std::move(p.done), failure(Rcode::Error, "libunbound: no result"));
    finish(std::move(p.done), decode_result(*result, p.type));
}

void UnboundResolver::Impl::expire_due() {
    auto now = Clock::now();
    while (!timers.empty() && timers.begin()->first <= now) {
        QueryId id = timers.begin()->second;
        timers.erase(timers.begin());
        auto it = pending.find(id);
        if (it == pending.end()) continue;
        ub_cancel(ctx.get(), it->second.ub_id);  // no callback after this
        Callback done = std::move(it->second.done);
        pending.erase(it);
        finish(std::move(done), failure(Rcode::Timeout, "no answer by the deadline"));
    }
}

int UnboundResolver::Impl::poll_timeout_ms() const {
    if (timers.empty()) return -1;
    auto left = timers.begin()->first - Clock::now();
    if (left <= Clock::duration::zero()) return 0;
    // Round up, so the timer has passed when poll returns; dns_timeout bounds it far below INT_MAX.
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return static_cast<int>(std::min<decltype(ms)>(ms, 24 * 3600 * 1000));
}

void UnboundResolver::Impl::shut_down() {
    std::vector<Request> left;
    {
        std::lock_guard lock(mu);
        left.swap(incoming);
    }
    for (auto& r : left) finish(std::move(r.done), failure(Rcode::Error, "resolver shut down"));
    for (auto& [id, p] : pending) {
        ub_cancel(ctx.get(), p.ub_id);
        finish(std::move(p.done), failure(Rcode::Error, "resolver shut down"));
    }
    pending.clear();
    timers.clear();
}

Result<std::unique_ptr<UnboundResolver>> UnboundResolver::create(Options options) {
    auto ctx = make_context(options);
    if (!ctx) return fail(ctx.error());
    UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!wake.valid()) return fail(ErrorCode::Io, std::string("eventfd: ") + std::strerror(errno));
    auto impl = std::make_unique<Impl>(std::move(*ctx), std::move(wake), options.timeout);
    impl->thread = std::thread([raw = impl.get()] { raw->run(); });
    return std::make_unique<UnboundResolver>(std::move(impl));
}

UnboundResolver::UnboundResolver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

UnboundResolver::~UnboundResolver() = default;

Resolver::QueryId UnboundResolver::submit(const Question& q, Deadline deadline, Callback done) {
    return impl_->submit(q, deadline, std::move(done));
}

}  // namespace mw::dns
