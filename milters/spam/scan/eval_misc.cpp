// SpamAssassin's smaller HeaderEval tests: gateways that strip Received fields, fake AOL relays,
// unusable Message-IDs, illegal characters in headers, the recipient's name in the Subject,
// header counts, unresolved templates, ratware Message-IDs, envelope sender = From, sorted
// recipient lists. Semantics follow SA 4.0.1's Plugin/HeaderEval.pm. Pure; thread-safe.
#include <algorithm>
#include <cctype>
#include <set>

#include "common/base/ascii.hpp"
#include "milters/spam/scan/capture_regex.hpp"
#include "milters/spam/scan/eval_registry.hpp"
#include "milters/spam/scan/header_text.hpp"

namespace mw::spam {

namespace {

using Mod = HeaderTarget::Modifier;

/// SA's $pms->get(name): every instance, newline-joined; nullopt when absent.
std::optional<std::string> get_opt(const ScanInput& in, std::string_view name, std::vector<Mod> mods = {}) {
    HeaderTarget t;
    t.kind = HeaderTarget::Kind::Named;
    if (name == "ToCc") t.kind = HeaderTarget::Kind::ToCc;
    if (name == "EnvelopeFrom") t.kind = HeaderTarget::Kind::EnvelopeFrom;
    if (name == "MESSAGEID") t.kind = HeaderTarget::Kind::MessageId;
    if (name == "ALL") t.kind = HeaderTarget::Kind::All;
    t.name = std::string(name);
    t.modifiers = std::move(mods);
    return header_text(in.message->headers, t, in.envelope.mail_from);
}

std::string get(const ScanInput& in, std::string_view name, std::vector<Mod> mods = {}) {
    return get_opt(in, name, std::move(mods)).value_or("");
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

bool matches(const CaptureRegex& re, std::string_view text) { return re.search(text); }

int gated_through_received_hdr_remover(const ScanInput& in, const EvalArgs&) {
    static const CaptureRegex ezmlm("(?m)^contact \\S+\\@\\S+\\; run by ezmlm$");
    static const CaptureRegex list_dlto("(?m)^mailing list \\S+\\@\\S+");
    static const CaptureRegex qmail("qmail \\d+ invoked (?:from network|by .{3,20})\\); \\d+ ... \\d+");
    static const CaptureRegex msn("from groups\\.msn\\.com \\(\\S+\\.msn\\.com ");
    auto list = get_opt(in, "Mailing-List");
    if (list && matches(ezmlm, *list) && matches(list_dlto, get(in, "Delivered-To")) &&
        matches(qmail, get(in, "Received")))
        return 1;
    auto rcvd = get_opt(in, "Received");
    if (!rcvd) return 1;
    return matches(msn, *rcvd);
}

int messageid_not_usable(const ScanInput& in, const EvalArgs& a) {
    static const CaptureRegex unsub("<mailto:(?:leave-\\S+|\\S+-unsubscribe)\\@\\S+>$", true);
    if (matches(unsub, get(in, "List-Unsubscribe"))) return 1;
    if (gated_through_received_hdr_remover(in, a)) return 1;
    const std::string rcvd = get(in, "Received");
    return rcvd.find("/CWT/DCE)") != std::string::npos || rcvd.find("iPlanet Messaging Server") != std::string::npos;
}

std::string squeeze_spaces(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (is_space_ascii(c)) {
            if (out.empty() || out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

int fake_aol_relay(const ScanInput& in, const EvalArgs&) {
    static const CaptureRegex rly(" rly-[a-z][a-z]\\d\\d\\.", true);
    static const CaptureRegex aol("/AOL-\\d+\\.\\d+\\.\\d+\\)");
    static const CaptureRegex aolish("ESMTP id (?:RELAY|MAILRELAY|MAILIN)");
    const std::string rcvd = squeeze_spaces(get(in, "Received"));
    if (!matches(rly, rcvd)) return 0;
    return !matches(aol, rcvd) && !matches(aolish, rcvd);
}

/// Perl's is_valid_utf_8 on bytes: well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF).
bool valid_utf8(std::string_view s) {
    static const CaptureRegex utf8(
        "^(?:[\\x00-\\x7F]|[\\xC2-\\xDF][\\x80-\\xBF]|\\xE0[\\xA0-\\xBF][\\x80-\\xBF]|[\\xE1-\\xEC\\xEE\\xEF][\\x80-\\xBF]{2}"
        "|\\xED[\\x80-\\x9F][\\x80-\\xBF]|\\xF0[\\x90-\\xBF][\\x80-\\xBF]{2}|[\\xF1-\\xF3][\\x80-\\xBF]{3}"
        "|\\xF4[\\x80-\\x8F][\\x80-\\xBF]{2})*$");
    return utf8.search(s);
}

int illegal_chars(const ScanInput& in, const EvalArgs& a) {
    std::string name = a[0];
    if (name.ends_with(":raw")) name.resize(name.size() - 4);
    auto value = get_opt(in, name, {Mod::Raw});
    if (!value || std::all_of(value->begin(), value->end(), [](char c) { return is_space_ascii(c); })) return 0;
    const std::string& s = *value;
    auto count = [&](auto pred) {
        return static_cast<double>(std::count_if(s.begin(), s.end(), [&](char c) { return pred(static_cast<unsigned char>(c)); }));
    };
    const bool high = count([](unsigned char c) { return c >= 0x80; }) > 0;
    const double controls = count([](unsigned char c) { return c <= 0x08 || c == 0x0b || c == 0x0c || (c >= 0x0e && c <= 0x1f); });
    if (high && valid_utf8(s) && controls == 0) return 0;
    double illegal = controls + count([](unsigned char c) { return c >= 0x7f; });
    if (illegal > 0 && iequals_ascii(name, "subject") && count([](unsigned char c) { return c == 0xa2 || c == 0xa3 || c == 0xae; }) == 1)
        --illegal;   // SA: one cent, pound or (R) sign is fine in a Subject
    const double ratio = std::stod(a[1]), min = std::stod(a[2]);
    return illegal / static_cast<double>(s.size()) >= ratio && illegal >= min;
}

std::string illegal_chars_args(const EvalArgs& a) {
    if (a.size() != 3) return "takes a header, a ratio and a count";
    if (a[0] == "ALL" || (a[0].find(':') != std::string::npos && !a[0].ends_with(":raw"))) return "header " + a[0] + " not supported";
    try {
        (void)std::stod(a[1]), (void)std::stod(a[2]);
    } catch (...) {
        return "ratio and count must be numbers";
    }
    return "";
}

std::string quote_meta(std::string_view s) {
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (!(std::isalnum(u) || c == '_' || u >= 0x80)) out += '\\';
        out += c;
    }
    return out;
}

int to_in_subject(const ScanInput& in, const EvalArgs& a) {
    const std::string to = first_line(get(in, "To", {Mod::Addr}));
    if (to.empty()) return 0;
    const std::string subject = get(in, "Subject");
    if (a[0] == "address") return CaptureRegex("\\b" + quote_meta(to) + "\\b", true).search(subject);
    const std::string user = quote_meta(to.substr(0, to.find('@')));
    const CaptureRegex re("^(?:(?:re|fw):\\s*(?:\\w+\\s+)?" + user + "$|(?-i:" + user + ")\\s*[,:;!?-](?:$|\\s)|" + user +
                              "$|,\\s*" + user + "[,:;!?-]$)",
                          true);
    return re.search(subject);
}

std::string address_or_user(const EvalArgs& a) {
    return a.size() == 1 && (a[0] == "address" || a[0] == "user") ? "" : "takes 'address' or 'user'";
}

int header_count_range(const ScanInput& in, const EvalArgs& a) {
    std::set<std::string_view> distinct;
    for (auto v : header_values(in.message->headers, a[0])) distinct.insert(v);
    const auto n = static_cast<double>(distinct.size());
    return n >= std::stod(a[1]) && n <= std::stod(a[2]);
}

std::string header_and_range(const EvalArgs& a) {
    if (a.size() != 3 || a[0].find(':') != std::string::npos) return "takes a header name, a minimum and a maximum";
    try {
        (void)std::stod(a[1]), (void)std::stod(a[2]);
    } catch (...) {
        return "minimum and maximum must be numbers";
    }
    return "";
}

int unresolved_template(const ScanInput& in, const EvalArgs&) {
    static const CaptureRegex tmpl("%[A-Z][A-Z_-]");
    static const CaptureRegex exempt(
        "^(?:X-VMS-To|X-UIDL|X-Face|To|Cc|From|Subject|References|In-Reply-To|(?:X-|Resent-|X-Original-)?Message-Id):", true);
    const std::string all = get(in, "ALL");
    std::size_t start = 0;
    while (start < all.size()) {
        std::size_t nl = all.find('\n', start);
        if (nl == std::string::npos) nl = all.size();
        const std::string_view line(all.data() + start, nl - start);
        if (tmpl.search(line) && !exempt.search(line)) return 1;
        start = nl + 1;
    }
    return 0;
}

int ratware_name_id(const ScanInput& in, const EvalArgs&) {
    static const CaptureRegex id("<[A-Z]{28}\\.([^>]+?)>");
    Captures c;
    const std::string mid = get(in, "MESSAGEID");
    if (!id.search(mid, &c)) return 0;
    return CaptureRegex("\"[^\"]+\"\\s*<" + quote_meta(c[1]) + ">").search(get(in, "From"));
}

int env_matches_from(const ScanInput& in, const EvalArgs&) {
    return to_lower_ascii(first_line(get(in, "EnvelopeFrom", {Mod::Addr}))) ==
           to_lower_ascii(first_line(get(in, "From", {Mod::Addr})));
}

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        std::size_t nl = s.find('\n', start);
        if (nl == std::string::npos) nl = s.size();
        out.push_back(s.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

int sorted_recipients(const ScanInput& in, const EvalArgs&) {
    constexpr std::size_t kSimilarCount = 5, kSortedCount = 7, kMaxAddresses = 256;   // SA's TOCC_*
    std::vector<std::string> inputs = lines_of(get(in, "ToCc", {Mod::Addr}));
    if (inputs.size() < kSimilarCount) {
        auto bcc = lines_of(get(in, "Bcc", {Mod::Addr}));
        inputs.insert(inputs.end(), bcc.begin(), bcc.end());
    }
    std::vector<std::string> address;
    std::string previous;
    for (const auto& cur : inputs) {
        if (cur.empty() || cur == "0") break;   // Perl's while (shift) stops on a false value
        if (to_lower_ascii(cur) != to_lower_ascii(previous)) address.push_back(previous = cur);
        if (address.size() == kMaxAddresses) break;
    }
    return address.size() >= kSortedCount && std::is_sorted(address.begin(), address.end());
}

}  // namespace

void register_misc_evals(EvalRegistry& r) {
    r.add("gated_through_received_hdr_remover", {gated_through_received_hdr_remover, no_args});
    r.add("check_messageid_not_usable", {messageid_not_usable, no_args});
    r.add("check_for_fake_aol_relay_in_rcvd", {fake_aol_relay, no_args});
    r.add("check_illegal_chars", {illegal_chars, illegal_chars_args});
    r.add("check_for_to_in_subject", {to_in_subject, address_or_user});
    r.add("check_header_count_range", {header_count_range, header_and_range});
    r.add("check_unresolved_template", {unresolved_template, no_args});
    r.add("check_ratware_name_id", {ratware_name_id, no_args});
    r.add("check_for_matching_env_and_hdr_from", {env_matches_from, no_args});
    r.add("sorted_recipients", {sorted_recipients, no_args});
}

}  // namespace mw::spam
