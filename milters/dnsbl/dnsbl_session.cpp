#include "milters/dnsbl/dnsbl_session.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"
#include "common/log/logger.hpp"
#include "common/mail/author_address.hpp"
#include "milters/dnsbl/reply_variables.hpp"
#include "milters/dnsbl/score_header.hpp"

namespace mw::dnsbl {

namespace {

using milter::Reply;
using table::AccessKind;

std::string unbracket(std::string_view a) {
    if (a.size() >= 2 && a.front() == '<' && a.back() == '>') a = a.substr(1, a.size() - 2);
    return std::string(a);
}

std::string domain_of(std::string_view address) {
    const auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string() : to_lower_ascii(address.substr(at + 1));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool within(std::string_view name, std::string_view domain) {
    if (iequals_ascii(name, domain)) return true;
    return name.size() > domain.size() + 1 && name[name.size() - domain.size() - 1] == '.' &&
           iequals_ascii(name.substr(name.size() - domain.size()), domain);
}

// "554 5.7.1 text" (or "554 text") as a milter reply; anything but 4NN/5NN falls back to 554
// 5.7.1 with the whole text, so a template typo can never accept or garble the reply.
Reply parsed_reply(const std::string& text, bool temporary) {
    const char cls = temporary ? '4' : '5';
    std::string code = temporary ? "450" : "554", dsn = std::string(1, cls) + ".7.1", rest = text;
    const bool has_code = text.size() >= 4 && (text[0] == '4' || text[0] == '5') && is_digit(text[1]) &&
                          is_digit(text[2]) && text[3] == ' ';
    if (has_code) {
        code = text.substr(0, 3);
        rest = text.substr(4);
        const auto sp = rest.find(' ');
        const std::string first = rest.substr(0, sp);
        if (first.size() >= 5 && first[0] == code[0] && first[1] == '.' &&
            first.find_first_not_of("0123456789.") == std::string::npos) {
            dsn = first;
            rest = sp == std::string::npos ? std::string() : rest.substr(sp + 1);
        } else {
            dsn = std::string(1, code[0]) + ".7.1";
        }
    }
    return code[0] == '4' ? Reply::tempfail(rest, code, dsn) : Reply::reject(rest, code, dsn);
}

// Postfix's smtpd_check reply for an access(5) match: "<WHAT>: CLASS rejected: TEXT", with
// "Access denied" when the entry has no text, so log watchers see the same lines as before.
Reply access_reply(const table::AccessAction& a, std::string_view what, std::string_view reply_class) {
    switch (a.kind) {
        case AccessKind::Reject:
        case AccessKind::Defer: {
            const std::string text = fmt::format("<{}>: {} rejected: {}", what, reply_class,
                                                 a.text.empty() ? "Access denied" : a.text);
            const std::string code = std::to_string(a.reply_code());
            return code[0] == '4' ? Reply::tempfail(text, code, a.dsn) : Reply::reject(text, code, a.dsn);
        }
        case AccessKind::Discard: return Reply::discard();
        case AccessKind::Hold: return Reply::quarantine(a.text.empty() ? "held by sender/client access" : a.text);
        default: return Reply::cont();
    }
}

std::string join_zones(const DnsblResult& r, DnsblStatus status) {
    std::string out;
    for (const auto& o : r.sites) {
        if (o.status != status) continue;
        if (!out.empty()) out += ',';
        out += o.site.display_zone;
    }
    return out;
}

}  // namespace

void DnsblSnapshot::refresh_tables() const {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(refresh_mu_);
        if (now < next_refresh_) return;
        next_refresh_ = now + settings.table_check_interval;
    }
    for (const auto& e : settings.client_access->refresh())
        log::error("client_access reload failed, keeping the old table: {}", e.to_string());
    for (const auto& e : settings.sender_access->refresh())
        log::error("sender_access reload failed, keeping the old table: {}", e.to_string());
}

Result<bool> attach_checker(DnsblSnapshot& snap) {
    snap.cache = std::make_unique<dns::AnswerCache>(snap.settings.cache);
    snap.checker = std::make_unique<DnsblChecker>(snap.settings.sites, *snap.resolver, snap.cache.get(),
                                                  snap.settings.checker);
    return true;
}

milter::MilterSpec dnsbl_milter_spec(const DnsblSettings& settings) {
    using milter::Step;
    using milter::wire::MacroStage;
    milter::MilterSpec s;
    s.name = "mailwarden-dnsbl";
    s.steps = {Step::Connect, Step::Helo, Step::Mail, Step::Rcpt, Step::Header, Step::Eoh};
    s.no_reply = {Step::Header};
    s.macros_at(MacroStage::Connect) = {"j", "client_addr", "client_name"};
    s.macros_at(MacroStage::Mail) = {"i", "auth_type", "auth_authen"};
    s.macros_at(MacroStage::Eom) = {"i"};
    s.actions.add_headers = true;
    s.actions.quarantine = true;
    s.on_failure = settings.failure_action;
    return s;
}

DnsblSession::DnsblSession(std::shared_ptr<const DnsblSnapshot> snapshot) : snap_(std::move(snapshot)) {}

Reply DnsblSession::on_connect(const milter::ConnectInfo& client, const milter::Macros& macros) {
    snap_->refresh_tables();
    client_address_ = client.address;
    client_ip_ = net::IpAddress::parse(client.address)
                     ? std::optional<net::IpAddress>(*net::IpAddress::parse(client.address)) : std::nullopt;
    const bool named = !client.host_name.empty() && client.host_name.front() != '[' && client.host_name != "unknown";
    client_name_ = named ? to_lower_ascii(client.host_name) : std::string();
    if (client_ip_ && snap_->settings.internal_hosts.contains(*client_ip_)) skip_ = "internal_hosts";
    return at_stage(RejectStage::Connect, macros, "");
}

Reply DnsblSession::on_helo(std::string_view helo, const milter::Macros& macros) {
    helo_ = to_lower_ascii(helo);
    return at_stage(RejectStage::Helo, macros, "");
}

Reply DnsblSession::on_mail(const std::vector<std::string>& args, const milter::Macros& macros) {
    reset_message();
    snap_->refresh_tables();   // each message of a long session sees an edited table too
    sender_ = args.empty() ? std::string() : unbracket(args[0]);
    if (snap_->settings.skip_authenticated && !macros.get_or("auth_authen", "").empty() && skip_.empty())
        skip_ = "authenticated";
    return at_stage(RejectStage::Mail, macros, "");
}

Reply DnsblSession::on_rcpt(const std::vector<std::string>& args, const milter::Macros& macros) {
    const std::string rcpt = args.empty() ? std::string() : unbracket(args[0]);
    if (always_accepted(rcpt)) return Reply::cont();
    const auto stage = snap_->settings.stage;
    // An earlier stage's decision stands; a refusal there already ended the transaction.
    return stage == RejectStage::Rcpt ? at_stage(stage, macros, rcpt) : Reply::cont();
}

Reply DnsblSession::on_header(std::string_view name, std::string_view value) {
    if (!iequals_ascii(name, "From")) return Reply::cont();
    if (from_seen_) {
        from_address_.clear();   // several From: fields: no single author to look up
        return Reply::cont();
    }
    from_seen_ = true;
    from_address_ = mail::author_address(value).value_or("");
    return Reply::cont();
}

Reply DnsblSession::on_eoh(const milter::Macros& macros) {
    if (!snap_->settings.uses_from_header() || !skip_.empty()) return Reply::cont();
    // The From: checks need the header: decided now, refusing the whole message.
    if (decision_ && decision_->reply.decides()) return Reply::cont();
    decision_.reset();
    logged_ = false;
    auto d = decide("");
    decision_ = std::move(d);
    return finish(*decision_, macros, "");
}

Reply DnsblSession::on_eom(milter::MessageEdits& edits, const milter::Macros& macros) {
    if (!decision_) {   // reject_stage never reached with a recipient (all always-accepted): score only
        decision_ = decide("");
        Decision quiet = *decision_;
        quiet.reply = Reply::cont();
        finish(quiet, macros, "");
    }
    if (!decision_->header.empty()) edits.add_header(snap_->settings.score_header, " " + decision_->header);
    const auto colon = decision_->prepend.find(':');
    if (colon != std::string::npos)
        edits.insert_header(0, decision_->prepend.substr(0, colon), decision_->prepend.substr(colon + 1));
    const bool hold = decision_->reply.kind == Reply::Kind::Quarantine && !snap_->settings.dry_run;
    return hold ? decision_->reply : Reply::cont();
}

void DnsblSession::on_abort() { reset_message(); }

void DnsblSession::reset_message() {
    sender_.clear();
    from_address_.clear();
    from_seen_ = false;
    decision_.reset();
    logged_ = false;
    if (skip_ == "authenticated") skip_.clear();
}

bool DnsblSession::always_accepted(std::string_view recipient) const {
    const std::string r = to_lower_ascii(recipient);
    const auto at = r.rfind('@');
    const std::string local = at == std::string::npos ? r : r.substr(0, at);
    for (const auto& a : snap_->settings.always_accept)
        if (a == r || a == local) return true;
    return false;
}

Reply DnsblSession::at_stage(RejectStage stage, const milter::Macros& macros, std::string_view recipient) {
    if (stage != snap_->settings.stage) return Reply::cont();
    if (!decision_) decision_ = decide(recipient);
    return finish(*decision_, macros, recipient);
}

DnsblSession::Decision DnsblSession::decide(std::string_view recipient) const {
    if (!skip_.empty()) return Decision{Reply::cont(), "skipped", {{"skipped", skip_}}, {}, {}};
    if (auto d = access_decision()) return *d;
    return lists_decision(recipient);
}

// client_access, then sender_access (and the From: address): the first match that is neither
// DUNNO nor WARN (which is only logged).
std::optional<DnsblSession::Decision> DnsblSession::access_decision() const {
    const auto& s = snap_->settings;
    const auto senders = s.sender_access->snapshot();
    auto by_address = [&](const std::string& address) {
        return table::find_in_order(senders, [&](const table::AccessTable& t) { return t.find_address(address, s.lookup); });
    };
    struct Source {
        const char* name;
        const char* reply_class;   // Postfix's words in the reply
        std::string what;
        std::optional<table::AccessMatch> match;
    };
    const Source sources[] = {
        {"client_access", "Client host", (client_name_.empty() ? "unknown" : client_name_) + "[" + client_address_ + "]",
         client_ip_ ? table::find_in_order(s.client_access->snapshot(),
                                           [&](const table::CidrTable& t) { return t.find(*client_ip_); })
                    : std::nullopt},
        {"sender_access", "Sender address", sender_, by_address(sender_)},
        {"from_access", "Header address", from_address_,
         s.check_from_header && !from_address_.empty() ? by_address(from_address_) : std::nullopt},
    };
    for (const auto& src : sources) {
        if (!src.match || src.match->action.kind == AccessKind::Dunno) continue;
        const auto& m = *src.match;
        if (m.action.kind == AccessKind::Warn) {
            log::warning("{}: {} {}:{} {}: WARN {}", src.what, src.name, m.pos.file, m.pos.line, m.key, m.action.text);
            continue;
        }
        Decision d{access_reply(m.action, src.what, src.reply_class), src.name, {}, {}, {}};
        d.fields = {{"table", fmt::format("{}:{}", m.pos.file, m.pos.line)}, {"key", m.key},
                    {"access", table::to_string(m.action.kind)}};
        if (m.action.kind == AccessKind::Ok) d.result = std::string(src.name) + "_ok";
        if (m.action.kind == AccessKind::Prepend) d.prepend = m.action.text;
        return d;
    }
    return std::nullopt;
}

DnsblSession::Decision DnsblSession::lists_decision(std::string_view recipient) const {
    const auto& s = snap_->settings;
    if (client_ip_ && s.allow_clients.contains(*client_ip_))
        return Decision{Reply::cont(), "skipped", {{"skipped", "allow_clients"}}, {}, {}};
    const std::string sender_domain = domain_of(sender_);
    for (const auto& d : s.allow_sender_domains)
        if (!sender_domain.empty() && within(sender_domain, d))
            return Decision{Reply::cont(), "skipped", {{"skipped", "allow_sender_domains"}}, {}, {}};
    if (s.sites.empty()) return Decision{Reply::cont(), "none", {}, {}, {}};
    const DnsblResult result = snap_->checker->check({client_ip_, client_name_, helo_, sender_, from_address_});
    Decision d;
    d.result = to_string(result.verdict(s.thresholds));
    d.fields = {{"score", std::to_string(result.score)}, {"listed", join_zones(result, DnsblStatus::Listed)},
                {"failed", join_zones(result, DnsblStatus::Failed)}};
    if (s.score_only) {
        d.header = render_score_header(result);
        return d;
    }
    if (result.verdict(s.thresholds) == DnsblVerdict::Blocked) {
        std::string text;
        d.reply = refusal(result, recipient, text);
    } else if (result.all_failed() && s.tempfail_when_all_failed) {
        d.result = "error";
        d.reply = Reply::tempfail("DNS lists unavailable, try again later", "451", "4.7.1");
    }
    return d;
}

Reply DnsblSession::refusal(const DnsblResult& result, std::string_view recipient, std::string& text_out) const {
    const SiteOutcome* top = result.strongest_listing();
    ReplyVariables v;
    v.client_address = client_address_;
    v.client_name = client_name_.empty() ? "unknown" : client_name_;
    v.reverse_client_name = v.client_name;
    v.helo_name = helo_;
    v.sender = sender_;
    v.recipient = std::string(recipient);
    if (top) v.set_listing(*top);
    text_out = top ? snap_->settings.reply_for(top->site).expand(v) : std::string("554 Service unavailable");
    return parsed_reply(text_out, false);
}

Reply DnsblSession::finish(Decision& d, const milter::Macros& macros, std::string_view recipient) {
    const bool refuses = d.reply.decides() || d.reply.kind == Reply::Kind::Quarantine;
    const bool dry = refuses && snap_->settings.dry_run;
    if (!logged_) {
        logged_ = true;
        log::DecisionLine line(macros.get_or("i", ""), "dnsbl", d.result);
        line.add("client", client_name_.empty() ? "unknown[" + client_address_ + "]"
                                                : client_name_ + "[" + client_address_ + "]");
        line.add("helo", helo_).add("from", sender_.empty() && decision_ ? "<>" : sender_).add("to", recipient);
        for (const auto& [k, v] : d.fields) line.add(k, v);
        if (d.reply.decides()) line.add("reply", d.reply.code + " " + d.reply.dsn + " " + d.reply.text);
        std::string action = "continue";
        switch (d.reply.kind) {
            case Reply::Kind::Reject: action = "reject"; break;
            case Reply::Kind::Tempfail: action = "tempfail"; break;
            case Reply::Kind::Discard: action = "discard"; break;
            case Reply::Kind::Quarantine: action = "hold"; break;
            case Reply::Kind::Accept: action = "accept"; break;
            default: break;
        }
        if (dry) line.add("dry_run", action);
        log::info("{}", line.finish(dry ? "continue" : action));
    }
    if (dry) return Reply::cont();
    if (d.reply.kind == Reply::Kind::Quarantine) return Reply::cont();   // applied at end of message
    if (d.reply.kind == Reply::Kind::Accept) return Reply::cont();       // OK: later recipients too
    return d.reply;
}

}  // namespace mw::dnsbl
