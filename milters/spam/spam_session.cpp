#include "milters/spam/spam_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <utility>

#include "common/base/ascii.hpp"
#include "common/log/decision_line.hpp"
#include "common/log/logger.hpp"
#include "common/net/ip_address.hpp"
#include "milters/spam/message_scorer.hpp"
#include "milters/spam/spam_headers.hpp"

namespace mw::spam {

using milter::Reply;

namespace {

constexpr std::string_view kStatusField = "X-Spam-Checker-Status";

std::string strip_brackets(std::string_view a) {
    if (a.size() >= 2 && a.front() == '<' && a.back() == '>') a = a.substr(1, a.size() - 2);
    return std::string(a);
}

bool is_spam_field(std::string_view name) {
    return name.size() >= 7 && iequals_ascii(name.substr(0, 7), "X-Spam-");
}

std::string tests_field(const SpamVerdict& v) {
    std::string out;
    for (const auto& t : v.tests) {
        if (!out.empty()) out += ',';
        out += t.name;
    }
    return out.empty() ? "none" : out;
}

}  // namespace

milter::MilterSpec spam_milter_spec(const SpamSettings& settings) {
    using milter::Step;
    using milter::wire::MacroStage;
    milter::MilterSpec s;
    s.name = "mailwarden-spam";
    s.steps = {Step::Connect, Step::Helo, Step::Mail, Step::Rcpt, Step::Header, Step::Eoh, Step::Body};
    s.no_reply = {Step::Header};
    s.macros_at(MacroStage::Connect) = {"j", "client_addr", "client_name"};
    s.macros_at(MacroStage::Mail) = {"i", "auth_type", "auth_authen"};
    s.macros_at(MacroStage::Eom) = {"i"};
    s.actions.add_headers = true;
    s.actions.change_headers = true;
    s.actions.quarantine = true;
    s.on_failure = settings.failure_action;
    return s;
}

std::shared_ptr<SpamSnapshot> make_spam_snapshot(SpamSettings settings, std::shared_ptr<const CompiledRules> rules) {
    auto snap = std::make_shared<SpamSnapshot>();
    snap->settings = std::move(settings);
    snap->rules = std::move(rules);
    snap->scorers = std::make_unique<ScorerPool>(*snap->rules);
    return snap;
}

SpamSession::SpamSession(std::shared_ptr<const SpamSnapshot> snapshot) : snap_(std::move(snapshot)) {}

Reply SpamSession::on_connect(const milter::ConnectInfo& client, const milter::Macros&) {
    envelope_.client_address = client.address;
    envelope_.client_name = client.host_name;
    auto ip = net::IpAddress::parse(client.address);
    internal_ = ip && snap_->settings.internal_hosts.contains(*ip);
    return Reply::cont();
}

Reply SpamSession::on_helo(std::string_view helo, const milter::Macros&) {
    envelope_.helo = std::string(helo);
    return Reply::cont();
}

Reply SpamSession::on_mail(const std::vector<std::string>& args, const milter::Macros& macros) {
    reset_message();
    envelope_.mail_from = args.empty() ? std::string() : strip_brackets(args[0]);
    envelope_.authenticated = !macros.get_or("auth_authen", "").empty();
    envelope_.rcpts.clear();
    return Reply::cont();
}

Reply SpamSession::on_rcpt(const std::vector<std::string>& args, const milter::Macros&) {
    if (!args.empty() && envelope_.rcpts.size() < 1000) envelope_.rcpts.push_back(strip_brackets(args[0]));
    return Reply::cont();
}

void SpamSession::append(std::string_view text) {
    size_ += text.size();
    if (message_.size() >= snap_->settings.max_message_size) return;
    message_.append(text.substr(0, snap_->settings.max_message_size - message_.size()));
}

Reply SpamSession::on_header(std::string_view name, std::string_view value) {
    auto it = std::find_if(field_counts_.begin(), field_counts_.end(),
                           [&](const auto& p) { return iequals_ascii(p.first, name); });
    if (it == field_counts_.end()) it = field_counts_.insert(field_counts_.end(), {std::string(name), 0});
    ++it->second;
    if (is_spam_field(name)) incoming_spam_fields_.emplace_back(std::string(name), it->second);
    if (!has_subject_ && iequals_ascii(name, "Subject")) {
        has_subject_ = true;
        subject_ = std::string(value);
    }
    // Incoming X-Spam-* fields are removed before delivery, so rules must not see them either.
    if (is_spam_field(name)) return Reply::cont();
    append(name);
    append(": ");
    append(value);
    append("\n");
    return Reply::cont();
}

Reply SpamSession::on_eoh(const milter::Macros&) {
    append("\n");
    in_body_ = true;
    return Reply::cont();
}

Reply SpamSession::on_body(std::string_view chunk) {
    // CRLF -> LF: rules are written for the message as SpamAssassin reads it from spamc.
    std::size_t from = 0;
    for (auto cr = chunk.find("\r\n"); cr != std::string_view::npos; cr = chunk.find("\r\n", from)) {
        append(chunk.substr(from, cr - from));
        from = cr + 1;   // the LF stays
    }
    append(chunk.substr(from));
    // Past the bound nothing more is needed: ask the MTA to skip the rest of the body.
    return size_ > snap_->settings.max_message_size ? Reply::skip() : Reply::cont();
}

ClientPolicy SpamSession::policy() const {
    if (envelope_.authenticated) return snap_->settings.authenticated;
    if (internal_) return snap_->settings.internal;
    return ClientPolicy::Scan;
}

void SpamSession::strip_incoming(milter::MessageEdits& edits) const {
    // Highest occurrence first, so earlier indexes stay valid whatever the MTA does on delete.
    for (auto it = incoming_spam_fields_.rbegin(); it != incoming_spam_fields_.rend(); ++it)
        edits.delete_header(it->first, it->second);
}

Reply SpamSession::unscanned(milter::MessageEdits& edits, const milter::Macros& macros, std::string_view why) {
    strip_incoming(edits);
    edits.add_header(std::string(kStatusField), fmt::format("not scanned: {}", why));
    log::DecisionLine line(macros.get_or("i", ""), "spam", "unscanned");
    line.add("reason", why);
    log::info("{}", line.finish("continue"));
    return Reply::cont();
}

Reply SpamSession::on_eom(milter::MessageEdits& edits, const milter::Macros& macros) {
    const SpamSettings& set = snap_->settings;
    const ClientPolicy who = policy();
    if (who == ClientPolicy::Skip) {
        log::DecisionLine line(macros.get_or("i", ""), "spam", "skipped");
        line.add("client", envelope_.authenticated ? "authenticated" : "internal");
        log::info("{}", line.finish("continue"));
        return Reply::cont();
    }
    if (size_ > set.max_message_size)
        return unscanned(edits, macros, fmt::format("size {} over max_message_size {}", size_, set.max_message_size));

    const ScoredMessage scored = snap_->scorers->acquire()->score(message_, envelope_, set, std::time(nullptr));
    const SpamVerdict& v = scored.verdict;

    strip_incoming(edits);
    for (auto& [name, value] : spam_header_fields(v, set.add_report)) edits.add_header(name, value);
    if (scored.timed_out || scored.truncated)
        edits.add_header(std::string(kStatusField), scored.timed_out ? "partly scanned: scan_timeout reached"
                                                                     : "partly scanned: " + scored.truncated_why);
    if (v.spam && !set.subject_tag.empty()) {
        if (has_subject_) edits.change_header("Subject", 1, set.subject_tag + " " + subject_);
        else edits.add_header("Subject", set.subject_tag);
    }

    std::string action = "continue";
    Reply reply = Reply::cont();
    const bool may_refuse = who == ClientPolicy::Scan;
    if (may_refuse && set.reject_score > 0 && v.score >= set.reject_score) {
        action = "reject";
        reply = Reply::reject(fmt::format("Message refused as spam (score {})", format_score(v.score)));
    } else if (may_refuse && set.quarantine_score > 0 && v.score >= set.quarantine_score) {
        action = "hold";
        reply = Reply::quarantine(fmt::format("spam score {}", format_score(v.score)));
    }
    std::string dry_action;
    if (set.dry_run && action != "continue") {
        dry_action = std::exchange(action, "continue");
        reply = Reply::cont();
    }

    log::DecisionLine line(macros.get_or("i", ""), "spam", v.spam ? "yes" : "no");
    line.add("score", format_score(v.score)).add("required", format_score(v.required));
    line.add("tests", tests_field(v));
    if (scored.timed_out) line.add("timeout", "yes");
    if (scored.truncated) line.add("truncated", scored.truncated_why);
    line.add("dry_run", dry_action);
    log::info("{}", line.finish(action));
    reset_message();
    return reply;
}

void SpamSession::on_abort() { reset_message(); }

void SpamSession::reset_message() {
    message_.clear();
    size_ = 0;
    in_body_ = false;
    incoming_spam_fields_.clear();
    field_counts_.clear();
    has_subject_ = false;
    subject_.clear();
}

}  // namespace mw::spam
