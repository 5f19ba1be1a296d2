// Transliteration of the "from" part of SA 4.0.1 Received.pm parse_received_line: same patterns,
// same order, same field assignments. Comments name the MTA; Received.pm has sample lines.
#include "milters/spam/scan/received_shapes.hpp"

#include <array>
#include <optional>
#include <vector>

#include "milters/spam/scan/capture_regex.hpp"

namespace mw::spam {

namespace {

using Field = std::string Relay::*;
constexpr Field kToHelo = &Relay::helo, kToRdns = &Relay::rdns, kToIp = &Relay::ip, kToBy = &Relay::by,
                kToIdent = &Relay::ident, kToNone = nullptr;

/// One "if (/re/) { $a = $1; $b = $2; ...; goto enough; }" (or "return 0;") of Received.pm.
struct Shape {
    std::optional<CaptureRegex> guard;   // a second condition SA ANDs with the pattern
    CaptureRegex re;
    std::array<Field, 5> fields{};       // group i+1 goes to fields[i]
    bool looked_up_dns = false;
    ShapeResult result = ShapeResult::Enough;
};

Shape enough(const char* re, std::array<Field, 5> fields, bool dns = false) {
    return Shape{std::nullopt, CaptureRegex(re), fields, dns, ShapeResult::Enough};
}
Shape guarded(const char* guard, const char* re, std::array<Field, 5> fields) {
    return Shape{CaptureRegex(guard), CaptureRegex(re), fields, false, ShapeResult::Enough};
}
Shape skip(const char* re) { return Shape{std::nullopt, CaptureRegex(re), {}, false, ShapeResult::Skip}; }

bool assign(const CaptureRegex& re, ReceivedState& s, std::array<Field, 5> fields) {
    Captures c;
    if (!re.search(s.line, &c)) return false;
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i]) s.relay.*fields[i] = c.str(i + 1);
    return true;
}

ShapeResult run(const std::vector<Shape>& shapes, ReceivedState& s) {
    for (const auto& shape : shapes) {
        if (shape.guard && !shape.guard->search(s.line)) continue;
        if (shape.result == ShapeResult::Skip) {
            if (shape.re.search(s.line)) return ShapeResult::Skip;
            continue;
        }
        if (!assign(shape.re, s, shape.fields)) continue;
        if (shape.looked_up_dns) s.looked_up_dns = true;
        return ShapeResult::Enough;
    }
    return ShapeResult::NoMatch;
}

/// SA: `$sub =~ s/key=(\S*)// and $field = $1;` for Exim's "(helo=x ident=y)" comments.
void take_sub(std::string& sub, const CaptureRegex& re, std::string& field) {
    Captures c;
    if (!re.search(sub, &c)) return;
    field = c.str(1);
    sub.erase(c.begin(0), c.end(0) - c.begin(0));
}

void exim_comment(std::string sub, Relay& r) {
    static const CaptureRegex kHeloEq(R"(helo=(\S+))"), kIdentEq(R"(ident=(\S*))");
    take_sub(sub, kHeloEq, r.helo);
    take_sub(sub, kIdentEq, r.ident);
}

ShapeResult webmail(ReceivedState& s) {
    static const CaptureRegex kEnvFrom(R"((?:return-path:? |envelope-(?:sender|from)[ =])(\S+)\b)", true);
    static const CaptureRegex kSquirrel(R"( \((?:SquirrelMail|NaSMail) authenticated user )");
    static const CaptureRegex kSquirrelIp(R"((@IP@)\b(?![.-]).{10,80}by (\S+) with HTTP)");
    static const CaptureRegex kAol(R"(aol\.com)"), kAolUi(R"(with HTTP \(WebMailUI\))");
    static const CaptureRegex kAolIp(R"((@IP@) by (\S+) \(@IP@\) with HTTP \(WebMailUI\))");
    Captures c;
    if (kEnvFrom.search(s.line, &c)) {
        s.relay.envfrom = c.str(1);
        s.has_envfrom = true;
    }
    if (kSquirrel.search(s.line) && assign(kSquirrelIp, s, {kToIp, kToBy})) return ShapeResult::Enough;
    if (kAol.search(s.line) && kAolUi.search(s.line) && assign(kAolIp, s, {kToIp, kToBy}))
        return ShapeResult::Enough;
    return ShapeResult::NoMatch;
}

ShapeResult microsoft_smtpsvc(ReceivedState& s) {
    static const CaptureRegex kShape(R"(^(\S*) \(\[(@IP@)\][^\)]{0,40}\) by (\S+) with Microsoft SMTPSVC)");
    static const CaptureRegex kPickup(R"(^mail pickup service by (\S+) with Microsoft SMTPSVC$)");
    if (assign(kShape, s, {kToHelo, kToIp, kToBy})) return ShapeResult::Enough;
    if (kPickup.search(s.line)) return ShapeResult::Skip;
    return ShapeResult::NoMatch;
}

ShapeResult microsoft_smtp_server(ReceivedState& s) {
    static const CaptureRegex kShape(R"(^(\S+) \(\[?(@IP@)(?:%[A-Z0-9._~-]*)?\]?\) by (\S+) )");
    if (!assign(kShape, s, {kToHelo, kToIp, kToBy})) return ShapeResult::NoMatch;
    s.relay.id.clear();
    return ShapeResult::Enough;
}

ShapeResult xmail(ReceivedState& s) {
    static const CaptureRegex kShape(R"(^(\S+) \((\[?@IP@\]?)(?::\d+)\) by (\S+)(?: \(\S+\))? with \[XMail)");
    static const CaptureRegex kId(R"( id <(\S+)>)"), kFrom(R"( from <(\S+)>)");
    if (!assign(kShape, s, {kToHelo, kToIp, kToBy})) return ShapeResult::NoMatch;
    Captures c;
    if (kId.search(s.line, &c)) s.relay.id = c.str(1);
    if (kFrom.search(s.line, &c)) {
        s.relay.envfrom = c.str(1);
        s.has_envfrom = true;
    }
    return ShapeResult::Enough;
}

ShapeResult ecelerity(ReceivedState& s) {
    static const CaptureRegex kHeloShape(R"(^\(\[(@IP@):\d+\] helo=(\S+)\) by (\S+) )");
    static const CaptureRegex kPlain(R"(^\S+ \(\[(@IP@):\d+\]\) by (\S+) )");
    if (assign(kHeloShape, s, {kToIp, kToHelo, kToBy}) || assign(kPlain, s, {kToIp, kToBy})) return ShapeResult::Enough;
    return ShapeResult::NoMatch;
}

ShapeResult exim_loose(ReceivedState& s) {
    // "attempt to deal with other odd Exim formats; just match little bits"
    static const CaptureRegex kFirst(R"(^(\S+) )"), kParen(R"( \((\S+)\) )");
    static const CaptureRegex kIpDot(R"( \[(@IP@)(?:\.\d+)?\] )"), kBy(R"(by (\S+) )");
    Captures c;
    if (kFirst.search(s.line, &c)) s.relay.rdns = c.str(1);
    if (kParen.search(s.line, &c)) s.relay.helo = c.str(1);
    if (kIpDot.search(s.line, &c)) s.relay.ip = c.str(1);
    if (kBy.search(s.line, &c)) {
        s.relay.by = c.str(1);
        if (!s.relay.ip.empty()) return ShapeResult::Enough;
    }
    return ShapeResult::NoMatch;   // "probably forged. fall through"
}

ShapeResult exim(ReceivedState& s) {
    static const CaptureRegex kLocal(R"(\bwith local(?:-\S+)? )");
    static const CaptureRegex kIpFirst(R"(^\[(@IP@)\] \((.*?)\) by (\S+) )");
    static const CaptureRegex kRdnsFirst(R"(^(\S+) \(\[(@IP@)\](.*?)\) by (\S+) )");
    static const CaptureRegex kBracket(R"(^(\S+) \[(@IP@)\](:\d+)? by (\S+) )");
    if (kLocal.search(s.line)) return ShapeResult::Skip;
    Captures c;
    if (kIpFirst.search(s.line, &c)) {
        s.relay.ip = c.str(1);
        s.relay.by = c.str(3);
        exim_comment(c.str(2), s.relay);
        return ShapeResult::Enough;
    }
    if (kRdnsFirst.search(s.line, &c)) {
        s.relay.rdns = s.relay.helo = c.str(1);   // helo defaults to rdns: SA bug 5112
        s.relay.ip = c.str(2);
        s.relay.by = c.str(4);
        exim_comment(c.str(3), s.relay);
        return ShapeResult::Enough;
    }
    if (kBracket.search(s.line, &c)) {
        s.relay.rdns = s.relay.helo = c.str(1);
        s.relay.ip = c.str(2);
        s.relay.by = c.str(4);
        return ShapeResult::Enough;
    }
    return exim_loose(s);
}

ShapeResult postfix(ReceivedState& s) {
    static const CaptureRegex kShape(R"(^(\S+) \((\S+) \[(@IP@)\]\) by (\S+) )");
    static const CaptureRegex kPobox(R"(^(\S+) \((\S+)\[(@IP@)\]\) by (\S+) )");
    if (!assign(kShape, s, {kToHelo, kToRdns, kToIp, kToBy}) && !assign(kPobox, s, {kToHelo, kToRdns, kToIp, kToBy}))
        return ShapeResult::NoMatch;
    s.looked_up_dns = true;
    if (s.relay.rdns == "unknown") s.relay.rdns.clear();
    return ShapeResult::Enough;
}

ShapeResult scalix(ReceivedState& s) {
    static const CaptureRegex kShape(R"(^(\S+) \( ?(@IP@)\) by (\S+))");
    return assign(kShape, s, {kToHelo, kToIp, kToBy}) ? ShapeResult::Enough : ShapeResult::NoMatch;
}

ShapeResult lotus(ReceivedState& s) {
    static const CaptureRegex kShape(R"(^(\S+) \(\[(@IP@)\]\) by (\S+) \(Lotus)");
    if (!assign(kShape, s, {kToHelo, kToIp, kToBy})) return ShapeResult::NoMatch;
    s.looked_up_dns = false;   // Domino never records the rDNS: SA bug 5926
    return ShapeResult::Enough;
}

/// SA's if/elsif chain on MTA signatures: only the first signature found is tried.
ShapeResult mta_signature(ReceivedState& s) {
    static const CaptureRegex kSmtpsvc(R"( SMTPSVC)");
    static const CaptureRegex kMsServer(
        R"( with (?:Microsoft SMTP Server|mapi id) (?:\([^\)]+\) )?\d+\.\d+\.\d+\.\d+(?:$| ))");
    static const CaptureRegex kXmail(R"(\[XMail )"), kEcelerity(R"(\(ecelerity\b)"), kExim(R"(Exim)");
    static const CaptureRegex kPostfix(R"( \(Postfix\) with)"), kScalix(R"(\(Scalix SMTP Relay)");
    static const CaptureRegex kLotus(R"( \(Lotus Domino )");
    if (kSmtpsvc.search(s.line)) return microsoft_smtpsvc(s);
    if (kMsServer.search(s.line)) return microsoft_smtp_server(s);
    if (kXmail.search(s.line)) return xmail(s);
    if (kEcelerity.search(s.line)) return ecelerity(s);
    if (kExim.search(s.line)) return exim(s);
    if (kPostfix.search(s.line)) return postfix(s);
    if (kScalix.search(s.line)) return scalix(s);
    if (kLotus.search(s.line)) return lotus(s);
    return ShapeResult::NoMatch;
}

ShapeResult http_and_sendmail(ReceivedState& s) {
    static const CaptureRegex kHttp(R"(\bwith HTTP\b)"), kHttpShape(R"(^(@IP@) \(\[@IP@\]\) by (\S+))");
    static const CaptureRegex kQmailLdap(R"( by \S+ \(qmail-\S+\) with )");
    static const CaptureRegex kSendmail(R"(^(\S+) \((\S+) \[(@IP@)\].*\) by (\S+) \()");
    static const CaptureRegex kIdentAt(R"(^IDENT:([^\@]*)\@)"), kUserAt(R"(^([^\@]*)\@)");
    if (kHttp.search(s.line) && assign(kHttpShape, s, {kToIp, kToBy})) return ShapeResult::Enough;
    if (kQmailLdap.search(s.line) || !assign(kSendmail, s, {kToHelo, kToRdns, kToIp, kToBy}))
        return ShapeResult::NoMatch;
    s.looked_up_dns = true;
    take_sub(s.relay.rdns, kIdentAt, s.relay.ident);   // remove IDENT lookups
    take_sub(s.relay.rdns, kUserAt, s.relay.ident);
    return ShapeResult::Enough;
}

const std::vector<Shape>& nonstandard_shapes() {
    static const std::vector<Shape> shapes = [] {
        std::vector<Shape> v;
        v.push_back(enough(R"(^(\S+) \((\S+) \[(@IP@)\]\) by (\S+) with \S+ \()", {kToHelo, kToRdns, kToIp, kToBy}, true));
        v.push_back(enough(R"(^(\S+) \(\[(@IP@)\] helo=(\S+)\) by (\S+) with )", {kToRdns, kToIp, kToHelo, kToBy}));
        v.push_back(enough(R"(^(\S+) \(<unknown\S*>\[(@IP@)\]\) by (\S+) )", {kToHelo, kToIp, kToBy}));
        v.push_back(enough(R"(^(\S+) \((\S+\.\S+)\[(@IP@)\]\) by (\S+) )", {kToHelo, kToRdns, kToIp, kToBy}, true));
        v.push_back(enough(R"(^(\S+) \((\S*)\@\[(@IP@)\].*\) by (\S+) \()", {kToHelo, kToIdent, kToIp, kToBy}, true));
        return v;
    }();
    return shapes;
}

ShapeResult hotmail_msn(ReceivedState& s) {
    static const CaptureRegex kBy(R"(by (\S+\.hotmail\.msn\.com) )"), kIp(R"(^(@IP@) )");
    Captures c;
    if (!kBy.search(s.line, &c)) return ShapeResult::NoMatch;
    s.relay.by = c.str(1);
    if (kIp.search(s.line, &c)) s.relay.ip = c.str(1);
    return ShapeResult::Enough;
}

const std::vector<Shape>& qpsmtpd_shapes() {
    static const std::vector<Shape> shapes = [] {
        std::vector<Shape> v;
        v.push_back(enough(R"(^(\S+) \((?:HELO|EHLO) (\S*)\) \((@IP@)\) by (\S+) \(qpsmtpd\/\S+\) with (?:ESMTP|SMTP))",
                           {kToRdns, kToHelo, kToIp, kToBy}));
        v.push_back(enough(R"(^(\S+) \(LHLO (\S*)\) \((@IP@)\) by (\S+) with LMTP)", {kToRdns, kToHelo, kToIp, kToBy}));
        v.push_back(enough(R"(^(\S+) \((?:HELO|EHLO) (\S*)\) \[(@IP@)\] by (\S+) \([^\)]+\) with (?:ESMTP|SMTP))",
                           {kToRdns, kToHelo, kToIp, kToBy}));
        v.push_back(enough(R"(^(\S+) \(\[(@IP@)\]\) by (\S+) via smtpd \(for \S+\) with SMTP\()", {kToHelo, kToIp, kToBy}));
        return v;
    }();
    return shapes;
}

/// SA's "MiB" qmail block: one outer shape, four ways to read it.
ShapeResult qmail(ReceivedState& s) {
    static const CaptureRegex kOuter(
        R"(^\S+( \((?:HELO|EHLO) \S*\))? \((\S+\@)?\[?@IP@\]?\)( \(envelope-sender <\S+>\))? by \S+( \(.+\))* with (.* )?(SMTP|QMQP)(?! id ))");
    static const CaptureRegex kHeloIdent(
        R"(^(\S+) \((?:HELO|EHLO) ([^ \(\)]*)\) \((\S*)\@\[?(@IP@)\]?\)( \(envelope-sender <\S+>\))? by (\S+))");
    static const CaptureRegex kHelo(
        R"(^(\S+) \((?:HELO|EHLO) ([^ \(\)]*)\) \(\[?(@IP@)\]?\)( \(envelope-sender <\S+>\))? by (\S+))");
    static const CaptureRegex kIdent(R"(^(\S+) \((\S*)\@\[?(@IP@)\]?\)( \(envelope-sender <\S+>\))? by (\S+))");
    static const CaptureRegex kPlain(R"(^(\S+) \(\[?(@IP@)\]?\)( \(envelope-sender <\S+>\))? by (\S+))");
    if (!kOuter.search(s.line)) return ShapeResult::NoMatch;
    Captures c;
    if (kHeloIdent.search(s.line, &c)) {
        s.relay.rdns = c.str(1), s.relay.helo = c.str(2), s.relay.ident = c.str(3);
        s.relay.ip = c.str(4), s.relay.by = c.str(6);
    } else if (kHelo.search(s.line, &c)) {
        s.relay.rdns = c.str(1), s.relay.helo = c.str(2), s.relay.ip = c.str(3), s.relay.by = c.str(5);
    } else if (kIdent.search(s.line, &c)) {   // no HELO: it matched the rDNS in qmail-land
        s.relay.helo = s.relay.rdns = c.str(1), s.relay.ident = c.str(2);
        s.relay.ip = c.str(3), s.relay.by = c.str(5);
    } else if (kPlain.search(s.line, &c)) {
        s.relay.helo = s.relay.rdns = c.str(1), s.relay.ip = c.str(2), s.relay.by = c.str(4);
    }
    // qmail itself never resolves; a name other than "unknown" came from tcpserver.
    if (s.relay.rdns != "unknown") s.looked_up_dns = true;
    else s.relay.rdns.clear();
    return ShapeResult::Enough;
}

const std::vector<Shape>& bracket_shapes() {
    static const std::vector<Shape> shapes = [] {
        std::vector<Shape> v;
        v.push_back(guarded(R"( via HTTP$)", R"(^\[(@IP@)\] by (\S+) via HTTP$)", {kToIp, kToBy}));
        v.push_back(enough(R"(^(\S+) \( \[(@IP@)\]\).*? by (\S+) )", {kToNone, kToIp, kToBy}));
        v.push_back(enough(R"(^\((\S+) \[(@IP@)\]\) by (\S+) )", {kToHelo, kToIp, kToBy}));
        v.push_back(enough(R"(^\[(@IP@)\] by (\S+) )", {kToIp, kToBy}));
        v.push_back(enough(R"(^\(\[?(@IP@)\]?\) by (\S+) )", {kToIp, kToBy}));
        v.push_back(enough(R"(^(\S+) \[(@IP@)\] by (\S+) \[@IP@\] with )", {kToHelo, kToIp, kToBy}, true));
        v.push_back(enough(R"(^(\S+) \[\((@IP@)\)\] by (\S+) \(@IP@\) )", {kToHelo, kToIp, kToBy}));
        v.push_back(enough(R"(^(\S+) \(\[(@IP@)\]\) by (\S+) \()", {kToHelo, kToIp, kToBy}, true));
        return v;
    }();
    return shapes;
}

ShapeResult softdnserr(ReceivedState& s) {
    static const CaptureRegex kShape(R"(^(\S+) \((\S+) \[(@IP@)\]\).*? by (\S+)\b)");
    Captures c;
    if (!kShape.search(s.line, &c)) return ShapeResult::NoMatch;
    if (c[2] != "softdnserr") {   // couriertcpd's marker for a failed lookup: SA bug 2326
        s.looked_up_dns = true;
        s.relay.rdns = c.str(2);
    }
    s.relay.helo = c.str(1), s.relay.ip = c.str(3), s.relay.by = c.str(4);
    return ShapeResult::Enough;
}

const std::vector<Shape>& sendmail_late_shapes() {
    static const std::vector<Shape> shapes = [] {
        std::vector<Shape> v;
        v.push_back(enough(R"(^(\S+) \(\[(@IP@)(?:[.:]\d+)?\]\).*? by (\S+) )", {kToHelo, kToIp, kToBy}, true));
        v.push_back(enough(R"(^(\S+) \((\S+) \[(@IP@)\]\)(?: \(authenticated bits=\d+\))? by (\S+) \()",
                           {kToHelo, kToRdns, kToIp, kToBy}, true));
        return v;
    }();
    return shapes;
}

/// The qmail-ish shapes of SA bug 2744, with "ident@" stripped of its '@'.
ShapeResult qmailish(ReceivedState& s) {
    static const CaptureRegex kHelo(R"(^(\S+) \((?:HELO|EHLO) ([^\)]*)\) \((\S*@)?\[?(@IP@)\]?\).* by (\S+) )");
    static const CaptureRegex kNoHelo(R"(^(\S+) \((\S*@)?\[?(@IP@)\]?\).* by (\S+) )");
    Captures c;
    if (kHelo.search(s.line, &c)) {
        s.relay.rdns = c.str(1), s.relay.helo = c.str(2), s.relay.ident = c.str(3);
        s.relay.ip = c.str(4), s.relay.by = c.str(5);
    } else if (kNoHelo.search(s.line, &c)) {   // qmail drops a HELO equal to the rDNS
        s.relay.rdns = s.relay.helo = c.str(1), s.relay.ident = c.str(2);
        s.relay.ip = c.str(3), s.relay.by = c.str(4);
    } else {
        return ShapeResult::NoMatch;
    }
    s.looked_up_dns = true;
    if (!s.relay.ident.empty() && s.relay.ident.back() == '@') s.relay.ident.pop_back();
    return ShapeResult::Enough;
}

const std::vector<Shape>& assorted_shapes() {
    static const std::vector<Shape> shapes = [] {
        std::vector<Shape> v;
        v.push_back(guarded(R"( with http for )", R"(^\[(@IP@)\] by (\S+) with http for )", {kToIp, kToBy}));
        v.push_back(guarded(R"( via smap )", R"(^(\S+)\((@IP@)\) by (\S+) via smap )", {kToRdns, kToIp, kToBy}));
        v.back().looked_up_dns = true;
        v.push_back(enough(R"(^(\S+)\((@IP@), (?:HELO|EHLO) (\S*)\) by (\S+) via smap )", {kToRdns, kToIp, kToHelo, kToBy}, true));
        v.push_back(guarded(R"( \(Post)", R"(^\[(@IP@)\] by (\S+) \(Post)", {kToIp, kToBy}));
        v.push_back(guarded(R"( \(ArGoSoft)", R"(^\[(@IP@)\] by (\S+) \(ArGoSoft)", {kToIp, kToBy}));
        v.push_back(enough(R"(^(@IP@) by (\S+) \((?:SMTPL|InterScan)\b)", {kToIp, kToBy}));
        v.push_back(skip(R"(^\S+ by \S+ with BSMTP)"));   // BSMTP is no TCP/IP handover
        v.push_back(enough(R"(^(\S+) \((\S+) \[(@IP@)\]\) by (\S+) with )", {kToHelo, kToRdns, kToIp, kToBy}, true));
        v.push_back(enough(R"(^(\S+) \((?:HELO|EHLO) (\S*)\) \((?:(\S+)\@)?(@IP@).*?\) by (\S+) with )",
                           {kToRdns, kToHelo, kToIdent, kToIp, kToBy}, true));
        v.push_back(enough(R"(^\[(@IP@)\] \((?:account \S+ )?(?:HELO|EHLO) (\S*)\) by (\S+) \()", {kToIp, kToHelo, kToBy}));
        return v;
    }();
    return shapes;
}

ShapeResult communigate_verified(ReceivedState& s) {
    static const CaptureRegex kGuard(R"( \(CommuniGate Pro)");
    static const CaptureRegex kShape(R"(^(\S+) \(\[(@IP@)\] verified\) by (\S+) \()");
    if (!kGuard.search(s.line) || !assign(kShape, s, {kToRdns, kToIp, kToBy})) return ShapeResult::NoMatch;
    s.looked_up_dns = true;
    s.relay.helo = s.relay.rdns;
    return ShapeResult::Enough;
}

const std::vector<Shape>& late_shapes() {
    static const std::vector<Shape> shapes = [] {
        std::vector<Shape> v;
        v.push_back(enough(R"(^\(\[(@IP@)\]\) by (\S+) with )", {kToIp, kToBy}));
        v.push_back(enough(R"(^([^\d]\S+) \((@IP@)\) by (\S+) )", {kToHelo, kToIp, kToBy}));
        v.push_back(skip(R"(^\S+ \(\S+\) by \S+ \(Content Technologies )"));
        v.push_back(enough(R"(^(\S+) \(\[(@IP@)\] \[(\S+)\]\) by (\S+) with )", {kToHelo, kToIp, kToNone, kToBy}));
        v.push_back(enough(R"(^(@IP@) by (\S+) with )", {kToIp, kToBy}));
        v.push_back(enough(R"(^(\S+) \((\S+)\[(@IP@)\]\) by (\S+) )", {kToHelo, kToRdns, kToIp, kToBy}, true));
        v.push_back(enough(R"(^\[(@IP@)\]\S+ \((?:HELO|EHLO) (\S*)\) by (\S+) )", {kToIp, kToHelo, kToBy}));
        v.push_back(enough(R"(^(@IP@) \((?:HELO|EHLO) (\S*)\) by (\S+) )", {kToIp, kToHelo, kToBy}));
        v.push_back(enough(R"(^(\S+) \[(@IP@)\] by (\S+) )", {kToHelo, kToIp, kToBy}));
        v.push_back(enough(R"(^(\S+)\((@IP@)\) by (\S+) )", {kToRdns, kToIp, kToBy}));
        v.push_back(enough(R"(^\[(@IP@)\] by (\S+) \(MailGate )", {kToIp, kToBy}));
        v.push_back(enough(R"(^(\S+) \(unverified \[(@IP@)\]\) by (\S+) )", {kToHelo, kToIp, kToBy}));
        v.push_back(enough(R"(^(@IP@) \([A-Za-z][^\)]+\) by (\S+) with )", {kToIp, kToBy}));
        return v;
    }();
    return shapes;
}

ShapeResult bracket_comment(ReceivedState& s) {
    static const CaptureRegex kShape(R"(^\[(@IP@)\] \(([^\)]+)\) by (\S+) )");
    Captures c;
    if (!kShape.search(s.line, &c)) return ShapeResult::NoMatch;
    s.relay.ip = c.str(1);
    s.relay.by = c.str(3);
    exim_comment(c.str(2), s.relay);
    return ShapeResult::Enough;
}

ShapeResult obtuse_and_yahoo(ReceivedState& s) {
    static const CaptureRegex kUnknownIdent(R"(^(\S+) \((?:\S+\@)?(@IP@)\) by (\S+) with )");
    static const CaptureRegex kObtuse(R"re(^(\S+)\((@IP@)\)(?:, claiming to be "(\S+)")? via \S+ by (\S+),)re");
    static const CaptureRegex kYahoo(R"(^(\S+) \((\S+)@(@IP@) with login\) by (\S+\.yahoo\.com) with SMTP)");
    static const CaptureRegex kOriginating(R"(^X-Originating-IP: (@IP@)$)");
    if (assign(kUnknownIdent, s, {kToRdns, kToIp, kToBy})) return ShapeResult::Enough;
    Captures c;
    if (kObtuse.search(s.line, &c)) {
        s.relay.rdns = c.str(1), s.relay.ip = c.str(2), s.relay.helo = c.str(3), s.relay.by = c.str(4);
        if (c[1] != "UNKNOWN") s.looked_up_dns = true;
        return ShapeResult::Enough;
    }
    if (assign(kYahoo, s, {kToHelo, kToNone, kToIp, kToBy})) return ShapeResult::Enough;
    if (assign(kOriginating, s, {kToIp})) {   // SA's synthetic line for originating_ip_headers
        s.relay.by.clear();
        return ShapeResult::Enough;
    }
    return ShapeResult::NoMatch;
}

const std::vector<Shape>& ignored_shapes() {
    static const std::vector<Shape> shapes = [] {
        std::vector<Shape> v;
        for (const char* re :
             {R"(^\S+ \([^\s\@]+\@@LOCALHOST@\) by \S+ \()", R"(^\S+ \S+ by \S+ with local-e?smtp )",
              R"(^127\.0\.0\.1 \(AVG SMTP \S+ \[\S+\]\))", R"(^\S+\@\S+ by \S+ by uid \S+ )", R"(^\S+\@\S+ by \S+ )",
              R"(^Unknown\/Local \()", R"(^@LOCALHOST@ \((?:\S+\@)?@LOCALHOST@[\)\[])",
              R"(^\S+ \((?:\S+\@)?@LOCALHOST@\) )", R"(^\S+ \(\S+\@\S+ \[@LOCALHOST@\]\) )",
              R"(^\(AUTH: \S+\) by \S+ with )", R"(^localhost \(localhost \[\[UNIX: localhost\]\]\) by )",
              R"(^\S+\.amazon\.com by \S+\.amazon\.com with ESMTP \(peer crosscheck: )",
              R"(^[^\.]+ by \S+ with Novell_GroupWise)", R"(^no\.name\.available by \S+ via smtpd \(for )"})
            v.push_back(skip(re));
        return v;
    }();
    return shapes;
}

const std::vector<Shape>& ignored_late_shapes() {
    static const std::vector<Shape> shapes = [] {
        std::vector<Shape> v;
        for (const char* re :
             {R"(^\S+ by \S+ with local)",
              R"(^\S+ \(\[unix socket\]\) by \S+ \(Cyrus v[0-9]*?\.[0-9]*?\.[0-9]*?\) with LMTPA)",
              R"(^\S+ by \S+ (?:with|via|for|\())", R"(^\S+ (?:(?:with|via|for) \S+|\(unverified\)) by\b)",
              R"(^\S+ \(unknown\) by \S+ \(SG\) with \b)", R"(^\S+ \(\S+ \[local\]\) by \S+ \(OpenSMTPD\) with \b)",
              R"(\(LSMTP for)", R"(^\(\[@LOCALHOST@\]\) with MailEnable )",
              R"(^facebook\.com \([^\)]+\) by facebook\.com with Thrift id \S+$)",
              R"(^\S+ named \S+ by gmailapi\.google\.com with HTTPREST$)", R"(^\S+ id \S+$)", R"(^\[<.*? \(Jetsend)"})
            v.push_back(skip(re));
        return v;
    }();
    return shapes;
}

ShapeResult qmail_scanner(ReceivedState& s) {
    static const CaptureRegex kShape(R"(^\S+ by \S+ \(.{0,100}\) with qmail-scanner)");
    return kShape.search(s.line) ? ShapeResult::QmailScanner : ShapeResult::NoMatch;
}

ShapeResult fetcher(ReceivedState& s) {
    static const CaptureRegex kShape(R"(with (?:POP3|IMAP))");
    return kShape.search(s.line) ? ShapeResult::Fetcher : ShapeResult::NoMatch;
}

ShapeResult table(const std::vector<Shape>& (*shapes)(), ReceivedState& s) { return run(shapes(), s); }

}  // namespace

ShapeResult parse_from_shapes(ReceivedState& s) {
    using Step = ShapeResult (*)(ReceivedState&);
    static constexpr Step kSteps[] = {
        webmail, mta_signature, http_and_sendmail,
        [](ReceivedState& st) { return table(nonstandard_shapes, st); }, hotmail_msn,
        [](ReceivedState& st) { return table(qpsmtpd_shapes, st); }, qmail,
        [](ReceivedState& st) { return table(bracket_shapes, st); }, softdnserr,
        [](ReceivedState& st) { return table(sendmail_late_shapes, st); }, fetcher, qmailish,
        [](ReceivedState& st) { return table(assorted_shapes, st); }, communigate_verified,
        [](ReceivedState& st) { return table(late_shapes, st); }, bracket_comment, obtuse_and_yahoo,
        [](ReceivedState& st) { return table(ignored_shapes, st); }, qmail_scanner,
        [](ReceivedState& st) { return table(ignored_late_shapes, st); },
    };
    for (Step step : kSteps) {
        const ShapeResult r = step(s);
        if (r != ShapeResult::NoMatch) return r;
    }
    // "if at this point we still haven't figured out the HELO string, see if we can't just guess"
    static const CaptureRegex kGuess(R"(^(\S+)[^-A-Za-z0-9\.])");
    Captures c;
    if (s.relay.helo.empty() && kGuess.search(s.line, &c)) s.relay.helo = c.str(1);
    return ShapeResult::NoMatch;
}

ShapeResult parse_upper_from_shapes(ReceivedState& s) {
    static const CaptureRegex kSimta(
        R"(^(\S+) \((\S+) \[(@IP@)\]\) BY (\S+) (?:\([^\)]+\) WITH SMTP )?ID <?(\S+?)>?(?: FOR <[^>]+>)?$)");
    Captures c;
    if (!kSimta.search(s.line, &c)) return ShapeResult::NoMatch;
    s.looked_up_dns = true;
    s.relay.helo = c.str(1), s.relay.rdns = c.str(2), s.relay.ip = c.str(3), s.relay.by = c.str(4);
    s.relay.id = c.str(5);
    if (s.relay.rdns == "unverified") s.relay.rdns.clear();
    return ShapeResult::Enough;
}

ShapeResult parse_paren_from_shapes(ReceivedState& s) {
    static const CaptureRegex kNavgw(R"(^(\S*) \[(@IP@)\]\) by (\S+) \(NAVGW .*?\) with )");
    static const CaptureRegex kSubmit(R"(^\S+\@localhost\) by \S+ )");
    static const CaptureRegex kJqueue(R"(^[^\s\@]+\@[^)]+\) by \S+\(jqueuemail\) id [^\s;]+)");
    if (assign(kNavgw, s, {kToHelo, kToIp, kToBy})) return ShapeResult::Enough;
    if (kSubmit.search(s.line) || kJqueue.search(s.line)) return ShapeResult::Skip;
    return ShapeResult::NoMatch;
}

}  // namespace mw::spam
