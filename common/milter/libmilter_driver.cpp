// THE ONLY translation unit that includes libmilter's headers (tests/lint/check_layering.sh).
#include "common/milter/libmilter_driver.hpp"

#include <arpa/inet.h>
#include <libmilter/mfapi.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "common/daemon/listener.hpp"
#include "common/log/logger.hpp"

namespace mw::milter {

// Our protocol constants must be libmilter's.
static_assert(wire::kNoReplyHeader == SMFIP_NR_HDR && wire::kHeaderLeadingSpace == SMFIP_HDR_LEADSPC);
static_assert(wire::kSkipFlag == SMFIP_SKIP && wire::kNoReplyBody == SMFIP_NR_BODY);
static_assert(wire::kActSetSymList == SMFIF_SETSYMLIST && wire::kActQuarantine == SMFIF_QUARANTINE);
static_assert(static_cast<int>(wire::MacroStage::Eoh) == SMFIM_EOH);

namespace {

// Per-connection state, owned through smfi_setpriv (libmilter may run each callback of one
// connection on a different worker thread, never two at once).
struct Connection {
    std::unique_ptr<Session> session;
    uint32_t protocol = 0;               // negotiated SMFIP_* bits
    Macros connection_macros;
    Macros message_macros;
    Macros merged;
    std::optional<Reply> pending;        // verdict from a no-reply step
    std::optional<std::string> quarantine;
    bool skip_body = false;
    bool in_message = false;
    bool failed = false;                 // a callback threw: answer the failure action from now on
};

struct DriverState {
    MilterSpec spec;
    std::shared_ptr<SessionFactory> factory;
    std::string name;                    // kept alive for smfiDesc
    std::atomic<bool> draining{false};
    mutable std::mutex mu;
    std::condition_variable cv;
    std::size_t connections = 0;
    std::size_t messages = 0;
};

std::mutex g_instance_mu;
std::unique_ptr<DriverState> g_state;   // one milter per process: libmilter is global state

DriverState& state() { return *g_state; }

// ---- connection bookkeeping -------------------------------------------------------------

Connection& connection(SMFICTX* ctx) {
    if (auto* c = static_cast<Connection*>(smfi_getpriv(ctx))) return *c;
    auto c = std::make_unique<Connection>();
    {
        std::lock_guard lock(state().mu);
        ++state().connections;
    }
    Connection& ref = *c;
    smfi_setpriv(ctx, c.release());   // adopted again in on_close
    ref.session = state().factory->create();
    return ref;
}

void begin_message(Connection& c) {
    if (c.in_message) return;
    c.in_message = true;
    std::lock_guard lock(state().mu);
    ++state().messages;
}

void end_message(Connection& c) {
    c.message_macros.clear();
    c.pending.reset();
    c.quarantine.reset();
    c.skip_body = false;
    if (!c.in_message) return;
    c.in_message = false;
    std::lock_guard lock(state().mu);
    --state().messages;
    state().cv.notify_all();
}

bool is_message_step(Step s) { return s != Step::Connect && s != Step::Helo && s != Step::Unknown; }

// ---- macros -----------------------------------------------------------------------------

void fetch_macros(SMFICTX* ctx, Connection& c, wire::MacroStage stage) {
    const bool per_connection = stage == wire::MacroStage::Connect || stage == wire::MacroStage::Helo;
    Macros& into = per_connection ? c.connection_macros : c.message_macros;
    for (const auto& name : state().spec.macros_at(stage)) {
        std::string wire_name = Macros::wire_name(name);
        if (const char* v = smfi_getsymval(ctx, wire_name.data())) into.set(name, v);
    }
    c.merged = c.connection_macros;
    c.merged.merge(c.message_macros);
}

// ---- replies ----------------------------------------------------------------------------

// smfi_setreply refuses CR/LF and treats '%' as a format character; libmilter caps lines at 980.
std::string reply_text(std::string_view text) {
    std::string out;
    for (char ch : text.substr(0, 900)) {
        if (ch == '\r' || ch == '\n') ch = ' ';
        if (ch == '%') out.push_back('%');
        out.push_back(ch);
    }
    return out;
}

bool code_ok(const std::string& code, char first) {
    return code.size() == 3 && code[0] == first && std::isdigit(static_cast<unsigned char>(code[1])) &&
           std::isdigit(static_cast<unsigned char>(code[2]));
}

sfsistat with_reply(SMFICTX* ctx, const Reply& r, sfsistat status, const char* code, const char* dsn) {
    const char first = code[0];
    std::string c = code_ok(r.code, first) ? r.code : code;
    std::string d = !r.dsn.empty() && r.dsn[0] == first && r.dsn.size() < 16 ? r.dsn : dsn;
    std::string t = reply_text(r.text);
    if (smfi_setreply(ctx, c.data(), d.data(), t.empty() ? nullptr : t.data()) != MI_SUCCESS)
        log::warning("milter {}: smfi_setreply refused \"{} {} {}\"", state().spec.name, c, d, t);
    return status;
}

sfsistat to_status(SMFICTX* ctx, const Reply& r) {
    switch (r.kind) {
        case Reply::Kind::Accept: return SMFIS_ACCEPT;
        case Reply::Kind::Reject: return with_reply(ctx, r, SMFIS_REJECT, "550", "5.7.1");
        case Reply::Kind::Tempfail: return with_reply(ctx, r, SMFIS_TEMPFAIL, "451", "4.7.1");
        case Reply::Kind::Discard: return SMFIS_DISCARD;
        default: return SMFIS_CONTINUE;
    }
}

// Turns a Session's Reply into libmilter's answer for `step`.
sfsistat deliver(SMFICTX* ctx, Connection& c, Step step, Reply r) {
    if (r.kind == Reply::Kind::Quarantine) {
        if (!c.quarantine) c.quarantine = r.text;
        r = Reply::cont();
    }
    const bool no_reply = (c.protocol & no_reply_bit(step)) != 0;
    if (r.kind == Reply::Kind::Skip) {
        r = Reply::cont();
        if (step == Step::Body) {
            c.skip_body = true;
            if (!no_reply && (c.protocol & wire::kSkipFlag) != 0) return SMFIS_SKIP;
        }
    }
    if (no_reply) {
        // The MTA reads no reply here: hold the verdict for the next step that has one.
        if (r.decides() && !c.pending) c.pending = r;
        return SMFIS_NOREPLY;
    }
    if (!r.decides() && c.pending) {
        r = *c.pending;
        c.pending.reset();
    }
    const bool rcpt_only = step == Step::Rcpt &&
                           (r.kind == Reply::Kind::Reject || r.kind == Reply::Kind::Tempfail);
    if (is_message_step(step) && r.decides() && !rcpt_only) end_message(c);
    return to_status(ctx, r);
}

Reply failure_reply() {
    if (state().spec.on_failure == FailureAction::Accept) return Reply::accept();
    return Reply::tempfail("mail filter failure, try again later", "451", "4.3.0");
}

template <typename F>
sfsistat guarded(SMFICTX* ctx, Step step, const char* what, F&& f) {
    Connection* c = nullptr;
    try {
        c = &connection(ctx);
        if (c->failed || !c->session) return deliver(ctx, *c, step, failure_reply());
        return deliver(ctx, *c, step, f(*c));
    } catch (const std::exception& e) {
        log::error("milter {}: {} failed: {}", state().spec.name, what, e.what());
    } catch (...) {
        log::error("milter {}: {} failed: unknown exception", state().spec.name, what);
    }
    if (!c) return state().spec.on_failure == FailureAction::Accept ? SMFIS_ACCEPT : SMFIS_TEMPFAIL;
    c->failed = true;
    try {
        return deliver(ctx, *c, step, failure_reply());
    } catch (...) {
        return SMFIS_TEMPFAIL;
    }
}

std::vector<std::string> args_of(char** argv) {
    std::vector<std::string> out;
    for (; argv && *argv; ++argv) out.emplace_back(*argv);
    return out;
}

ConnectInfo connect_info(const char* host, const sockaddr* sa) {
    ConnectInfo ci;
    ci.host_name = host ? host : "";
    if (!sa) return ci;
    char buf[INET6_ADDRSTRLEN] = {};
    if (sa->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
        ci.family = ConnectInfo::Family::Inet4;
        ci.address = inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf) ? buf : "";
        ci.port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        ci.family = ConnectInfo::Family::Inet6;
        ci.address = inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf) ? buf : "";
        ci.port = ntohs(in6->sin6_port);
    } else if (sa->sa_family == AF_UNIX) {
        ci.family = ConnectInfo::Family::Unix;
        ci.address = reinterpret_cast<const sockaddr_un*>(sa)->sun_path;
    }
    return ci;
}

// ---- end of message ---------------------------------------------------------------------

bool apply_header_edit(SMFICTX* ctx, const HeaderEdit& h) {
    std::string name = h.name;
    std::string value = h.value;
    switch (h.op) {
        case HeaderEdit::Op::Add: return smfi_addheader(ctx, name.data(), value.data()) == MI_SUCCESS;
        case HeaderEdit::Op::Insert:
            return smfi_insheader(ctx, h.index, name.data(), value.data()) == MI_SUCCESS;
        case HeaderEdit::Op::Change:
            return smfi_chgheader(ctx, name.data(), h.index, value.empty() ? nullptr : value.data()) == MI_SUCCESS;
    }
    return false;
}

void apply_edits(SMFICTX* ctx, const MessageEdits& e, const std::optional<std::string>& quarantine) {
    bool ok = true;
    for (const auto& h : e.headers) ok = apply_header_edit(ctx, h) && ok;
    if (e.new_from) {
        std::string from = e.new_from->address;
        std::string args = e.new_from->args;
        ok = smfi_chgfrom(ctx, from.data(), args.empty() ? nullptr : args.data()) == MI_SUCCESS && ok;
    }
    for (std::string r : e.add_rcpts) ok = smfi_addrcpt(ctx, r.data()) == MI_SUCCESS && ok;
    for (std::string r : e.del_rcpts) ok = smfi_delrcpt(ctx, r.data()) == MI_SUCCESS && ok;
    if (quarantine) {
        std::string reason = quarantine->empty() ? "quarantined" : *quarantine;
        ok = smfi_quarantine(ctx, reason.data()) == MI_SUCCESS && ok;
    }
    // A refused edit is an action the spec forgot to declare: a bug, so the failure action.
    if (!ok) throw std::runtime_error("libmilter refused a message edit (action not in the MilterSpec?)");
}

Reply end_of_message(SMFICTX* ctx, Connection& c) {
    begin_message(c);
    fetch_macros(ctx, c, wire::MacroStage::Eom);
    MessageEdits edits;
    Reply r = c.session->on_eom(edits, c.merged);
    if (r.kind == Reply::Kind::Quarantine) {
        if (!c.quarantine) c.quarantine = r.text;
        r = Reply::cont();
    }
    if (!r.decides() && c.pending) r = *c.pending;
    c.pending.reset();
    if (r.kind == Reply::Kind::Continue || r.kind == Reply::Kind::Accept) apply_edits(ctx, edits, c.quarantine);
    return r;
}

// ---- libmilter callbacks ----------------------------------------------------------------

sfsistat cb_negotiate(SMFICTX* ctx, unsigned long f0, unsigned long f1, unsigned long,
                      unsigned long, unsigned long* pf0, unsigned long* pf1, unsigned long* pf2,
                      unsigned long* pf3) {
    try {
        const auto& spec = state().spec;
        const Negotiated n = negotiate(spec, static_cast<uint32_t>(f0), static_cast<uint32_t>(f1));
        if (!n.ok) {
            log::error("milter {}: the MTA does not offer actions 0x{:x}", spec.name, n.missing_actions);
            return SMFIS_REJECT;
        }
        *pf0 = n.actions;
        *pf1 = n.protocol;
        *pf2 = 0;
        *pf3 = 0;
        if ((n.actions & wire::kActSetSymList) != 0) {
            for (int stage = 0; stage < wire::kMacroStages; ++stage) {
                std::string list;
                for (const auto& m : spec.macros[stage]) list += (list.empty() ? "" : " ") + Macros::wire_name(m);
                if (!list.empty()) smfi_setsymlist(ctx, stage, list.data());
            }
        }
        connection(ctx).protocol = n.protocol;
        return SMFIS_CONTINUE;
    } catch (const std::exception& e) {
        log::error("milter {}: negotiation failed: {}", state().spec.name, e.what());
        return SMFIS_REJECT;
    }
}

sfsistat cb_connect(SMFICTX* ctx, char* host, _SOCK_ADDR* sa) {
    return guarded(ctx, Step::Connect, "connect", [&](Connection& c) {
        fetch_macros(ctx, c, wire::MacroStage::Connect);
        return c.session->on_connect(connect_info(host, sa), c.merged);
    });
}

sfsistat cb_helo(SMFICTX* ctx, char* helo) {
    return guarded(ctx, Step::Helo, "helo", [&](Connection& c) {
        fetch_macros(ctx, c, wire::MacroStage::Helo);
        return c.session->on_helo(helo ? helo : "", c.merged);
    });
}

sfsistat cb_envfrom(SMFICTX* ctx, char** argv) {
    return guarded(ctx, Step::Mail, "mail", [&](Connection& c) {
        end_message(c);   // a new MAIL starts a new message, whatever ended the last one
        if (state().draining) return Reply::tempfail("mail filter restarting, try again later", "451", "4.3.2");
        begin_message(c);
        fetch_macros(ctx, c, wire::MacroStage::Mail);
        return c.session->on_mail(args_of(argv), c.merged);
    });
}

sfsistat cb_envrcpt(SMFICTX* ctx, char** argv) {
    return guarded(ctx, Step::Rcpt, "rcpt", [&](Connection& c) {
        begin_message(c);
        fetch_macros(ctx, c, wire::MacroStage::Rcpt);
        return c.session->on_rcpt(args_of(argv), c.merged);
    });
}

sfsistat cb_header(SMFICTX* ctx, char* name, char* value) {
    return guarded(ctx, Step::Header, "header", [&](Connection& c) {
        begin_message(c);
        return c.session->on_header(name ? name : "", value ? value : "");
    });
}

sfsistat cb_eoh(SMFICTX* ctx) {
    return guarded(ctx, Step::Eoh, "end of headers", [&](Connection& c) {
        begin_message(c);
        fetch_macros(ctx, c, wire::MacroStage::Eoh);
        return c.session->on_eoh(c.merged);
    });
}

sfsistat cb_body(SMFICTX* ctx, unsigned char* chunk, size_t len) {
    return guarded(ctx, Step::Body, "body", [&](Connection& c) {
        if (c.skip_body) return Reply::cont();
        return c.session->on_body(std::string_view(reinterpret_cast<const char*>(chunk), len));
    });
}

sfsistat cb_eom(SMFICTX* ctx) {
    Connection* c = static_cast<Connection*>(smfi_getpriv(ctx));
    const sfsistat s = guarded(ctx, Step::Eom, "end of message",
                               [&](Connection& conn) { return end_of_message(ctx, conn); });
    // The message ends whatever the verdict.
    if (c || (c = static_cast<Connection*>(smfi_getpriv(ctx)))) end_message(*c);
    return s;
}

sfsistat cb_abort(SMFICTX* ctx) {
    if (auto* c = static_cast<Connection*>(smfi_getpriv(ctx))) {
        try {
            if (c->session && !c->failed) c->session->on_abort();
        } catch (const std::exception& e) {
            log::error("milter {}: abort failed: {}", state().spec.name, e.what());
            c->failed = true;
        } catch (...) {
            c->failed = true;
        }
        end_message(*c);
    }
    return SMFIS_CONTINUE;
}

sfsistat cb_close(SMFICTX* ctx) {
    std::unique_ptr<Connection> c(static_cast<Connection*>(smfi_getpriv(ctx)));
    smfi_setpriv(ctx, nullptr);
    if (!c) return SMFIS_CONTINUE;
    try {
        if (c->session) c->session->on_close();
    } catch (...) {
        log::error("milter {}: close failed", state().spec.name);
    }
    end_message(*c);
    std::lock_guard lock(state().mu);
    --state().connections;
    state().cv.notify_all();
    return SMFIS_CONTINUE;
}

// ---- start-up ---------------------------------------------------------------------------

Result<bool> clear_unix_path(const std::string& path) {
    struct stat st{};
    if (lstat(path.c_str(), &st) != 0) return true;
    if (!S_ISSOCK(st.st_mode)) return fail(ErrorCode::Invalid, fmt::format("{} exists and is not a socket", path));
    // smfi_opensocket(true) would unlink a live instance's socket and take over silently.
    if (daemon::unix_socket_is_live(path))
        return fail(ErrorCode::Io, fmt::format("{}: another process is listening there", path));
    ::unlink(path.c_str());
    return true;
}

smfiDesc description(DriverState& s) {
    smfiDesc d{};
    d.xxfi_name = s.name.data();
    d.xxfi_version = SMFI_VERSION;
    d.xxfi_flags = action_bits(s.spec);
    d.xxfi_connect = cb_connect;
    d.xxfi_helo = cb_helo;
    d.xxfi_envfrom = cb_envfrom;
    d.xxfi_envrcpt = cb_envrcpt;
    d.xxfi_header = cb_header;
    d.xxfi_eoh = cb_eoh;
    d.xxfi_body = cb_body;
    d.xxfi_eom = cb_eom;
    d.xxfi_abort = cb_abort;
    d.xxfi_close = cb_close;
    d.xxfi_negotiate = cb_negotiate;
    return d;
}

}  // namespace

LibmilterDriver::LibmilterDriver(MilterSpec spec, std::shared_ptr<SessionFactory> factory) {
    std::lock_guard lock(g_instance_mu);
    if (g_state) throw std::logic_error("one milter per process: a LibmilterDriver exists already");
    g_state = std::make_unique<DriverState>();
    g_state->spec = std::move(spec);
    g_state->factory = std::move(factory);
    g_state->name = g_state->spec.name;
}

LibmilterDriver::~LibmilterDriver() {
    std::lock_guard lock(g_instance_mu);
    // Left allocated on purpose while libmilter threads may still run callbacks (the process
    // is exiting then).
    if (connections() == 0) g_state.reset();
    else (void)g_state.release();
}

Result<bool> LibmilterDriver::open(const DriverOptions& o) {
    opts_ = o;
    if (smfi_register(description(state())) != MI_SUCCESS) return fail(ErrorCode::Internal, "smfi_register failed");
    const bool is_unix = o.listen.kind == daemon::ListenSpec::Kind::Unix;
    if (is_unix) {
        if (auto r = clear_unix_path(o.listen.path); !r) return r;
    }
    std::string conn = o.listen.to_libmilter();
    if (smfi_setconn(conn.data()) != MI_SUCCESS) return fail(ErrorCode::Invalid, "smfi_setconn " + conn);
    smfi_setbacklog(o.backlog);
    if (o.io_timeout.count() > 0) smfi_settimeout(static_cast<int>(o.io_timeout.count()));
    // Created with no access, opened up below: nobody connects before mode and owner are set.
    const mode_t old = umask(0777);
    const int rc = smfi_opensocket(false);
    umask(old);
    if (rc != MI_SUCCESS) return fail(ErrorCode::Io, "cannot listen on " + o.listen.to_string());
    if (is_unix) {
        if (chmod(o.listen.path.c_str(), o.socket_mode) != 0)
            return fail(ErrorCode::Io, fmt::format("chmod {}: {}", o.listen.path, std::strerror(errno)));
        if (auto r = daemon::set_socket_owner(o.listen.path, o.socket_owner); !r) return r;
    }
    return true;
}

std::size_t LibmilterDriver::connections() const {
    std::lock_guard lock(state().mu);
    return state().connections;
}

std::size_t LibmilterDriver::messages_in_flight() const {
    std::lock_guard lock(state().mu);
    return state().messages;
}

constexpr int kMaxListenerWakes = 500;   // 10 s of pokes at most, then libmilter's own timeout

std::size_t LibmilterDriver::drain_and_stop(Deadline deadline) {
    state().draining = true;
    std::size_t left = 0;
    {
        std::unique_lock lock(state().mu);
        state().cv.wait_until(lock, deadline.at(), [] { return state().messages == 0; });
        left = state().messages;
    }
    if (left > 0) log::warning("milter {}: stopping with {} messages in flight", state().spec.name, left);
    // smfi_stop() waits for a mutex libmilter's listener holds across its 5-second poll(2); a
    // connection to our own socket ends that poll, so the stop takes milliseconds, not seconds.
    std::atomic<bool> stopped{false};
    std::thread waker([&] {
        for (int i = 0; !stopped && i < kMaxListenerWakes; ++i) {
            daemon::wake_listener(opts_.listen);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    smfi_stop();
    stopped = true;
    waker.join();
    return left;
}

namespace {

// Runs reloads and the drain off the main thread, so that the main thread is back in sigwait at
// once: only then does SIGTERM reach it rather than libmilter's own signal thread.
class SignalWork {
public:
    SignalWork(std::function<void()> on_reload, std::function<void()> on_stop)
        : on_reload_(std::move(on_reload)), on_stop_(std::move(on_stop)), thread_([this] { run(); }) {}
    ~SignalWork() {
        post(&quit_);
        thread_.join();
    }
    void reload() { post(&reloads_); }
    void stop() { post(&stops_); }

private:
    void post(int* counter) {
        std::lock_guard lock(mu_);
        ++*counter;
        cv_.notify_one();
    }
    void run() {
        std::unique_lock lock(mu_);
        for (;;) {
            cv_.wait(lock, [this] { return quit_ || reloads_ || stops_; });
            if (quit_) return;
            const bool stop = stops_ > 0 && !stopping_;
            stopping_ = stopping_ || stops_ > 0;
            const bool reload = reloads_ > 0 && !stopping_;
            reloads_ = stops_ = 0;
            lock.unlock();
            if (stop) on_stop_();
            if (reload) on_reload_();
            lock.lock();
        }
    }

    std::function<void()> on_reload_;
    std::function<void()> on_stop_;
    std::mutex mu_;
    std::condition_variable cv_;
    int reloads_ = 0;
    int stops_ = 0;
    int quit_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace

Result<bool> LibmilterDriver::serve(std::function<void()> on_reload) {
    SignalWork work(std::move(on_reload), [this] {
        log::info("milter {}: finishing messages in flight", state().spec.name);
        drain_and_stop(Deadline::after(opts_.drain_timeout));
    });
    std::atomic<bool> waiting{false};
    std::atomic<bool> done{false};
    std::atomic<int> rc{MI_SUCCESS};
    // libmilter starts serving only once this thread waits for signals, so that a SIGTERM sent
    // right after a client's first exchange is ours, not libmilter's.
    std::thread libmilter([&] {
        while (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        rc = smfi_main();
        done = true;
    });
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGUSR1, SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, sig);
    const timespec tick{0, 200'000'000};   // to notice libmilter stopping on its own
    while (!done) {
        waiting = true;
        const int sig = sigtimedwait(&set, nullptr, &tick);
        if (sig == SIGUSR1) work.reload();
        else if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) work.stop();
    }
    libmilter.join();
    if (rc != MI_SUCCESS) return fail(ErrorCode::Io, "libmilter stopped with an error");
    return true;
}

}  // namespace mw::milter
