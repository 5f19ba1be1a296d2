// `mailwarden milter-test SOCKET FILE.eml [options]`: a modern miltertest. Sends one message
// through a milter as Postfix 3.7 would (common/milter/milter_transaction.hpp), prints the
// verdict and every edit, and with --apply writes the message as the milter changed it.
#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "common/base/limits.hpp"
#include "common/milter/milter_transaction.hpp"
#include "common/net/ip_address.hpp"
#include "tools/option_args.hpp"
#include "tools/subcommand.hpp"

namespace mw::tools {

namespace {

constexpr const char* kUsage =
    "usage: mailwarden milter-test SOCKET FILE.eml [options]\n"
    "  SOCKET             unix:PATH, inet:HOST:PORT (Postfix) or local:PATH, inet:PORT@HOST\n"
    "  --client-ip IP     SMTP client address (default 127.0.0.1)\n"
    "  --client-name N    SMTP client host name (default localhost)\n"
    "  --helo H           HELO name (default: the client name)\n"
    "  --from A           envelope sender (default sender@example.org; \"\" = null sender)\n"
    "  --rcpt A           envelope recipient, repeatable (default recipient@example.org)\n"
    "  --auth USER        the client authenticated as USER ({auth_type}, {auth_authen})\n"
    "  --daemon-name N    the {daemon_name} macro (Postfix: milter_macro_daemon_name)\n"
    "  --macro NAME=VALUE set a macro value, repeatable (sent where the stage lists NAME)\n"
    "  --apply OUT        write the message with the milter's edits to OUT\n"
    "exit status: 0 accept/continue, 1 reject/tempfail/discard, 2 usage or connection error\n";

struct Options {
    std::string socket;
    std::string file;
    std::string apply;
    milter::Transaction t;
    bool from_given = false;
    bool helo_given = false;
    bool help = false;
};

Result<bool> set_option(Options& o, const std::string& a, const std::string& v) {
    if (a == "--client-ip") o.t.client.address = v;
    else if (a == "--client-name") o.t.client.host_name = v;
    else if (a == "--helo") o.t.helo = v, o.helo_given = true;
    else if (a == "--from") o.t.from = v, o.from_given = true;
    else if (a == "--rcpt") o.t.rcpts.push_back(v);
    else if (a == "--auth") o.t.auth_user = v;
    else if (a == "--daemon-name") o.t.macros.set("daemon_name", v);
    else if (a == "--apply") o.apply = v;
    else if (a == "--macro") {
        const auto eq = v.find('=');
        if (eq == std::string::npos || eq == 0) return fail(ErrorCode::Invalid, "--macro wants NAME=VALUE");
        o.t.macros.set(v.substr(0, eq), v.substr(eq + 1));
    } else {
        return unknown_option(a);
    }
    return true;
}

Result<Options> parse_options(const Args& args) {
    auto split = split_options(args);
    if (!split) return fail(split.error());
    Options o;
    o.help = split->help;
    if (o.help) return o;
    for (const auto& [name, value] : split->options) {
        auto ok = set_option(o, name, value);
        if (!ok) return fail(ok.error());
    }
    if (split->positional.size() != 2) return fail(ErrorCode::Invalid, "expected SOCKET and FILE.eml");
    o.socket = split->positional[0];
    o.file = split->positional[1];
    return o;
}

Result<bool> complete(Options& o) {
    const auto ip = net::IpAddress::parse(o.t.client.address);
    if (!ip) return fail(ErrorCode::Invalid, "bad --client-ip " + o.t.client.address);
    o.t.client.family = ip->family() == net::IpAddress::Family::V6 ? milter::ConnectInfo::Family::Inet6
                                                                   : milter::ConnectInfo::Family::Inet4;
    if (!o.from_given) o.t.from = "sender@example.org";
    if (!o.helo_given) o.t.helo = o.t.client.host_name;
    if (o.t.rcpts.empty()) o.t.rcpts.push_back("recipient@example.org");
    return true;
}

Result<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ErrorCode::NotFound, "cannot read " + path);
    std::string text;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > limits::kMaxMilterMessage)
            return fail(ErrorCode::TooLong, path + ": larger than " + std::to_string(limits::kMaxMilterMessage) + " bytes");
    }
    return text;
}

void print_edit(const milter::Response& e) {
    using K = milter::Response::Kind;
    switch (e.kind) {
        case K::AddHeader: fmt::print("header added: {}: {}\n", e.name, e.value); break;
        case K::InsertHeader: fmt::print("header inserted at {}: {}: {}\n", e.index, e.name, e.value); break;
        case K::ChangeHeader:
            if (e.value.empty()) fmt::print("header deleted: {}[{}]\n", e.name, e.index);
            else fmt::print("header changed: {}[{}]: {}\n", e.name, e.index, e.value);
            break;
        case K::ReplaceBody: fmt::print("body replaced: {} bytes\n", e.text.size()); break;
        case K::Quarantine: fmt::print("quarantine: {}\n", e.text); break;
        case K::ChangeFrom: fmt::print("envelope sender changed: {} {}\n", e.name, e.value); break;
        case K::AddRcpt: fmt::print("recipient added: {} {}\n", e.name, e.value); break;
        case K::DelRcpt: fmt::print("recipient removed: {}\n", e.name); break;
        default: break;
    }
}

void print_result(const milter::TransactionResult& r) {
    fmt::print("negotiated: version {} actions 0x{:03x} protocol 0x{:06x}\n", r.negotiated.version,
               r.negotiated.actions, r.negotiated.protocol);
    for (const auto& rc : r.rcpts) {
        fmt::print("rcpt <{}>: {}{}{}\n", rc.rcpt, milter::to_string(rc.verdict),
                   rc.reply.empty() ? "" : " ", rc.reply);
    }
    for (const auto& e : r.edits) print_edit(e);
    if (r.body_skipped) fmt::print("body: the milter skipped the rest\n");
    fmt::print("verdict: {} (at {})\n", milter::to_string(r.verdict), r.stage);
    if (!r.reply.empty()) fmt::print("reply: {}\n", r.reply);
}

Result<bool> write_applied(const std::string& out, milter::MailMessage message,
                           const milter::TransactionResult& r) {
    message.apply(r.edits, (r.negotiated.protocol & milter::wire::kHeaderLeadingSpace) != 0);
    std::ofstream f(out, std::ios::binary | std::ios::trunc);
    if (!f) return fail(ErrorCode::Io, "cannot write " + out);
    const std::string text = message.to_string();
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!f) return fail(ErrorCode::Io, "cannot write " + out);
    return true;
}

int exit_status(milter::Verdict v) {
    return v == milter::Verdict::Continue || v == milter::Verdict::Accept ? 0 : 1;
}

int error(const std::string& message) {
    std::fprintf(stderr, "mailwarden milter-test: %s\n", message.c_str());
    return 2;
}

}  // namespace

int run_milter_test(const Args& args) {
    auto o = parse_options(args);
    if (!o) return error(o.error().message + "\n" + kUsage);
    if (o->help) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (auto c = complete(*o); !c) return error(c.error().message);
    auto where = daemon::ListenSpec::parse(o->socket, false);
    if (!where) return error(where.error().message);
    auto text = read_file(o->file);
    if (!text) return error(text.error().message);
    auto message = milter::MailMessage::parse(*text);
    if (!message) return error(o->file + ": " + message.error().message);
    auto result = milter::run_transaction(*where, o->t, *message);
    if (!result) return error(o->socket + ": " + result.error().message);
    print_result(*result);
    if (!o->apply.empty()) {
        if (auto w = write_applied(o->apply, *message, *result); !w) return error(w.error().message);
    }
    std::fflush(stdout);
    return exit_status(result->verdict);
}

}  // namespace mw::tools
