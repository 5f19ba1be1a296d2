#include "common/milter/milter_transaction.hpp"

#include <unistd.h>

#include <chrono>

#include <fmt/format.h>

namespace mw::milter {

namespace {

std::string domain_of(const std::string& address) {
    const auto at = address.rfind('@');
    return at == std::string::npos ? std::string() : address.substr(at + 1);
}

// A queue id in Postfix's short form (10 hex digits), different for each run.
std::string queue_id() {
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    const auto mixed = static_cast<unsigned long long>(now) ^ (static_cast<unsigned long long>(getpid()) << 20);
    return fmt::format("{:010X}", mixed & 0xFFFFFFFFFFULL);
}

class TransactionRun {
public:
    TransactionRun(MilterClient& c, const Transaction& t, const MailMessage& m)
        : client_(c), t_(t), message_(m) {}

    Result<TransactionResult> run() {
        result_.negotiated = client_.negotiated();
        client_.macros() = transaction_macros(t_);
        auto done = envelope();
        if (!done) return fail(done.error());
        if (!*done) {
            done = content();
            if (!done) return fail(done.error());
        }
        if (auto q = client_.quit(); !q) return fail(q.error());
        return std::move(result_);
    }

private:
    // True when the step decided the message.
    bool decided(const StepReply& r, const char* stage) {
        const Verdict v = r.verdict();
        if (v == Verdict::Continue) return false;
        result_.verdict = v;
        result_.stage = stage;
        if (r.response.kind == Response::Kind::ReplyCode) result_.reply = r.response.text;
        return true;
    }

    Result<bool> envelope() {
        auto r = client_.connect(t_.client);
        if (!r) return fail(r.error());
        if (decided(*r, "connect")) return true;
        if (!t_.helo.empty()) {
            r = client_.helo(t_.helo);
            if (!r) return fail(r.error());
            if (decided(*r, "helo")) return true;
        }
        r = client_.mail({"<" + t_.from + ">"});
        if (!r) return fail(r.error());
        if (decided(*r, "mail")) return true;
        return recipients();
    }

    Result<bool> recipients() {
        std::size_t accepted = 0;
        for (const auto& rcpt : t_.rcpts) {
            client_.macros().set("rcpt_addr", rcpt);
            client_.macros().set("rcpt_host", domain_of(rcpt));
            client_.macros().set("rcpt_mailer", "smtp");
            auto r = client_.rcpt({"<" + rcpt + ">"});
            if (!r) return fail(r.error());
            const Verdict v = r->verdict();
            const std::string reply = r->response.kind == Response::Kind::ReplyCode ? r->response.text : "";
            result_.rcpts.push_back({rcpt, v, reply});
            if (v == Verdict::Accept || v == Verdict::Discard) return decided(*r, "rcpt");
            if (v == Verdict::Continue) ++accepted;
        }
        if (accepted > 0) return false;
        // No recipient left: the MTA ends the transaction.
        if (!result_.rcpts.empty()) {
            result_.verdict = result_.rcpts.back().verdict;
            result_.reply = result_.rcpts.back().reply;
        } else {
            result_.verdict = Verdict::Reject;
        }
        result_.stage = "rcpt";
        if (auto a = client_.abort(); !a) return fail(a.error());
        return true;
    }

    Result<bool> content() {
        auto r = client_.data();
        if (!r) return fail(r.error());
        if (decided(*r, "data")) return true;
        const bool lead = client_.leading_space();
        for (std::size_t i = 0; i < message_.headers().size(); ++i) {
            r = client_.header(message_.headers()[i].name, message_.milter_value(i, lead));
            if (!r) return fail(r.error());
            if (decided(*r, "header")) return true;
        }
        r = client_.eoh();
        if (!r) return fail(r.error());
        if (decided(*r, "eoh")) return true;
        if (auto b = body(); !b || *b) return b;
        return end_of_message();
    }

    Result<bool> body() {
        const std::string_view all = message_.body();
        for (std::size_t off = 0; off < all.size(); off += wire::kBodyChunk) {
            auto r = client_.body(all.substr(off, wire::kBodyChunk));
            if (!r) return fail(r.error());
            if (r->replied && r->response.kind == Response::Kind::Skip) {
                result_.body_skipped = true;
                break;
            }
            if (decided(*r, "body")) return true;
        }
        return false;
    }

    Result<bool> end_of_message() {
        auto e = client_.eom();
        if (!e) return fail(e.error());
        result_.edits = std::move(e->edits);
        if (!decided(StepReply{true, e->final}, "eom")) result_.stage = "eom";
        return true;
    }

    MilterClient& client_;
    const Transaction& t_;
    const MailMessage& message_;
    TransactionResult result_;
};

}  // namespace

Macros transaction_macros(const Transaction& t) {
    Macros m;
    m.set("j", "mx.milter-test.invalid");
    m.set("daemon_name", "mx.milter-test.invalid");   // Postfix: milter_macro_daemon_name
    m.set("daemon_addr", "127.0.0.1");
    m.set("v", "Postfix 3.7.11");
    m.set("_", fmt::format("{} [{}]", t.client.host_name, t.client.address));
    m.set("client_addr", t.client.address);
    m.set("client_name", t.client.host_name);
    m.set("client_port", std::to_string(t.client.port));
    m.set("i", queue_id());
    m.set("mail_addr", t.from);
    m.set("mail_host", domain_of(t.from));
    m.set("mail_mailer", "smtp");
    if (!t.auth_user.empty()) {
        m.set("auth_type", "PLAIN");
        m.set("auth_authen", t.auth_user);
    }
    m.merge(t.macros);
    return m;
}

Result<TransactionResult> run_transaction(const daemon::ListenSpec& where, const Transaction& t,
                                          const MailMessage& message, ClientOptions opts) {
    auto client = MilterClient::open(where, std::move(opts));
    if (!client) return fail(client.error());
    if (auto n = client->negotiate(); !n) return fail(n.error());
    return TransactionRun(*client, t, message).run();
}

}  // namespace mw::milter
