#include "common/milter/milter_client.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "common/base/deadline.hpp"
#include "common/base/list_split.hpp"

namespace mw::milter {

namespace {

using std::chrono::milliseconds;

Error io_error(std::string what) {
    return Error{ErrorCode::Io, fmt::format("{}: {}", what, std::strerror(errno)), {}};
}

int poll_ms(const Deadline& d) {
    return static_cast<int>(std::chrono::duration_cast<milliseconds>(d.remaining()).count());
}

// Non-blocking connect bounded by `timeout`, then back to blocking mode.
Result<UniqueFd> connect_to(const sockaddr* sa, socklen_t len, int family, milliseconds timeout,
                            const std::string& what) {
    UniqueFd fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd.valid()) return fail(io_error("socket"));
    if (::connect(fd.get(), sa, len) != 0) {
        if (errno != EINPROGRESS) return fail(io_error("connect " + what));
        pollfd p{fd.get(), POLLOUT, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1)
            return fail(ErrorCode::Timeout, "connect " + what + ": timed out");
        int err = 0;
        socklen_t elen = sizeof err;
        getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &elen);
        errno = err;
        if (err != 0) return fail(io_error("connect " + what));
    }
    fcntl(fd.get(), F_SETFL, fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
    return fd;
}

Result<UniqueFd> connect_unix(const std::string& path, milliseconds timeout) {
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path) return fail(ErrorCode::Invalid, "socket path too long: " + path);
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    return connect_to(reinterpret_cast<const sockaddr*>(&sa), sizeof sa, AF_UNIX, timeout, path);
}

Result<UniqueFd> connect_inet(const daemon::ListenSpec& spec, milliseconds timeout) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    const std::string host = spec.host.empty() ? "127.0.0.1" : spec.host;
    const int rc = getaddrinfo(host.c_str(), std::to_string(spec.port).c_str(), &hints, &res);
    if (rc != 0) return fail(ErrorCode::Invalid, fmt::format("{}: {}", spec.to_string(), gai_strerror(rc)));
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);
    return connect_to(res->ai_addr, res->ai_addrlen, res->ai_family, timeout, spec.to_string());
}

// Edits need the action bit the milter negotiated (Postfix refuses the others).
uint32_t action_for(Response::Kind k) {
    using K = Response::Kind;
    switch (k) {
        case K::AddHeader: return wire::kActAddHeaders;
        case K::InsertHeader: return wire::kActAddHeaders;
        case K::ChangeHeader: return wire::kActChangeHeaders;
        case K::ReplaceBody: return wire::kActChangeBody;
        case K::Quarantine: return wire::kActQuarantine;
        case K::ChangeFrom: return wire::kActChangeFrom;
        case K::AddRcpt: return wire::kActAddRcpt | wire::kActAddRcptPar;
        case K::DelRcpt: return wire::kActDelRcpt;
        default: return 0;
    }
}

}  // namespace

MacroLists postfix_default_macros() {
    // postconf -d, Postfix 3.7: milter_connect_macros, milter_helo_macros, milter_mail_macros,
    // milter_rcpt_macros, milter_data_macros, milter_end_of_data_macros,
    // milter_end_of_header_macros (indexed by wire::MacroStage).
    MacroLists l;
    l[0] = {"j", "daemon_name", "daemon_addr", "v", "_"};
    l[1] = {"tls_version", "cipher", "cipher_bits", "cert_subject", "cert_issuer"};
    l[2] = {"i", "auth_type", "auth_authen", "auth_author", "mail_addr", "mail_host", "mail_mailer"};
    l[3] = {"i", "rcpt_addr", "rcpt_host", "rcpt_mailer"};
    l[4] = {"i"};
    l[5] = {"i"};
    l[6] = {"i"};
    return l;
}

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::Continue: return "continue";
        case Verdict::Accept: return "accept";
        case Verdict::Reject: return "reject";
        case Verdict::Tempfail: return "tempfail";
        case Verdict::Discard: return "discard";
    }
    return "?";
}

Verdict StepReply::verdict() const {
    using K = Response::Kind;
    if (!replied) return Verdict::Continue;
    switch (response.kind) {
        case K::Accept: return Verdict::Accept;
        case K::Reject: return Verdict::Reject;
        case K::Tempfail: case K::ConnFail: case K::Shutdown: return Verdict::Tempfail;
        case K::Discard: return Verdict::Discard;
        case K::ReplyCode: return response.text[0] == '5' ? Verdict::Reject : Verdict::Tempfail;
        default: return Verdict::Continue;
    }
}

Result<MilterClient> MilterClient::open(const daemon::ListenSpec& where, ClientOptions opts) {
    Result<UniqueFd> fd = where.kind == daemon::ListenSpec::Kind::Unix
                              ? connect_unix(where.path, opts.connect_timeout)
                          : where.kind == daemon::ListenSpec::Kind::Inet
                              ? connect_inet(where, opts.connect_timeout)
                              : Result<UniqueFd>(fail(ErrorCode::Invalid, "stdio is not a milter address"));
    if (!fd) return fail(fd.error());
    return MilterClient(std::move(*fd), std::move(opts));
}

Result<bool> MilterClient::send(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::send(fd_.get(), bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return fail(io_error("write to milter"));
        off += static_cast<std::size_t>(n);
    }
    return true;
}

Result<Packet> MilterClient::read_packet(milliseconds timeout) {
    const auto deadline = Deadline::after(timeout);
    for (;;) {
        auto p = reader_.next();
        if (!p) return fail(p.error());
        if (*p) return std::move(**p);
        pollfd pf{fd_.get(), POLLIN, 0};
        const int rc = ::poll(&pf, 1, poll_ms(deadline));
        if (rc < 0 && errno == EINTR) continue;
        if (rc == 0) return fail(ErrorCode::Timeout, "milter did not reply in time");
        char buf[65536];
        const ssize_t n = ::read(fd_.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(io_error("read from milter"));
        if (n == 0) return fail(ErrorCode::Io, "milter closed the connection");
        reader_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    }
}

Result<OptNeg> MilterClient::negotiate() {
    if (auto s = send(encode_optneg(wire::kVersion, opts_.actions, opts_.protocol)); !s) return fail(s.error());
    auto p = read_packet(opts_.connect_timeout);
    if (!p) return fail(p.error());
    auto o = decode_optneg(*p);
    if (!o) return fail(o.error());
    if (o->version < wire::kMinVersion || o->version > wire::kVersion)
        return fail(ErrorCode::Unsupported, fmt::format("milter speaks protocol version {}", o->version));
    if ((o->actions & ~opts_.actions) != 0)
        return fail(ErrorCode::Unsupported, fmt::format("milter wants actions 0x{:x} not offered", o->actions & ~opts_.actions));
    if ((o->protocol & ~opts_.protocol) != 0)
        return fail(ErrorCode::Unsupported, fmt::format("milter wants protocol steps 0x{:x} not offered", o->protocol & ~opts_.protocol));
    negotiated_ = *o;
    lists_ = opts_.macros;
    // Postfix uses the milter's own list for a stage when it sent one (SMFIR_SETSYMLIST).
    for (std::size_t i = 0; i < lists_.size(); ++i)
        if (negotiated_.macros[i]) lists_[i] = *negotiated_.macros[i];
    return negotiated_;
}

Result<bool> MilterClient::send_macros(wire::MacroStage stage, char stage_cmd) {
    MacroList values;
    for (const auto& name : lists_[static_cast<std::size_t>(stage)])
        if (auto v = macros_.get(name)) values.emplace_back(name, std::string(*v));
    if (values.empty()) return true;   // Postfix sends no empty SMFIC_MACRO
    return send(encode_macros(stage_cmd, values));
}

Result<Response> MilterClient::read_final(milliseconds timeout, std::vector<Response>* edits) {
    std::size_t progress = 0;
    std::size_t body_bytes = 0;
    for (;;) {
        auto p = read_packet(timeout);   // each reply, progress included, restarts the clock
        if (!p) return fail(p.error());
        auto r = decode_response(*p);
        if (!r) return fail(r.error());
        if (r->is_final()) return std::move(*r);
        if (r->kind == Response::Kind::Progress) {
            if (++progress > limits::kMaxMilterProgress) return fail(ErrorCode::TooLong, "too many progress replies");
            continue;
        }
        if (!edits) return fail(ErrorCode::Invalid, fmt::format("milter sent an edit ('{}') before end of message", p->command));
        if (auto ok = check_edit(*r, edits->size(), body_bytes); !ok) return fail(ok.error());
        edits->push_back(std::move(*r));
    }
}

Result<bool> MilterClient::check_edit(const Response& r, std::size_t count, std::size_t& body_bytes) const {
    if ((action_for(r.kind) & negotiated_.actions) == 0)
        return fail(ErrorCode::Invalid, "milter sent an edit it did not negotiate");
    if (count >= limits::kMaxMilterModifications) return fail(ErrorCode::TooLong, "too many edits");
    if (r.kind == Response::Kind::ReplaceBody) {
        body_bytes += r.text.size();
        if (body_bytes > limits::kMaxMilterReplacedBody) return fail(ErrorCode::TooLong, "replaced body too large");
    }
    return true;
}

Result<StepReply> MilterClient::step(uint32_t no_step, uint32_t no_reply,
                                     std::optional<wire::MacroStage> stage, char stage_cmd,
                                     const std::string& packet, milliseconds timeout) {
    if ((negotiated_.protocol & no_step) != 0) return StepReply{};
    if (stage) {
        if (auto s = send_macros(*stage, stage_cmd); !s) return fail(s.error());
    }
    if (auto s = send(packet); !s) return fail(s.error());
    if ((negotiated_.protocol & no_reply) != 0) return StepReply{};
    auto r = read_final(timeout, nullptr);
    if (!r) return fail(r.error());
    if (r->kind == Response::Kind::Skip && (negotiated_.protocol & wire::kSkipFlag) == 0)
        return fail(ErrorCode::Invalid, "milter replied SKIP without negotiating it");
    return StepReply{true, std::move(*r)};
}

Result<StepReply> MilterClient::connect(const ConnectInfo& c) {
    return step(wire::kNoConnect, wire::kNoReplyConnect, wire::MacroStage::Connect, wire::kConnect,
                encode_connect(c), opts_.command_timeout);
}

Result<StepReply> MilterClient::helo(const std::string& name) {
    return step(wire::kNoHelo, wire::kNoReplyHelo, wire::MacroStage::Helo, wire::kHelo,
                encode_helo(name), opts_.command_timeout);
}

Result<StepReply> MilterClient::mail(const std::vector<std::string>& args) {
    return step(wire::kNoMail, wire::kNoReplyMail, wire::MacroStage::Mail, wire::kMail,
                encode_args(wire::kMail, args), opts_.command_timeout);
}

Result<StepReply> MilterClient::rcpt(const std::vector<std::string>& args) {
    return step(wire::kNoRcpt, wire::kNoReplyRcpt, wire::MacroStage::Rcpt, wire::kRcpt,
                encode_args(wire::kRcpt, args), opts_.command_timeout);
}

Result<StepReply> MilterClient::data() {
    return step(wire::kNoData, wire::kNoReplyData, wire::MacroStage::Data, wire::kData,
                encode_empty(wire::kData), opts_.command_timeout);
}

Result<StepReply> MilterClient::header(const std::string& name, const std::string& value) {
    return step(wire::kNoHeaders, wire::kNoReplyHeader, std::nullopt, 0, encode_header(name, value),
                opts_.content_timeout);
}

Result<StepReply> MilterClient::eoh() {
    return step(wire::kNoEoh, wire::kNoReplyEoh, wire::MacroStage::Eoh, wire::kEoh,
                encode_empty(wire::kEoh), opts_.content_timeout);
}

Result<StepReply> MilterClient::body(std::string_view chunk) {
    if (chunk.size() > wire::kBodyChunk) return fail(ErrorCode::TooLong, "body chunk over 65535 bytes");
    return step(wire::kNoBody, wire::kNoReplyBody, std::nullopt, 0, encode_body(chunk),
                opts_.content_timeout);
}

Result<EomReply> MilterClient::eom() {
    if (auto s = send_macros(wire::MacroStage::Eom, wire::kBodyEob); !s) return fail(s.error());
    if (auto s = send(encode_empty(wire::kBodyEob)); !s) return fail(s.error());
    EomReply out;
    auto r = read_final(opts_.content_timeout, &out.edits);
    if (!r) return fail(r.error());
    if (r->kind == Response::Kind::Skip) return fail(ErrorCode::Invalid, "milter replied SKIP to end of message");
    out.final = std::move(*r);
    return out;
}

Result<bool> MilterClient::abort() { return send(encode_empty(wire::kAbort)); }

Result<bool> MilterClient::quit() { return send(encode_empty(wire::kQuit)); }

}  // namespace mw::milter
