#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/base/limits.hpp"
#include "policyd/policy_request.hpp"

using mw::policyd::PolicyParseResult;
using mw::policyd::PolicyRequest;
using mw::policyd::PolicyRequestErrorKind;
using mw::policyd::PolicyRequestParser;
namespace limits = mw::limits;

namespace {

// A request as Postfix 3.7 sends it (SMTPD_POLICY_README, "Protocol description").
const std::string kPostfixRequest =
    "request=smtpd_access_policy\n"
    "protocol_state=RCPT\n"
    "protocol_name=ESMTP\n"
    "helo_name=mx.example.org\n"
    "queue_id=8045F2AB23\n"
    "sender=a@example.org\n"
    "recipient=b@example.net\n"
    "recipient_count=0\n"
    "client_address=203.0.113.9\n"
    "client_name=mx.example.org\n"
    "reverse_client_name=mx.example.org\n"
    "instance=123.456.7\n"
    "sasl_method=plain\n"
    "sasl_username=you\n"
    "sasl_sender=\n"
    "size=12345\n"
    "ccert_subject=solaris9.porcupine.org\n"
    "ccert_issuer=Wietse Venema\n"
    "ccert_fingerprint=C2:9D:F4:87:71:73:73:D9:18:E7:C2:F3:C1:DA:6E:04\n"
    "ccert_pubkey_fingerprint=68:B3:29:DA:98:93:E3:40:99:C7:D8:AD:5C:B9:C9:40\n"
    "encryption_protocol=TLSv1.3\n"
    "encryption_cipher=TLS_AES_256_GCM_SHA384\n"
    "encryption_keysize=256\n"
    "etrn_domain=\n"
    "stress=\n"
    "client_port=4711\n"
    "policy_context=submission\n"
    "server_address=192.0.2.25\n"
    "server_port=25\n"
    "compatibility_level=3.6\n"
    "mail_version=3.7.11\n"
    "\n";

std::vector<PolicyRequest> parse_all(PolicyRequestParser& p) {
    std::vector<PolicyRequest> out;
    for (;;) {
        auto r = p.next();
        REQUIRE(r);
        if (!*r) return out;
        out.push_back(std::move(**r));
    }
}

/// The error kind after feeding `bytes`, or nullopt when there was none.
std::optional<PolicyRequestErrorKind> error_after(const std::string& bytes) {
    PolicyRequestParser p;
    p.feed(bytes);
    for (;;) {
        auto r = p.next();
        if (!r) return r.error().kind;
        if (!*r) return std::nullopt;
    }
}

std::string request_with(const std::string& lines) {
    return "request=smtpd_access_policy\n" + lines + "\n";
}

}  // namespace

TEST_CASE("PolicyRequestParser: every Postfix 3.7 attribute lands in its field", "[policyd]") {
    PolicyRequestParser p;
    p.feed(kPostfixRequest);
    auto all = parse_all(p);
    REQUIRE(all.size() == 1);
    const auto& r = all[0];
    CHECK(r.request == "smtpd_access_policy");
    CHECK(r.protocol_state == "RCPT");
    CHECK(r.protocol_name == "ESMTP");
    CHECK(r.helo_name == "mx.example.org");
    CHECK(r.queue_id == "8045F2AB23");
    CHECK(r.sender == "a@example.org");
    CHECK(r.recipient == "b@example.net");
    CHECK(r.recipient_count == "0");
    CHECK(r.client_address == "203.0.113.9");
    CHECK(r.client_name == "mx.example.org");
    CHECK(r.reverse_client_name == "mx.example.org");
    CHECK(r.instance == "123.456.7");
    CHECK(r.sasl_method == "plain");
    CHECK(r.sasl_username == "you");
    CHECK(r.sasl_sender.empty());
    CHECK(r.size == "12345");
    CHECK(r.ccert_subject == "solaris9.porcupine.org");
    CHECK(r.ccert_issuer == "Wietse Venema");
    CHECK(r.ccert_fingerprint == "C2:9D:F4:87:71:73:73:D9:18:E7:C2:F3:C1:DA:6E:04");
    CHECK(r.ccert_pubkey_fingerprint == "68:B3:29:DA:98:93:E3:40:99:C7:D8:AD:5C:B9:C9:40");
    CHECK(r.encryption_protocol == "TLSv1.3");
    CHECK(r.encryption_cipher == "TLS_AES_256_GCM_SHA384");
    CHECK(r.encryption_keysize == "256");
    CHECK(r.etrn_domain.empty());
    CHECK(r.stress.empty());
    CHECK(r.client_port == "4711");
    CHECK(r.policy_context == "submission");
    CHECK(r.server_address == "192.0.2.25");
    CHECK(r.server_port == "25");
    CHECK(r.compatibility_level == "3.6");
    CHECK(r.mail_version == "3.7.11");
    CHECK(r.attribute_count == 31);
    REQUIRE(r.client_ip());
    CHECK(r.client_ip()->to_string() == "203.0.113.9");
    CHECK(p.idle());
}

TEST_CASE("PolicyRequestParser: one byte at a time gives the same request", "[policyd]") {
    PolicyRequestParser p;
    for (std::size_t i = 0; i < kPostfixRequest.size(); ++i) {
        p.feed(std::string_view(&kPostfixRequest[i], 1));
        auto r = p.next();
        REQUIRE(r);
        CHECK(r->has_value() == (i + 1 == kPostfixRequest.size()));
        if (*r) CHECK((*r)->sender == "a@example.org");
    }
}

TEST_CASE("PolicyRequestParser: fragments at every split point", "[policyd]") {
    for (std::size_t cut = 0; cut <= kPostfixRequest.size(); ++cut) {
        PolicyRequestParser p;
        p.feed(std::string_view(kPostfixRequest).substr(0, cut));
        p.feed(std::string_view(kPostfixRequest).substr(cut));
        auto all = parse_all(p);
        REQUIRE(all.size() == 1);
        CHECK(all[0].mail_version == "3.7.11");
    }
}

TEST_CASE("PolicyRequestParser: several requests in one buffer, CRLF and LF", "[policyd]") {
    PolicyRequestParser p;
    p.feed(request_with("sender=a@x.example\n") +
           "request=smtpd_access_policy\r\nsender=b@y.example\r\n\r\n" +
           request_with("sender=c@z.example\n"));
    auto all = parse_all(p);
    REQUIRE(all.size() == 3);
    CHECK(all[0].sender == "a@x.example");
    CHECK(all[1].sender == "b@y.example");
    CHECK(all[2].sender == "c@z.example");
}

TEST_CASE("PolicyRequestParser: edge cases that are accepted", "[policyd]") {
    PolicyRequestParser p;
    p.feed(request_with("sender=\n"               // empty value: the null sender
                        "x_future_attr=1\n"       // unknown name ignored
                        "recipient=a@x.example\n"
                        "recipient=b@x.example\n" // repeated: last wins
                        "ccert_issuer=a=b\tc\n"   // '=' in the value, tab allowed
                        "helo_name=\xc3\xa9.example\n"));  // UTF-8 kept
    auto all = parse_all(p);
    REQUIRE(all.size() == 1);
    CHECK(all[0].sender.empty());
    CHECK(all[0].recipient == "b@x.example");
    CHECK(all[0].ccert_issuer == "a=b\tc");
    CHECK(all[0].helo_name == "\xc3\xa9.example");
    CHECK(all[0].attribute_count == 7);
    CHECK_FALSE(all[0].client_ip());
}

TEST_CASE("PolicyRequestParser: each kind of bad input", "[policyd]") {
    using K = PolicyRequestErrorKind;
    struct Row {
        std::string input;
        K kind;
    };
    const std::vector<Row> rows = {
        {request_with("no equals sign\n"), K::MissingEquals},
        {request_with("=value\n"), K::EmptyName},
        {request_with(std::string("sender=a\0b\n", 11)), K::BadByte},
        {request_with("sender=a\x01" "b\n"), K::BadByte},
        {request_with("sender=a\x7f" "b\n"), K::BadByte},
        {request_with("sender=a\rb\n"), K::BadByte},
        {request_with("sender=a\r\r\n"), K::BadByte},
        {"request=junk\n\n", K::NotPolicyRequest},
        {"sender=a@b\n\n", K::NotPolicyRequest},
        {"\n", K::NotPolicyRequest},
    };
    for (const auto& row : rows) {
        INFO("input: " << row.input);
        auto kind = error_after(row.input);
        REQUIRE(kind);
        CHECK(*kind == row.kind);
    }
}

TEST_CASE("PolicyRequestParser: an error sticks, earlier requests are still returned",
          "[policyd]") {
    PolicyRequestParser p;
    p.feed(request_with("sender=ok@x.example\n") + "garbage\n\n" + request_with(""));
    auto first = p.next();
    REQUIRE(first);
    REQUIRE(*first);
    CHECK((*first)->sender == "ok@x.example");
    auto second = p.next();
    REQUIRE_FALSE(second);
    CHECK(second.error().kind == PolicyRequestErrorKind::MissingEquals);
    CHECK_FALSE(second.error().message.empty());
    CHECK(p.failed());
    p.feed(request_with(""));
    CHECK_FALSE(p.next());
}

TEST_CASE("PolicyRequestParser: line length at and past kMaxPolicyLine", "[policyd]") {
    const std::string prefix = "ccert_subject=";
    const std::string at_limit = prefix + std::string(limits::kMaxPolicyLine - prefix.size(), 'x');
    CHECK_FALSE(error_after(request_with(at_limit + "\n")));
    CHECK_FALSE(error_after(request_with(at_limit + "\r\n")));
    CHECK(error_after(request_with(at_limit + "y\n")) == PolicyRequestErrorKind::LineTooLong);
}

TEST_CASE("PolicyRequestParser: attribute count at and past kMaxPolicyAttrs", "[policyd]") {
    auto lines = [](std::size_t n) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s += "x" + std::to_string(i) + "=1\n";
        return s;
    };
    // request= is one of the attributes.
    CHECK_FALSE(error_after(request_with(lines(limits::kMaxPolicyAttrs - 1))));
    CHECK(error_after(request_with(lines(limits::kMaxPolicyAttrs))) ==
          PolicyRequestErrorKind::TooManyAttributes);
}

TEST_CASE("PolicyRequestParser: request size at and past kMaxPolicyRequest", "[policyd]") {
    // Build exactly kMaxPolicyRequest bytes: header line, filler lines, final empty line.
    const std::string head = "request=smtpd_access_policy\n";
    std::string body;
    std::size_t left = limits::kMaxPolicyRequest - head.size() - 1;
    const std::size_t chunk = 4000;
    while (left > 0) {
        const std::size_t n = std::min(chunk, left);
        REQUIRE(n >= 4);
        body += "x=" + std::string(n - 3, 'y') + "\n";
        left -= n;
    }
    const std::string exact = head + body + "\n";
    REQUIRE(exact.size() == limits::kMaxPolicyRequest);
    CHECK_FALSE(error_after(exact));
    const std::string over = head + "x=z\n" + body + "\n";
    CHECK(error_after(over) == PolicyRequestErrorKind::RequestTooLong);
}

TEST_CASE("PolicyRequestParser: the request byte count restarts per request", "[policyd]") {
    PolicyRequestParser p;
    std::string lines;
    for (int i = 0; i < 8; ++i) lines += "x=" + std::string(4000, 'y') + "\n";
    const std::string one = request_with(lines);  // 32 KiB: three exceed kMaxPolicyRequest
    for (int i = 0; i < 3; ++i) p.feed(one);
    CHECK(parse_all(p).size() == 3);
    CHECK(p.idle());
    p.feed("request=smtpd");
    CHECK_FALSE(p.idle());
}

namespace {

// Everything a parser gives back: each request's fields that differ between inputs, then the
// error (kind and message) or "ok".
std::string outcome_of(const std::string& input, std::size_t step) {
    PolicyRequestParser p;
    for (std::size_t i = 0; i < input.size(); i += step) p.feed(std::string_view(input).substr(i, step));
    std::string out;
    for (;;) {
        auto r = p.next();
        if (!r) return out + "error " + to_string(r.error().kind) + ": " + r.error().message;
        if (!*r) return out + (p.idle() ? "ok idle" : "ok partial");
        const auto& q = **r;
        out += q.sender + "|" + q.ccert_subject + "|" + q.mail_version + "|" +
               std::to_string(q.attribute_count) + "\n";
    }
}

}  // namespace

TEST_CASE("PolicyRequestParser: whole lines and single bytes give the same outcome", "[policyd]") {
    // Whole buffers take the line-at-a-time path; one byte at a time mostly the byte path.
    const std::string prefix = "ccert_subject=";
    const std::string at_limit = prefix + std::string(limits::kMaxPolicyLine - prefix.size(), 'x');
    std::string many;
    for (std::size_t i = 0; i < limits::kMaxPolicyAttrs; ++i) many += "x=1\n";
    const std::vector<std::string> inputs = {
        kPostfixRequest + kPostfixRequest,
        request_with("sender=a\tb@example.org\n"),
        request_with("sender=a\x7f" "b@example.org\n"),
        request_with("sender=a\rb@example.org\n"),
        request_with("sender=ab@example.org\r\r\n"),
        request_with("sender=\x01\n"),
        request_with("mail_version=3.7\r\n") + "\r\n",
        request_with(at_limit + "\n"),
        request_with(at_limit + "\r\n"),
        request_with(at_limit + "y\n"),
        request_with(at_limit + "\x01\n"),
        request_with(at_limit + "\r"),
        request_with(at_limit + "\ry"),
        request_with(many),
        request_with("=x\n"),
        request_with("novalue\n"),
        "request=other\n\n",
        "sender=x\n\n",
        kPostfixRequest + "request=smtpd_access_policy\nsender=half",
        kPostfixRequest + std::string(limits::kMaxPolicyRequest + 10, 'z'),
        "request=smtpd_access_policy\n" + std::string(limits::kMaxPolicyRequest - 30, 'z') + "\r\n",
    };
    for (const auto& input : inputs) {
        const std::string whole = outcome_of(input, input.size() + 1);
        INFO(whole);
        CHECK(outcome_of(input, 1) == whole);
        CHECK(outcome_of(input, 7) == whole);
        CHECK(outcome_of(input, 4096) == whole);
    }
}

TEST_CASE("PolicyRequestParser: peek/pop hand out requests in place; a reused slot starts empty",
          "[policyd]") {
    PolicyRequestParser p;
    // Two requests in one buffer, the third cut in half: the first carries attributes the
    // others lack, so a slot that kept old values would show them.
    const std::string second = "request=smtpd_access_policy\nsender=second@example.org\n\n";
    const std::string third = "request=smtpd_access_policy\nhelo_name=third.example\n\n";
    p.feed(kPostfixRequest + second + third.substr(0, 30));
    const PolicyRequest* r = p.peek();
    REQUIRE(r);
    CHECK(r->sender == "a@example.org");
    CHECK(r->sasl_username == "you");
    CHECK(p.peek() == r);  // peek does not take
    p.pop();
    r = p.peek();
    REQUIRE(r);
    CHECK(r->sender == "second@example.org");
    CHECK(r->sasl_username.empty());
    CHECK(r->helo_name.empty());
    CHECK(r->attribute_count == 2);
    p.pop();  // all taken while the third is half read: it moves to the first slot
    CHECK(p.peek() == nullptr);
    CHECK_FALSE(p.idle());
    p.feed(third.substr(30));
    r = p.peek();
    REQUIRE(r);
    CHECK(r->helo_name == "third.example");
    CHECK(r->sender.empty());
    CHECK(r->sasl_username.empty());
    CHECK(r->attribute_count == 2);
    p.pop();
    CHECK(p.idle());
    // One request at a time, as smtpd sends them: the slot is reused and cleared each time.
    for (int i = 0; i < 3; ++i) {
        p.feed(i % 2 == 0 ? kPostfixRequest : second);
        r = p.peek();
        REQUIRE(r);
        CHECK(r->sasl_username == (i % 2 == 0 ? "you" : ""));
        CHECK(r->queue_id == (i % 2 == 0 ? "8045F2AB23" : ""));
        p.pop();
    }
    CHECK(p.peek() == nullptr);
    CHECK(p.error() == nullptr);
}

TEST_CASE("PolicyRequestParser: requests before an error are still handed out, then the error",
          "[policyd]") {
    PolicyRequestParser p;
    p.feed(kPostfixRequest + "request=smtpd_access_policy\nbad\x01line\n\n" + kPostfixRequest);
    REQUIRE(p.peek());
    CHECK(p.peek()->sender == "a@example.org");
    p.pop();
    CHECK(p.peek() == nullptr);
    REQUIRE(p.error());
    CHECK(p.error()->kind == PolicyRequestErrorKind::BadByte);
}

TEST_CASE("PolicyRequestParser: a control byte anywhere in a fed buffer is found per line",
          "[policyd]") {
    // The whole-buffer scan only decides whether lines need their own scan: a bad byte in
    // any position of a 16-byte block, or in the tail, must still stop the parser.
    for (std::size_t at = 0; at < 40; ++at) {
        std::string line = "sender=" + std::string(40, 'x');
        line[7 + at] = '\x7f';
        PolicyRequestParser p;
        p.feed("request=smtpd_access_policy\n" + line + "\n\n");
        CHECK(p.peek() == nullptr);
        REQUIRE(p.error());
        CHECK(p.error()->kind == PolicyRequestErrorKind::BadByte);
    }
    PolicyRequestParser tabs;
    tabs.feed("request=smtpd_access_policy\nsender=a\tb@example.org\n\n");
    REQUIRE(tabs.peek());
    CHECK(tabs.peek()->sender == "a\tb@example.org");
}
