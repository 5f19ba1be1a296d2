// SpamAssassin's eval tests on the relay analysis (Plugin/RelayEval.pm: check_all_trusted,
// check_no_relays, check_relays_unparseable, helo_ip_mismatch, check_for_no_rdns_dotcom_helo,
// check_for_numeric_helo, check_for_sender_no_reverse, check_for_forged_received_trail,
// check_for_forged_received_ip_helo) and the Received-based forgery checks of
// Plugin/HeaderEval.pm (forged Yahoo, Hotmail and Gmail). All read ScanInput::relays (no
// relays = no hit for relay tests) and the message headers. Pure; thread-safe.
#include <cctype>
#include <optional>
#include <vector>

#include "common/base/ascii.hpp"

#include "milters/spam/scan/capture_regex.hpp"
#include "milters/spam/scan/eval_registry.hpp"
#include "milters/spam/scan/header_text.hpp"
#include "milters/spam/scan/relay_trust.hpp"

namespace mw::spam {

namespace {

const RelayAnalysis kNoRelays;

const RelayAnalysis& relays_of(const ScanInput& in) { return in.relays ? *in.relays : kNoRelays; }

int all_trusted(const ScanInput& in, const EvalArgs&) {
    const auto& r = relays_of(in);
    return !r.trusted.empty() && r.untrusted.empty() && r.unparseable == 0 ? 1 : 0;
}

int no_relays(const ScanInput& in, const EvalArgs&) {
    if (!in.relays) return 0;   // not analysed: we cannot tell
    const auto& r = *in.relays;
    return r.trusted.empty() && r.untrusted.empty() && r.unparseable == 0 ? 1 : 0;
}

int relays_unparseable(const ScanInput& in, const EvalArgs&) { return relays_of(in).unparseable ? 1 : 0; }

/// The first three octets and the dot ("1.2.3."), as SA's /^(\d+\.\d+\.\d+\.)/.
std::string_view slash24(std::string_view ip) {
    std::size_t dots = 0;
    for (std::size_t i = 0; i < ip.size(); ++i)
        if (ip[i] == '.' && ++dots == 3) return ip.substr(0, i + 1);
    return {};
}

int helo_ip_mismatch(const ScanInput& in, const EvalArgs&) {
    for (const auto& r : relays_of(in).untrusted) {
        if (!is_ipv4_address(r.helo) || ip_is_private_exact(r.helo)) continue;
        if (!is_ipv4_address(r.ip) || ip_is_private_exact(r.ip) || r.helo == r.ip) continue;
        auto prefix = slash24(r.helo);
        if (!prefix.empty() && r.ip.rfind(prefix, 0) != 0) return 1;   // same /24 is fine
    }
    return 0;
}

int no_rdns_dotcom_helo(const ScanInput& in, const EvalArgs&) {
    static const CaptureRegex kDotcom(
        R"((?:\.|^)(lycos\.com|lycos\.co\.uk|hotmail\.com|localhost\.com|excite\.com|caramail\.com|cs\.com|aol\.com|msn\.com|yahoo\.com|drizzle\.com)$)",
        true);
    // SA resets its flag on every public relay and keeps the last verdict.
    int hit = 0;
    for (const auto& r : relays_of(in).untrusted) {
        if (r.ip_private) continue;
        hit = kDotcom.search(r.helo) && r.no_reverse_dns ? 1 : 0;
    }
    return hit;
}

int numeric_helo(const ScanInput& in, const EvalArgs&) {
    static const CaptureRegex kHelo(
        R"(\bhelo=((?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d)\.(?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d)\.(?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d)\.(?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d)\b)(?=[\000-\040,;\[()<>]|\z))",
        true);
    Captures c;
    return kHelo.search(relays_of(in).untrusted_str, &c) && !ip_is_private_exact(c[1]) ? 1 : 0;
}

int sender_no_reverse(const ScanInput& in, const EvalArgs&) {
    const auto& u = relays_of(in).untrusted;
    if (u.empty()) return 0;
    const Relay& r = u.back();
    return r.rdns.find('.') != std::string::npos && !r.ip_private ? 1 : 0;
}


// --- RelayEval.pm _check_for_forged_received -------------------------------------------------

/// SA hostname_to_domain: the last two labels (three under short ccTLDs), IPs unchanged.
std::string hostname_to_domain(const std::string& host) {
    static const CaptureRegex kAlpha("[a-zA-Z]"), kLongTld(R"((?:\S{3,}|ie|fr|de))");
    if (!kAlpha.search(host)) return host;
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= host.size(); ++i) {
        if (i == host.size() || host[i] == '.') {
            parts.push_back(host.substr(start, i - start));
            start = i + 1;
        }
    }
    while (!parts.empty() && parts.back().empty()) parts.pop_back();   // Perl's split drops them
    const std::size_t n = parts.size();
    if (n > 1 && kLongTld.search(parts[n - 1])) return parts[n - 2] + "." + parts[n - 1];
    if (n > 2) return parts[n - 3] + "." + parts[n - 2] + "." + parts[n - 1];
    return host;
}

struct ForgedCounts {
    int mismatch_from = 0, mismatch_ip_helo = 0;
};

bool ip_helo_mismatch(const std::string& hlo, const std::string& fip) {
    static const CaptureRegex kQuad(R"(^(\d+\.\d+)\.\d+\.\d+$)");
    Captures h, f;
    if (!kQuad.search(hlo, &h) || !kQuad.search(fip, &f) || fip == hlo) return false;
    return h[1] != f[1] && !ip_is_private_exact(hlo);   // private HELOs: a legit screw-up
}

ForgedCounts forged_received(const ScanInput& in) {
    static const CaptureRegex kHost(R"(^\w+(?:[\w.-]+\.)+\w+$)"), kLocal(R"(^localhost(?:\.localdomain)?$)");
    const auto& u = relays_of(in).untrusted;
    std::vector<std::optional<std::string>> from;
    for (const auto& r : u) from.emplace_back(hostname_to_domain(to_lower_ascii(r.rdns)));
    ForgedCounts n;
    for (std::size_t i = 0; i < u.size(); ++i) {
        const std::string by = hostname_to_domain(to_lower_ascii(u[i].by));
        if (!kHost.search(by)) continue;
        if (from[i] && kLocal.search(*from[i]) && u[i].ip == "127.0.0.1") from[i].reset();
        if (ip_helo_mismatch(hostname_to_domain(to_lower_ascii(u[i].helo)), u[i].ip)) ++n.mismatch_ip_helo;
        if (i == 0 || !from[i - 1]) continue;
        const std::string& prev = *from[i - 1];
        const bool welcome = by == "msn.com" && prev == "hotmail.com";
        if (kHost.search(prev) && by != prev && !welcome) ++n.mismatch_from;
    }
    return n;
}

// --- HeaderEval.pm: Received forgeries of the big freemailers -------------------------------

std::string get(const ScanInput& in, const char* name, HeaderTarget::Modifier m = HeaderTarget::Modifier::None) {
    HeaderTarget t;
    t.name = name;
    if (m != HeaderTarget::Modifier::None) t.modifiers.push_back(m);
    return header_text(in.message->headers, t, in.envelope.mail_from).value_or("");
}

std::optional<std::string> get_defined(const ScanInput& in, const char* name) {
    HeaderTarget t;
    t.name = name;
    return header_text(in.message->headers, t, in.envelope.mail_from);
}

std::string spaces_collapsed(std::string text) {
    static const CaptureRegex kSpace(R"(\s+)");
    kSpace.replace(text, " ", true);
    return text;
}

/// SA gated_through_received_hdr_remover: ezmlm and MSN groups drop Received fields.
bool received_remover(const ScanInput& in) {
    static const CaptureRegex kEzmlmMultiline(R"((?m)^contact \S+\@\S+\; run by ezmlm$)");
    static const CaptureRegex kDlto(R"((?m)^mailing list \S+\@\S+)");
    static const CaptureRegex kQmail(R"(qmail \d+ invoked (?:from network|by .{3,20})\); \d+ ... \d+)");
    static const CaptureRegex kMsn(R"(from groups\.msn\.com \(\S+\.msn\.com )");
    auto list = get_defined(in, "Mailing-List");
    if (list && kEzmlmMultiline.search(*list) && kDlto.search(get(in, "Delivered-To")) &&
        kQmail.search(get(in, "Received")))
        return true;
    auto rcvd = get_defined(in, "Received");
    if (!rcvd) return true;   // no Received fields at all: these tests cannot run
    return kMsn.search(*rcvd);
}

std::string regex_quote(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') out += '\\';
        out += c;
    }
    return out;
}

/// SA check_for_msn_groups_headers (Hotmail hands its mail to MSN Groups directly).
bool msn_groups(const ScanInput& in) {
    static const CaptureRegex kTo(R"(<(\S+)\@groups\.msn\.com>)", true);
    static const CaptureRegex kPickup(R"(from mail pickup service by ((?:p\d\d\.)groups\.msn\.com)\b)");
    Captures to, server;
    const std::string to_text = get(in, "To");
    const std::string rcvd = get(in, "Received");
    if (!kTo.search(to_text, &to) || !kPickup.search(rcvd, &server)) return false;
    const std::string list = to.str(1), msgid = get(in, "Message-Id");
    if (list == "notifications") return CaptureRegex("^<\\S+\\@" + regex_quote(server[1]) + ">").search(msgid);
    return CaptureRegex("^<" + regex_quote(list) + "-\\S+\\@groups\\.msn\\.com>").search(msgid) &&
           CaptureRegex(regex_quote(list) + "-bounce\\@groups\\.msn\\.com").search(in.envelope.mail_from);
}

enum class HotmailVerdict { Fine, Forged, NoHotmailReceived };

bool hotmail_genuine(const ScanInput& in, const std::string& rcvd) {
    static const CaptureRegex kIpAny("@IP@"), kOrigOrg(R"(hotmail\.com|msonline\-outlook)");
    static const CaptureRegex kA(R"(from (?:\S*\.)?hotmail.com \(\S+\.hotmail(?:\.msn)?\.com[ \)])");
    static const CaptureRegex kB(R"(from \S*\.outbound\.protection\.outlook\.com \(\S+\.outbound\.protection\.outlook\.com[ \)])");
    static const CaptureRegex kC(R"(from \S*\.(?:eur|nam)prd\d+\.prod\.outlook\.com \(@IP@\))");
    static const CaptureRegex kD(R"(from \S*\.hotmail.com \(\[@IP@\][ \):])");
    static const CaptureRegex kE(R"(from \S+ by \S+\.hotmail(?:\.msn)?\.com with HTTP\;)");
    static const CaptureRegex kF(R"(from \[66\.218.\S+\] by \S+\.yahoo\.com)");
    auto ip_h = get_defined(in, "X-Originating-Ip"), org_h = get_defined(in, "X-OriginatorOrg");
    const bool ip = ip_h && kIpAny.search(*ip_h), org = org_h && kOrigOrg.search(*org_h);
    return (ip && (kA.search(rcvd) || kD.search(rcvd) || kE.search(rcvd) || kF.search(rcvd))) ||
           (org && (kB.search(rcvd) || kC.search(rcvd)));
}

HotmailVerdict hotmail(const ScanInput& in) {
    static const CaptureRegex kPickup(R"(from mail pickup service by hotmail\.com with Microsoft SMTPSVC;)");
    static const CaptureRegex kClaims(R"((?:from |HELO |helo=)\S*hotmail\.com\b)");
    static const CaptureRegex kFrom(R"(\bhotmail\.com$)", true);
    const std::string rcvd = spaces_collapsed(get(in, "Received"));
    if (kPickup.search(rcvd) || msn_groups(in) || received_remover(in) || hotmail_genuine(in, rcvd))
        return HotmailVerdict::Fine;
    if (kClaims.search(rcvd)) return HotmailVerdict::Forged;   // HELO'd as hotmail.com, is not
    if (!kFrom.search(get(in, "From", HeaderTarget::Modifier::Addr))) return HotmailVerdict::Fine;
    return HotmailVerdict::NoHotmailReceived;
}

bool yahoo_genuine(const std::string& rcvd, const std::string& from) {
    static const std::vector<CaptureRegex> kShapes = [] {
        std::vector<CaptureRegex> v;
        for (const char* re : {R"(by web\S+\.mail\S*\.yahoo\.com via HTTP)", R"(by sonic\S+\.consmr\.mail\S*\.yahoo\.com with HTTP)",
                               R"(by smtp\S+\.yahoo\.com with SMTP)", R"(from \[@IP@\] by \S+\.(?:groups|scd|dcn)\.yahoo\.com with NNFMP)",
                               R"(by \w+\.\w+\.yahoo\.com \(\d+\.\d+\.\d+\/\d+\.\d+\.\d+\)(?: with ESMTP)? id \w+)"})
            v.emplace_back(re);
        return v;
    }();
    static const CaptureRegex kBulk(R"(\bmailer\d+\.bulk\.scd\.yahoo\.com\b)"), kReply(R"(\@reply\.yahoo\.com$)", true);
    for (const auto& re : kShapes)
        if (re.search(rcvd)) return true;
    return kBulk.search(rcvd) && kReply.search(from);
}

int forged_yahoo(const ScanInput& in, const EvalArgs&) {
    static const CaptureRegex kFrom(R"(\byahoo\.com$)", true);
    static const CaptureRegex kTrusted(R"( rdns=\S+\.yahoo\.com )"), kFirstUntrusted(R"(^[^\]]+ rdns=\S+\.yahoo\.com )");
    const std::string from = get(in, "From", HeaderTarget::Modifier::Addr);
    if (!kFrom.search(from)) return 0;
    std::string rcvd = get(in, "Received");
    if (!get(in, "Resent-From").empty() && !get(in, "Resent-To").empty()) {
        std::string x = get(in, "X-Received");
        if (!x.empty()) rcvd = x;
    }
    rcvd = spaces_collapsed(rcvd);
    if (received_remover(in)) return 0;
    const auto& r = relays_of(in);
    if (kTrusted.search(r.trusted_str) || kFirstUntrusted.search(r.untrusted_str)) return 0;   // SA bugs 3740, 4528
    return yahoo_genuine(rcvd, from) ? 0 : 1;
}

int forged_gmail(const ScanInput& in, const EvalArgs&) {
    static const CaptureRegex kFrom(R"(\bgmail\.com$)", true);
    static const CaptureRegex kX10(R"(by 10\.\S+ with SMTP id \S+)"), kX2002(R"(by 2002\:a\d\d\:\w+\:\S+ with SMTP id \S+)");
    static const CaptureRegex kSmtp(R"(by smtp\.googlemail\.com with ESMTPSA id \S+)");
    constexpr std::size_t kGoogleHeaderMin = 60;   // GOOGLE_MESSAGE_STATE / SMTP_SOURCE_LENGTH_MIN
    if (!kFrom.search(get(in, "From", HeaderTarget::Modifier::Addr))) return 0;
    const std::string xr = get(in, "X-Received");
    if (kX10.search(xr) || kX2002.search(xr) || kSmtp.search(get(in, "Received"))) return 0;
    const bool google = get(in, "X-Gm-Message-State").size() >= kGoogleHeaderMin &&
                        get(in, "X-Google-Smtp-Source").size() >= kGoogleHeaderMin;
    return google ? 0 : 1;
}

}  // namespace

void register_relay_evals(EvalRegistry& r) {
    r.add("check_all_trusted", {all_trusted, no_args});
    r.add("check_no_relays", {no_relays, no_args});
    r.add("check_relays_unparseable", {relays_unparseable, no_args});
    r.add("helo_ip_mismatch", {helo_ip_mismatch, no_args});
    r.add("check_for_no_rdns_dotcom_helo", {no_rdns_dotcom_helo, no_args});
    r.add("check_for_numeric_helo", {numeric_helo, no_args});
    r.add("check_for_sender_no_reverse", {sender_no_reverse, no_args});
    r.add("check_for_forged_received_trail", {[](const ScanInput& in, const EvalArgs&) {
              return forged_received(in).mismatch_from > 1 ? 1 : 0;
          }, no_args});
    r.add("check_for_forged_received_ip_helo", {[](const ScanInput& in, const EvalArgs&) {
              return forged_received(in).mismatch_ip_helo > 0 ? 1 : 0;
          }, no_args});
    r.add("check_for_forged_hotmail_received_headers", {[](const ScanInput& in, const EvalArgs&) {
              return hotmail(in) == HotmailVerdict::Forged ? 1 : 0;
          }, no_args});
    r.add("check_for_no_hotmail_received_headers", {[](const ScanInput& in, const EvalArgs&) {
              return hotmail(in) == HotmailVerdict::NoHotmailReceived ? 1 : 0;
          }, no_args});
    r.add("check_for_forged_yahoo_received_headers", {forged_yahoo, no_args});
    r.add("check_for_forged_gmail_received_headers", {forged_gmail, no_args});
}

}  // namespace mw::spam
