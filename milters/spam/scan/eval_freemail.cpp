// SpamAssassin's FreeMail plugin (Plugin/FreeMail.pm, SA 4.0.1): is the sender, the Reply-To or
// an address offered in the body at a freemail domain (freemail_domains), and do they differ, as
// in advance-fee fraud that asks for replies to another free mailbox. check_freemail_from,
// check_freemail_header, check_freemail_body and check_freemail_replyto ('replyto', 'reply').
// The body scan (body_emails.hpp) runs only when the header checks leave the answer to it, and at
// most once per message (ScanInput::body_freemails). Thread-safe given one ScanInput per thread.
#include <algorithm>

#include "common/base/ascii.hpp"
#include "milters/spam/regex/pcre_regex.hpp"
#include "milters/spam/rules/rule_set.hpp"
#include "milters/spam/scan/body_emails.hpp"
#include "milters/spam/scan/eval_registry.hpp"
#include "milters/spam/scan/freemail_domains.hpp"
#include "milters/spam/scan/header_text.hpp"

namespace mw::spam {

namespace {

/// FreeMail.pm turns itself off when no freemail_domains are configured.
bool freemail_available(const ScanInput& in) { return in.freemail && !in.freemail->empty(); }

const FreemailSettings& settings(const ScanInput& in) {
    static const FreemailSettings defaults;
    return in.config ? in.config->freemail : defaults;
}

/// FreeMail.pm's _is_freemail; `email` lower-case.
bool is_freemail(const ScanInput& in, std::string_view email) {
    // FreeMail.pm's own welcomelist: role accounts and machine-made local parts (bounces, list
    // requests, message ids, forwarding addresses) are no person's free mailbox.
    static const auto machine_made = PcreRegex::compile(
        {"^(?:abuse|support|sales|info|helpdesk|contact|kontakt|(?:post|host|domain)master|undisclosed.*"
         "|request-[a-f0-9]{16}|bounced?-"
         "|[a-f0-9]{8}(?:\\.[a-f0-9]{8}|-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})|.+=.+=.+)\\@",
         true});
    const auto at = email.rfind('@');
    if (at == std::string_view::npos || !freemail_available(in)) return false;
    const std::string_view domain = email.substr(at + 1);
    const auto& welcome = settings(in).welcomelist;
    if (welcome.find(email) != welcome.end() || welcome.find(domain) != welcome.end()) return false;
    if (machine_made->search(email, eval_match_scratch())) return false;
    return in.freemail->contains(domain);
}

std::vector<std::string> lower_addresses(const ScanInput& in, std::string_view header) {
    auto out = header_addresses(in.message->headers, header, in.envelope.mail_from);
    for (auto& a : out) a = to_lower_ascii(a);
    return out;
}

bool any_freemail(const ScanInput& in, const std::vector<std::string>& emails) {
    return std::any_of(emails.begin(), emails.end(), [&](const std::string& e) { return is_freemail(in, e); });
}

/// FreeMail.pm's _parse_body, once per message: the body's freemail addresses, or `skipped` when
/// the body holds so many addresses (or freemail addresses) that they say nothing about the sender.
const BodyFreemails& body_freemails(const ScanInput& in) {
    if (in.body_freemails) return *in.body_freemails;
    BodyFreemails& out = in.body_freemails.emplace();
    const FreemailSettings& s = settings(in);
    const bool skip_over_max = s.skip_when_over_max != 0;
    double all = 0, free = 0;
    for (const std::string& email : find_body_emails(*in.message)) {
        // SA counts with ==: a limit of 0 (or a fraction) never skips.
        if (++all == s.max_body_emails && skip_over_max) {
            out.skipped = true;
            break;
        }
        if (!is_freemail(in, email)) continue;
        if (++free == s.max_body_freemails && skip_over_max) {
            out.skipped = true;
            break;
        }
        out.emails.push_back(email);
    }
    if (out.skipped) out.emails.clear();
    return out;
}

bool freemail_match(const ScanInput& in, const std::vector<std::string>& emails, const std::string* regex) {
    const PcreRegex* re = regex ? cached_eval_regex(*regex) : nullptr;
    for (const auto& e : emails) {
        const std::string email = to_lower_ascii(e);
        if (!is_freemail(in, email)) continue;
        if (!regex) return true;
        if (re && re->search(email, eval_match_scratch())) return true;
    }
    return false;
}

std::string regex_arg_ok(const std::string& pattern) {
    return PcreRegex::compile({pattern}) ? "" : "regex does not compile: " + pattern;
}

int freemail_header(const ScanInput& in, const EvalArgs& a) {
    const auto emails = header_addresses(in.message->headers, a[0], in.envelope.mail_from);
    return freemail_match(in, emails, a.size() > 1 ? &a[1] : nullptr) ? 1 : 0;
}

int freemail_from(const ScanInput& in, const EvalArgs& a) {
    // SA's all_from_addrs: From, Envelope-Sender, Resent-Sender, Resent-From, X-Envelope-From...
    std::vector<std::string> from;
    for (const char* h : {"From", "Envelope-Sender", "Resent-Sender", "Resent-From", "EnvelopeFrom"}) {
        auto v = header_addresses(in.message->headers, h, in.envelope.mail_from);
        from.insert(from.end(), v.begin(), v.end());
    }
    return freemail_match(in, from, a.empty() ? nullptr : &a[0]) ? 1 : 0;
}

int freemail_body(const ScanInput& in, const EvalArgs& a) {
    if (!freemail_available(in)) return 0;
    const BodyFreemails& body = body_freemails(in);
    if (body.skipped) return 0;
    if (a.empty()) return body.emails.empty() ? 0 : 1;
    const PcreRegex* re = cached_eval_regex(a[0]);
    for (const auto& email : body.emails)
        if (re && re->search(email, eval_match_scratch())) return 1;
    return 0;
}

/// FreeMail.pm skips senders that look like lists or robots: replies there go elsewhere anyway.
bool bulk_envelope_sender(const ScanInput& in) {
    static const auto bulk = PcreRegex::compile(
        {"(?:^(?:post|host|domain)master|^double-bounce|^(?:sentto|owner|return|(?:gr)?bounced?)-.+"
         "|-(?:request|bounces?|admin|owner)|\\b(?:do[._-t]?)?no[._-t]?repl(?:y|ies)|.+=.+)\\@",
         true});
    return bulk->search(in.envelope.mail_from, eval_match_scratch()).has_value();
}

/// check_freemail_replyto: From and Reply-To are different freemail addresses, or the body offers
/// a freemail address other than the Reply-To ('replyto'), or other than the Reply-To or, without
/// one, the From ('reply').
int freemail_replyto(const ScanInput& in, const EvalArgs& a) {
    if (!freemail_available(in)) return 0;
    const bool reply = !a.empty() && a[0] == "reply";
    if (settings(in).skip_bulk_envfrom != 0 && bulk_envelope_sender(in)) return 0;
    const auto from = lower_addresses(in, "From");
    const auto replyto = lower_addresses(in, "Reply-To");
    const bool from_fm = any_freemail(in, from), replyto_fm = any_freemail(in, replyto);
    const bool from_in_replyto = std::any_of(from.begin(), from.end(), [&](const std::string& f) {
        return std::find(replyto.begin(), replyto.end(), f) != replyto.end();
    });
    if (from_fm && replyto_fm && !from_in_replyto) return 1;
    // As FreeMail.pm: 'reply' always needs a freemail From, even with a freemail Reply-To.
    if (!reply && !replyto_fm) return 0;
    if (reply && ((!replyto.empty() && !replyto_fm) || !from_fm)) return 0;
    const BodyFreemails& body = body_freemails(in);
    if (body.skipped) return 0;
    const auto& reply_addrs = !reply || replyto_fm ? replyto : from;
    for (const auto& b : body.emails)
        for (const auto& r : reply_addrs)
            if (b != r) return 1;
    return 0;
}

std::string optional_regex(const EvalArgs& a) {
    if (a.size() > 1) return "takes an optional regex";
    return a.size() == 1 ? regex_arg_ok(a[0]) : std::string();
}

}  // namespace

void register_freemail_evals(EvalRegistry& r) {
    r.add("check_freemail_header", {freemail_header, [](const EvalArgs& a) {
              if (a.empty() || a.size() > 2) return std::string("takes a header name and an optional regex");
              return a.size() == 2 ? regex_arg_ok(a[1]) : std::string();
          }});
    r.add("check_freemail_from", {freemail_from, optional_regex});
    r.add("check_freemail_body", {freemail_body, optional_regex});
    r.add("check_freemail_replyto", {freemail_replyto, [](const EvalArgs& a) {
              if (a.size() > 1 || (a.size() == 1 && a[0] != "replyto" && a[0] != "reply"))
                  return std::string("takes 'replyto' or 'reply'");
              return std::string();
          }});
}

}  // namespace mw::spam
