#include "milters/dkim/dkim_session.hpp"

#include <chrono>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "common/authres/auth_results.hpp"
#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"
#include "common/log/decision_line.hpp"
#include "common/log/logger.hpp"
#include "common/net/ip_address.hpp"
#include "milters/dkim/auth_results_claim.hpp"
#include "common/mail/author_address.hpp"

namespace mw::dkim {

namespace {

using milter::Reply;

constexpr std::string_view kAuthResults = "Authentication-Results";

std::uint64_t system_now() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

KeyAnswer key_answer(const dns::Answer& a) {
    if (a.ok() && !a.texts.empty()) return {KeyAnswer::Kind::Found, a.texts};
    if (a.ok() || a.rcode == dns::Rcode::NxDomain) return {KeyAnswer::Kind::NotFound, {}};
    // The server answered, but every record was malformed or over our limits: a fault of the
    // published data, permanent until the publisher fixes it (RFC 6376 §6.1.2 step 3).
    if (a.malformed > 0 && a.rcode == dns::Rcode::ServFail) return {KeyAnswer::Kind::Invalid, {}, a.why};
    return {KeyAnswer::Kind::TempError, {}};
}

std::string key_id(std::string_view domain, std::string_view selector) {
    return to_lower_ascii(selector) + "._domainkey." + to_lower_ascii(domain);
}

// The result the log line reports: the first pass, else the first result.
const VerifyResult& headline(const std::vector<VerifyResult>& results) {
    for (const auto& r : results)
        if (r.status == VerifyStatus::Pass) return r;
    return results.front();
}

authres::AuthResult auth_result(const VerifyResult& r) {
    authres::AuthResult a{"dkim", std::string(verify_status_name(r.status)), {}, {}, {}};
    if (r.status != VerifyStatus::Pass) a.reason = r.reason;
    if (r.testing) a.comment = "test key";
    if (!r.domain.empty()) a.properties.push_back({"header", "d", r.domain});
    if (!r.selector.empty()) a.properties.push_back({"header", "s", r.selector});
    if (!r.b_prefix.empty()) a.properties.push_back({"header", "b", r.b_prefix});
    return a;
}

std::string join(const std::vector<SigningKey>& keys, std::string SigningKey::*field) {
    std::string out;
    for (const auto& k : keys) {
        const std::string& v = k.*field;
        if (out.find(v) != std::string::npos) continue;
        if (!out.empty()) out += ',';
        out += v;
    }
    return out;
}

}  // namespace

milter::MilterSpec dkim_milter_spec(milter::FailureAction on_failure) {
    using milter::Step;
    using milter::wire::MacroStage;
    milter::MilterSpec s;
    s.name = "mailwarden-dkim";
    s.steps = {Step::Connect, Step::Mail, Step::Header, Step::Eoh, Step::Body};
    s.no_reply = {Step::Header, Step::Body};
    s.macros_at(MacroStage::Connect) = {"j", "daemon_name", "client_addr"};
    s.macros_at(MacroStage::Mail) = {"i", "auth_type", "auth_authen"};
    s.macros_at(MacroStage::Eom) = {"i"};
    s.actions.add_headers = true;
    s.actions.change_headers = true;
    s.actions.quarantine = true;   // on_* = hold
    s.on_failure = on_failure;
    return s;
}

DkimSession::DkimSession(std::shared_ptr<const DkimSnapshot> snapshot) : snap_(std::move(snapshot)) {}
DkimSession::~DkimSession() = default;

Reply DkimSession::on_connect(const milter::ConnectInfo& client, const milter::Macros&) {
    internal_client_ = false;
    if (client.family == milter::ConnectInfo::Family::Inet4 || client.family == milter::ConnectInfo::Family::Inet6) {
        const auto ip = net::IpAddress::parse(client.address);
        internal_client_ = ip && snap_->settings.internal_hosts.contains(*ip);
    }
    return Reply::cont();
}

Reply DkimSession::on_mail(const std::vector<std::string>&, const milter::Macros&) {
    reset();
    return Reply::cont();
}

Reply DkimSession::on_header(std::string_view name, std::string_view value) {
    if (iequals_ascii(name, kAuthResults)) {
        ++results_seen_;
        if (claims_authserv_id(value, snap_->settings.authserv_id)) forged_results_.push_back(results_seen_);
    }
    if (headers_overflow_) return Reply::cont();
    header_bytes_ += name.size() + value.size() + 3;
    if (headers_.size() >= limits::kMaxDkimMessageHeaders || header_bytes_ > limits::kMaxDkimHeaderBytes) {
        headers_overflow_ = true;
        headers_.clear();
        return Reply::cont();
    }
    headers_.push_back(header_from_milter(name, value, false));
    return Reply::cont();
}

Reply DkimSession::on_eoh(const milter::Macros& macros) {
    if (headers_overflow_) {
        skip_reason_ = "header block too large";
    } else if (auto why = outbound_reason(macros)) {
        log::debug("{}: outbound ({})", macros.get_or("i", "NOQUEUE"), *why);
        start_signing(macros.get_or("i", ""));
    } else {
        mode_ = Mode::Verify;
        if (auto a = author()) author_domain_ = to_lower_ascii(std::string_view(*a).substr(a->rfind('@') + 1));
        verifier_ = std::make_unique<MessageVerifier>(std::move(headers_));
        headers_.clear();
    }
    return Reply::cont();
}

Reply DkimSession::on_body(std::string_view chunk) {
    if (signer_) signer_->feed_body(chunk);
    if (verifier_) verifier_->feed_body(chunk);
    return Reply::cont();
}

Reply DkimSession::on_eom(milter::MessageEdits& edits, const milter::Macros& macros) {
    const std::string queue_id(macros.get_or("i", ""));
    remove_forged_results(edits);
    Reply reply = Reply::cont();
    if (mode_ == Mode::Sign) {
        reply = finish_signing(edits, queue_id);
    } else if (mode_ == Mode::Verify) {
        reply = finish_verifying(edits, queue_id);
    } else {
        log::info("{}", log::DecisionLine(queue_id, "dkim", "unsigned").add("reason", skip_reason_).finish("continue"));
    }
    reset();
    return reply;
}

void DkimSession::on_abort() { reset(); }

void DkimSession::reset() {
    headers_.clear();
    header_bytes_ = 0;
    headers_overflow_ = false;
    forged_results_.clear();
    results_seen_ = 0;
    mode_ = Mode::None;
    skip_reason_.clear();
    author_domain_.clear();
    keys_.clear();
    signer_.reset();
    verifier_.reset();
}

std::optional<std::string> DkimSession::outbound_reason(const milter::Macros& macros) const {
    const auto& s = snap_->settings;
    if (!s.originating_daemon_name.empty() && macros.get_or("daemon_name", "") == s.originating_daemon_name)
        return fmt::format("daemon_name={}", s.originating_daemon_name);
    if (!macros.get_or("auth_authen", "").empty() || !macros.get_or("auth_type", "").empty())
        return std::string("authenticated");
    if (internal_client_) return std::string("internal client");
    return std::nullopt;
}

Result<std::string> DkimSession::author() const {
    const MessageHeader* from = nullptr;
    int froms = 0;
    for (const auto& h : headers_)
        if (iequals_ascii(h.name, "From")) { from = &h; ++froms; }
    if (froms != 1) return fail(ErrorCode::Invalid, fmt::format("message has {} From: fields", froms));
    auto address = mail::author_address(from->value);
    if (!address) return fail(ErrorCode::Invalid, "no usable From: address");
    return *address;
}

void DkimSession::start_signing(std::string_view queue_id) {
    const auto author = this->author();
    if (!author) {
        skip_reason_ = author.error().message;
        return;
    }
    keys_ = snap_->settings.keys_for(*author);
    if (keys_.empty()) {
        skip_reason_ = snap_->settings.can_sign() ? fmt::format("no signing table match for '{}'", *author)
                                                  : std::string("no signing keys configured");
        log::info("{}: {}", queue_id.empty() ? "NOQUEUE" : queue_id, skip_reason_);
        return;
    }
    mode_ = Mode::Sign;
    signer_ = std::make_unique<MessageSigner>(keys_, snap_->settings.signer);
}

Reply DkimSession::finish_signing(milter::MessageEdits& edits, std::string_view queue_id) {
    auto fields = signer_->finish(headers_, snap_->now ? snap_->now() : system_now());
    if (!fields) return failure(queue_id, fields.error().message);
    // Inserted at the top in reverse, so they end up in key order.
    for (auto it = fields->rbegin(); it != fields->rend(); ++it)
        edits.insert_header(0, it->name, header_value_for_milter(*it, false));
    const std::string_view qid = queue_id.empty() ? "NOQUEUE" : queue_id;
    for (const auto& k : keys_) log::info("{}: DKIM-Signature field added (s={}, d={})", qid, k.selector, k.domain);
    log::info("{}", log::DecisionLine(queue_id, "dkim", "signed")
                        .add("d", join(keys_, &SigningKey::domain))
                        .add("s", join(keys_, &SigningKey::selector))
                        .finish("continue"));
    return Reply::cont();
}

Reply DkimSession::finish_verifying(milter::MessageEdits& edits, std::string_view queue_id) {
    const auto results = verifier_->finish(fetch_keys(), snap_->now ? snap_->now() : system_now());
    authres::AuthResultsHeader ar(snap_->settings.authserv_id);
    if (results.empty()) ar.add({"dkim", "none", {}, {}, {}});
    for (const auto& r : results) ar.add(auth_result(r));
    edits.insert_header(0, std::string(kAuthResults), ar.value());
    if (results.empty()) {
        log::DecisionLine line(queue_id, "dkim", "none");
        return act_on(results, line);
    }
    const auto& head = headline(results);
    log::DecisionLine line(queue_id, "dkim", verify_status_name(head.status));
    line.add("d", head.domain).add("s", head.selector);
    if (head.status != VerifyStatus::Pass) line.add("reason", head.reason);
    if (results.size() > 1) line.add("signatures", std::to_string(results.size()));
    return act_on(results, line);
}

// The on_* actions (verify_actions.hpp); with dry_run the intended action is only logged.
Reply DkimSession::act_on(const std::vector<VerifyResult>& results, log::DecisionLine& line) const {
    const auto decision = decide_action(snap_->settings.actions, author_domain_, results);
    if (!decision) {
        log::info("{}", line.finish("continue"));
        return Reply::cont();
    }
    line.add("policy", decision->outcome).add("policy_domain", decision->domain);
    const std::string_view intended = result_action_name(decision->action);
    if (snap_->settings.dry_run) {
        log::info("{}", line.add("dry_run", intended).finish("continue"));
        return Reply::cont();
    }
    log::info("{}", line.finish(intended));
    return decision->reply();
}

KeyLookup DkimSession::fetch_keys() const {
    std::vector<dns::Question> questions;
    for (const auto& [domain, selector] : verifier_->key_names())
        questions.push_back({key_id(domain, selector), dns::RrType::TXT});
    std::map<std::string, KeyAnswer> answers;
    if (!questions.empty() && snap_->resolver) {
        const auto got = dns::query_many_cached(*snap_->resolver, snap_->key_cache.get(), questions,
                                                Deadline::after(snap_->settings.verify_time));
        for (std::size_t i = 0; i < got.size() && i < questions.size(); ++i)
            answers[questions[i].name] = key_answer(got[i]);
    }
    return [answers = std::move(answers)](std::string_view domain, std::string_view selector) {
        const auto it = answers.find(key_id(domain, selector));
        return it == answers.end() ? KeyAnswer{KeyAnswer::Kind::TempError, {}} : it->second;
    };
}

void DkimSession::remove_forged_results(milter::MessageEdits& edits) const {
    // Highest index first: removing one never renumbers those still to be removed.
    for (auto it = forged_results_.rbegin(); it != forged_results_.rend(); ++it)
        edits.delete_header(std::string(kAuthResults), *it);
}

Reply DkimSession::failure(std::string_view queue_id, std::string_view what) {
    const bool tempfail = snap_->settings.failure_action == milter::FailureAction::Tempfail && !snap_->settings.dry_run;
    log::error("{}", log::DecisionLine(queue_id, "dkim", "error")
                         .add("reason", what)
                         .finish(tempfail ? "tempfail" : "continue"));
    if (tempfail) return Reply::tempfail("DKIM processing failed, try again later", "451", "4.3.0");
    return Reply::cont();
}

}  // namespace mw::dkim
