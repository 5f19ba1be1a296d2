#include "bench/dkim/mta_session.hpp"

#include <fmt/format.h>

#include <atomic>

namespace mw::bench {

namespace {

using milter::Verdict;

// Each message gets its own Postfix-style queue id, as cleanup assigns one per message.
std::string next_queue_id() {
    static std::atomic<unsigned long long> counter{0x4B2C000000ULL};
    return fmt::format("{:010X}", counter.fetch_add(1) & 0xFFFFFFFFFFULL);
}

std::string domain_of(const std::string& address) {
    const auto at = address.rfind('@');
    return at == std::string::npos ? std::string() : address.substr(at + 1);
}

// Continue: the step went on (or had no reply); anything else ends the message there.
bool goes_on(const milter::StepReply& r) { return r.verdict() == Verdict::Continue; }

}  // namespace

Result<MtaSession> MtaSession::open(const daemon::ListenSpec& where, const milter::Transaction& t) {
    auto client = milter::MilterClient::open(where);
    if (!client) return fail(client.error());
    if (auto n = client->negotiate(); !n) return fail(n.error());
    client->macros() = milter::transaction_macros(t);
    auto r = client->connect(t.client);
    if (!r) return fail(r.error());
    if (!goes_on(*r)) return fail(ErrorCode::Invalid, "the milter did not accept the connection");
    r = client->helo(t.helo);
    if (!r) return fail(r.error());
    if (!goes_on(*r)) return fail(ErrorCode::Invalid, "the milter did not accept HELO");
    return MtaSession(std::move(*client), t);
}

Result<MessageOutcome> MtaSession::send(const milter::MailMessage& message) {
    client_.macros().set("i", next_queue_id());
    auto went_on = envelope();
    if (!went_on) return fail(went_on.error());
    if (!*went_on) return MessageOutcome{false, Verdict::Reject, {}};
    went_on = content(message);
    if (!went_on) return fail(went_on.error());
    if (!*went_on) return MessageOutcome{false, Verdict::Reject, {}};
    auto e = client_.eom();
    if (!e) return fail(e.error());
    return MessageOutcome{true, milter::StepReply{true, e->final}.verdict(), std::move(e->edits)};
}

Result<bool> MtaSession::envelope() {
    auto r = client_.mail({"<" + t_.from + ">"});
    if (!r || !goes_on(*r)) return r ? Result<bool>(false) : fail(r.error());
    for (const auto& rcpt : t_.rcpts) {
        client_.macros().set("rcpt_addr", rcpt);
        client_.macros().set("rcpt_host", domain_of(rcpt));
        client_.macros().set("rcpt_mailer", "smtp");
        r = client_.rcpt({"<" + rcpt + ">"});
        if (!r || !goes_on(*r)) return r ? Result<bool>(false) : fail(r.error());
    }
    r = client_.data();
    if (!r || !goes_on(*r)) return r ? Result<bool>(false) : fail(r.error());
    return true;
}

Result<bool> MtaSession::content(const milter::MailMessage& message) {
    const bool lead = client_.leading_space();
    for (std::size_t i = 0; i < message.headers().size(); ++i) {
        auto r = client_.header(message.headers()[i].name, message.milter_value(i, lead));
        if (!r || !goes_on(*r)) return r ? Result<bool>(false) : fail(r.error());
    }
    auto r = client_.eoh();
    if (!r || !goes_on(*r)) return r ? Result<bool>(false) : fail(r.error());
    const std::string_view all = message.body();
    for (std::size_t off = 0; off < all.size(); off += milter::wire::kBodyChunk) {
        r = client_.body(all.substr(off, milter::wire::kBodyChunk));
        if (!r) return fail(r.error());
        if (r->replied && r->response.kind == milter::Response::Kind::Skip) break;
        if (!goes_on(*r)) return false;
    }
    return true;
}

}  // namespace mw::bench
