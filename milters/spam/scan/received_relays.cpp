// parse_received_line of SA 4.0.1 Received.pm: normalising, the fields every shape shares (id,
// helo=, by, auth), the dispatch on "from" / "FROM" / "(from", and the final clean-up.
#include "milters/spam/scan/received_relays.hpp"

#include <fmt/format.h>

#include "milters/spam/scan/capture_regex.hpp"
#include "milters/spam/scan/received_shapes.hpp"

namespace mw::spam {

namespace {

/// SA: s/\s+/ /g; s/^ //; s/ $//; 1 while s/\s?;$//;
std::string normalise(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        if (!space) out += c;
        else if (out.empty() || out.back() != ' ') out += ' ';
    }
    if (!out.empty() && out.front() == ' ') out.erase(0, 1);
    if (!out.empty() && out.back() == ' ') out.pop_back();
    while (!out.empty() && out.back() == ';') {
        out.pop_back();
        if (!out.empty() && out.back() == ' ') out.pop_back();
    }
    return out;
}

/// The lines SA ignores before looking at them closely.
bool ignored_early(const std::string& line) {
    static const CaptureRegex kFrom(R"(^\(?from )", true), kWithLocalFor(R"(\bwith local for\b)");
    static const CaptureRegex kNoIp(R"(^from (\S+) by [^\s;]+ ?;)", true), kBracketIp(R"(^\[[\d.]+\]$)");
    if (!kFrom.search(line) || kWithLocalFor.search(line)) return true;
    Captures c;
    return kNoIp.search(line, &c) && !kBracketIp.search(c[1]);
}

void strip_date(std::string& line) {
    static const CaptureRegex kDate(
        R"([\s;]+(?:(?:Mon|T(?:ue|hu)|Wed|Fri|S(?:at|un)), )?\d+ (?:J(?:an|u[nl])|Feb|Ma[ry]|A(?:pr|ug)|Sep|Oct|Nov|Dec) \d+ \d+:\d+(?::\d+)? \S+$)");
    static const CaptureRegex kParenBy(R"(\)by )");
    kDate.replace(line, "");
    kParenBy.replace(line, ") by ");
}

void common_fields(ReceivedState& s) {
    static const CaptureRegex kId(R"( id <?([^\s<>;]{3,}))");
    static const CaptureRegex kHeloEq(R"(\bhelo=([-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]+)(?:[^-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]|$))");
    static const CaptureRegex kHeloCmd(R"(\b(?:HELO|EHLO) ([-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]+)(?:[^-A-Za-z0-9\.\^+_&:=?!@%*\$\\\/]|$))");
    static const CaptureRegex kBy(R"( by (\S+)(?:[^-A-Za-z0-9\;\.]|$))");
    Captures c;
    if (kId.search(s.line, &c)) s.relay.id = c.str(1);
    if (kHeloEq.search(s.line, &c) || kHeloCmd.search(s.line, &c)) s.relay.helo = c.str(1);
    if (kBy.search(s.line, &c)) s.relay.by = c.str(1);
}

struct AuthShape {
    CaptureRegex guard;   // SA tests a cheap condition first; both must match
    CaptureRegex re;
    const char* name;     // fixed auth= text, or nullptr to use group 1
};

std::string auth_from_shapes(const std::string& line);

/// The authentication markers of SA's big elsif chain (RFC 3848 "with ESMTPA" and MTA quirks).
std::string auth_token(const std::string& line) {
    static const CaptureRegex kBy(R"( by )");
    static const CaptureRegex kRfc3848(R"( with ((?:ES|L|UTF8S|UTF8L)MTPS?A|ASMTP|HTTP[SU]?)(?: |;|$))", true);
    static const CaptureRegex kGmail(
        R"( by mx\.google\.com with ESMTPS id [a-z0-9]{1,4}sm[0-9]{2,9}[a-z]{3}\.[0-9]{1,3}\.[0-9]{4}\.(?:[0-6][0-9]\.){4}[0-6][0-9])");
    static const CaptureRegex kGmailTls(R"(\(version=([^ ]+) cipher=([^\)]+)\))");
    Captures c;
    const bool by = kBy.search(line);
    if (by && kRfc3848.search(line, &c)) return c.str(1);
    if (kGmail.search(line) && kGmailTls.search(line, &c))
        return "GMail - transport=" + c.str(1) + " cipher=" + c.str(2);
    return auth_from_shapes(line);
}

std::string auth_from_shapes(const std::string& line) {
    static const CaptureRegex kCourier(R"(^from .*?(?:\]\)|\)\]) \(AUTH: (LOGIN|PLAIN|DIGEST-MD5|CRAM-MD5) \S+(?:, .*?)?\) by )");
    static const CaptureRegex kAuthd(R"(authenticated)");
    static const CaptureRegex kSendmail(R"(^from .*?(?:\](?: \([^)]*\))?\)|\)\]) .*?\(.*?authenticated.*?\).*? by)");
    static const CaptureRegex kGmx(R"(from \S* \((?:HELO|EHLO) (\S*)\) \[(@IP@)\] by (mail\.gmx\.(?:net|com)) \([^\)]+\) with ((?:ESMTP|SMTP)))");
    static const CaptureRegex kCpGuard(R"( \(authenticated as )");
    static const CaptureRegex kCp(R"(\) by .+ \(\d{1,2}\.\d\.\d{3}(?:\.\d{1,3})?\) \(authenticated as .+\) id )");
    static const CaptureRegex kPostfix(R"(\) \(Authenticated sender: \S+\) by \S+ \(([^\)]+)\) with )");
    static const CaptureRegex kCgp(R"(CommuniGate Pro (HTTP|SMTP|XIMSS|IMAP))"), kCgpAccount(R"( \(account )");
    static const CaptureRegex kDav(R"( with Microsoft Exchange Server HTTP-DAV\b)");
    static const CaptureRegex kBy(R"( by )"), kVia(R"( \(via (HTTP.?)\)(?: |;|$))", true);
    Captures c;
    if (kCourier.search(line, &c)) return c.str(1);
    if (kAuthd.search(line) && kSendmail.search(line)) return "Sendmail";
    if (kGmx.search(line, &c)) return "GMX (" + c.str(4) + " / " + c.str(3) + ")";
    if (kCpGuard.search(line) && kCp.search(line)) return "CriticalPath";
    if (kPostfix.search(line, &c)) return c[1] == "Postfix" ? std::string("Postfix") : "Postfix (" + c.str(1) + ")";
    if (kCgp.search(line) && kCgpAccount.search(line)) return "Communigate";
    if (kDav.search(line)) return "HTTP-DAV";
    if (kBy.search(line) && kVia.search(line, &c)) return c.str(1);
    return "";
}

ShapeResult dispatch(ReceivedState& s) {
    if (s.line.rfind("from ", 0) == 0) {
        s.line.erase(0, 5);
        return parse_from_shapes(s);
    }
    if (s.line.rfind("FROM ", 0) == 0) {
        s.line.erase(0, 5);
        return parse_upper_from_shapes(s);
    }
    if (s.line.rfind("(from ", 0) == 0) {
        s.line.erase(0, 6);
        return parse_paren_from_shapes(s);
    }
    return ShapeResult::NoMatch;
}

/// SA's $strip_chars: white space, NUL, # [ ] ( ) < > | become '!'.
void strip_chars(std::string& v) {
    for (char& c : v)
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '\0' ||
            c == '#' || c == '[' || c == ']' || c == '(' || c == ')' || c == '<' || c == '>' || c == '|')
            c = '!';
}

void clean_envfrom(std::string& v) {
    static const CaptureRegex kLead(R"(^\s*<*)"), kTrail(R"(>*\s*$)");
    kLead.replace(v, "", true);
    kTrail.replace(v, "", true);
    strip_chars(v);
}

void clean_ip(std::string& ip) {
    static const CaptureRegex kV6Prefix(R"(^ipv6:)", true), kOpen(R"(^\[)"), kClose(R"(\]\z)");
    static const CaptureRegex kZone(R"(%[A-Z0-9._~-]*\z)", true);
    static const CaptureRegex kMapped(R"(^0*:0*:(?:0*:)*ffff:(\d+\.\d+\.\d+\.\d+)$)", true);
    kV6Prefix.replace(ip, "");
    kOpen.replace(ip, "");
    kClose.replace(ip, "");
    kZone.replace(ip, "");
    Captures c;
    if (kMapped.search(ip, &c)) ip = c.str(1);   // IPv4-mapped: treat as IPv4
}

/// SA's "enough:" block: tidy the fields and flag how the rDNS is known.
void finish(ReceivedState& s) {
    Relay& r = s.relay;
    while (!r.rdns.empty() && r.rdns.back() == '.') r.rdns.pop_back();   // SA bug 7810
    static const CaptureRegex kUnknown(R"(^unknown$)", true);
    if (kUnknown.search(r.rdns) || (!r.rdns.empty() && r.rdns.front() == '[')) r.rdns.clear();
    clean_ip(r.ip);
    if (!r.by.empty() && r.by.back() == ';') r.by.pop_back();
    for (std::string* v : {&r.ip, &r.rdns, &r.helo, &r.by, &r.ident}) strip_chars(*v);
    if (s.has_envfrom) clean_envfrom(r.envfrom);
    if (r.rdns.empty()) {
        r.no_reverse_dns = s.looked_up_dns;
        r.rdns_not_in_headers = !s.looked_up_dns;
    }
    r.ip_private = ip_is_private(r.ip);
}

ReceivedParse finish_qmail_scanner(ReceivedState& s) {
    ReceivedParse out;
    out.kind = ReceivedKind::Skipped;
    out.qmail_scanner = true;
    if (s.has_envfrom) {
        out.qmail_scanner_envfrom = s.relay.envfrom;
        clean_envfrom(out.qmail_scanner_envfrom);
    }
    return out;
}

ReceivedParse with_kind(ReceivedKind kind) {
    ReceivedParse out;
    out.kind = kind;
    return out;
}

}  // namespace

ReceivedParse parse_received(std::string_view value) {
    ReceivedState s;
    s.line = normalise(value);
    if (ignored_early(s.line)) return with_kind(ReceivedKind::Skipped);
    strip_date(s.line);
    common_fields(s);
    s.relay.auth = auth_token(s.line);
    const ShapeResult r = dispatch(s);
    if (r == ShapeResult::Skip) return with_kind(ReceivedKind::Skipped);
    if (r == ShapeResult::QmailScanner) return finish_qmail_scanner(s);
    if (r == ShapeResult::Fetcher) {
        ReceivedParse out = with_kind(ReceivedKind::Skipped);
        out.fetcher_marker = true;
        return out;
    }
    if (r == ShapeResult::NoMatch) {
        // SA's fall-through: any bracketed address plus a "by" will do.
        static const CaptureRegex kAnyIp(R"(\[(@IP@)\])");
        Captures c;
        if (s.relay.ip.empty() && kAnyIp.search(s.line, &c)) s.relay.ip = c.str(1);
        if (s.relay.ip.empty() || s.relay.by.empty()) return with_kind(ReceivedKind::Unparseable);
    }
    finish(s);
    ReceivedParse out = with_kind(ReceivedKind::Relay);
    out.relay = std::move(s.relay);
    return out;
}

std::string relay_as_string(const Relay& r) {
    return fmt::format("[ ip={} rdns={} helo={} by={} ident={} envfrom={} intl={} id={} auth={} msa={} ]", r.ip,
                       r.rdns, r.helo, r.by, r.ident, r.envfrom, r.internal ? 1 : 0, r.id, r.auth, r.msa ? 1 : 0);
}

namespace {

const std::string& private_pattern() {
    static const std::string p = [] {
        const std::string v4 = R"((?:10|127|169\.254|172\.(?:1[6-9]|2[0-9]|3[01])|192\.168|100\.(?:6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7]))\..*)";
        const std::string z = "0{1,4}", one = "0{0,3}1";
        const std::string mapped = "(?:(?:" + z + ":){5}ffff:|::(?:" + z + ":){0,4}ffff:|(?:" + z + ":){1,4}:ffff:|" + z +
                                   "::(?:" + z + ":){1,3}ffff:|(?:" + z + ":){2}:0{1,2}:ffff:|(?:" + z +
                                   ":){3}:0:ffff:|(?:" + z + ":){4}:ffff:)" + v4;
        const std::string loop = "(?:" + z + ":){7}" + one + "|:(?::" + z + "){0,6}:" + one + "|" + z + ":(?::" + z +
                                 "){0,5}:" + one + "|(?:" + z + ":){2}(?::" + z + "){0,4}:" + one + "|(?:" + z +
                                 ":){3}(?::" + z + "){0,3}:" + one + "|(?:" + z + ":){4}(?::" + z + "){0,2}:" + one +
                                 "|(?:" + z + ":){5}(?::" + z + "){0,1}:" + one + "|(?:" + z + ":){6}:" + one;
        return "^(?:" + v4 + "|(?:IPv6:|(?<![a-f0-9:]))(?:" + mapped + "|fe[89ab][0-9a-f]:.*|" + loop +
               ")(?![a-f0-9:]))";
    }();
    return p;
}

}  // namespace

bool ip_is_private(std::string_view ip) {
    static const CaptureRegex kPrivate(private_pattern(), true);
    return kPrivate.search(ip);
}

bool ip_is_private_exact(std::string_view ip) {
    static const CaptureRegex kPrivate(private_pattern() + "$", true);
    return kPrivate.search(ip);
}

bool is_ipv4_address(std::string_view text) {
    static const CaptureRegex kV4(
        R"(^\b(?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d)\.(?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d)\.(?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d)\.(?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d)\b$)");
    return kV4.search(text);
}

}  // namespace mw::spam
