#include "tests/unit/milters/spam/scan/scan_fixture.hpp"

using namespace mw::spam;
using namespace mw::spam::test;

namespace {

// Body addresses need a real TLD (FreeMail.pm's regex), so the domains end in .com, .net, .org.
const std::string kRules =
    "freemail_domains freemail.example.com free2.example.net\n"
    "header R_REPLYTO eval:check_freemail_replyto('replyto')\n"
    "header R_REPLY eval:check_freemail_replyto('reply')\n"
    "header R_BODY eval:check_freemail_body()\n"
    "header R_BODY_DIGIT eval:check_freemail_body('\\d@')\n";

/// The rules above that hit, with `settings` (more .cf lines) added.
std::vector<std::string> hits(const std::string& headers, const std::string& body, const std::string& settings = "",
                              Envelope env = {}) {
    const auto rules = compile_rules(kRules + settings);
    INFO(headers << "\n" << body);
    return scan(rules, headers + "\n" + body, std::move(env)).names;
}

using Names = std::vector<std::string>;

std::string freemails(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += "friend" + std::string(1, static_cast<char>('a' + i)) + "@free2.example.net\n";
    return out;
}

std::string others(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += "office" + std::string(1, static_cast<char>('a' + i)) + "@company.example.org\n";
    return out;
}

}  // namespace

TEST_CASE("eval freemail_replyto: From and Reply-To are different freemail addresses") {
    CHECK(hits("From: joe@freemail.example.com\nReply-To: jane@free2.example.net\n", "hi\n") == Names{"R_REPLY", "R_REPLYTO"});
    // The same address, in another case and with a name, is no hit.
    CHECK(hits("From: joe@freemail.example.com\nReply-To: Joe <JOE@Freemail.example>\n", "hi\n").empty());
    // A From among several Reply-To addresses is the same sender.
    CHECK(hits("From: joe@freemail.example.com\nReply-To: jane@free2.example.net, joe@freemail.example.com\n", "hi\n").empty());
}

TEST_CASE("eval freemail_replyto: a Reply-To that is not freemail ends the check") {
    const std::string body = "write to agent@free2.example.net\n";
    CHECK(hits("From: joe@freemail.example.com\nReply-To: sales@company.example.org\n", body) == Names{"R_BODY"});
    // FreeMail.pm's own welcomelist: role accounts are not freemail.
    CHECK(hits("From: joe@freemail.example.com\nReply-To: info@free2.example.net\n", "hi\n").empty());
}

TEST_CASE("eval freemail_replyto: the body offers another freemail address") {
    const std::string from_company = "From: boss@company.example.org\nReply-To: agent@freemail.example.com\n";
    // 'reply' always needs a freemail From, even with a freemail Reply-To (FreeMail.pm).
    CHECK(hits(from_company, "write to other@free2.example.net\n") == Names{"R_BODY", "R_REPLYTO"});
    CHECK(hits(from_company, "write to agent@freemail.example.com\n") == Names{"R_BODY"});
}

TEST_CASE("eval freemail_replyto: 'reply' compares From and body without a Reply-To") {
    const std::string from = "From: joe@freemail.example.com\n";
    CHECK(hits(from, "write to jane5@free2.example.net\n") == Names{"R_BODY", "R_BODY_DIGIT", "R_REPLY"});
    CHECK(hits(from, "write to joe@freemail.example.com\n") == Names{"R_BODY"});
    CHECK(hits("From: joe@company.example.org\n", "write to jane@free2.example.net\n") == Names{"R_BODY"});
    // A quoted address is not offered: "<addr>" and "addr wrote:" are blanked first.
    CHECK(hits(from, "On Monday <jane@free2.example.net> said\n").empty());
    CHECK(hits(from, "jane@free2.example.net wrote:\n> hi\n").empty());
}

TEST_CASE("eval freemail_replyto: the body's limits (freemail_max_body_*)") {
    const std::string headers = "From: boss@company.example.org\nReply-To: agent@freemail.example.com\n";
    CHECK(hits(headers, freemails(2)) == Names{"R_BODY", "R_REPLYTO"});
    CHECK(hits(headers, freemails(3)).empty());   // freemail_max_body_freemails 3
    CHECK(hits(headers, freemails(1) + others(3)) == Names{"R_BODY", "R_REPLYTO"});
    CHECK(hits(headers, freemails(1) + others(4)).empty());   // freemail_max_body_emails 5
    // Repeats count once.
    CHECK(hits(headers, freemails(2) + freemails(2) + others(2)) == Names{"R_BODY", "R_REPLYTO"});
    CHECK(hits(headers, freemails(1) + others(4), "freemail_max_body_emails 6\n") == Names{"R_BODY", "R_REPLYTO"});
    CHECK(hits(headers, freemails(3), "freemail_max_body_freemails 4\n") == Names{"R_BODY", "R_REPLYTO"});
    CHECK(hits(headers, freemails(9) + others(9), "freemail_skip_when_over_max 0\n") ==
          Names{"R_BODY", "R_REPLYTO"});
}

TEST_CASE("eval freemail_replyto: mailto: links in HTML count as body addresses") {
    const std::string headers =
        "From: boss@company.example.org\nReply-To: agent@freemail.example.com\nMIME-Version: 1.0\n"
        "Content-Type: text/html\n";
    CHECK(hits(headers, "<p><a href=\"mailto:other@free2.example.net?subject=Claim\">Claim now</a></p>\n") ==
          Names{"R_BODY", "R_REPLYTO"});
    CHECK(hits(headers, "<p><a href=\"mailto:agent@freemail.example.com\">Claim now</a></p>\n") == Names{"R_BODY"});
}

TEST_CASE("eval freemail_replyto: list and robot envelope senders are skipped") {
    const std::string headers = "From: joe@freemail.example.com\nReply-To: jane@free2.example.net\n";
    for (const char* sender : {"list-bounces@lists.example", "owner-list@lists.example", "noreply@x.example",
                               "donotreply@x.example", "postmaster@x.example", "a=b@x.example"}) {
        Envelope env;
        env.mail_from = sender;
        INFO(sender);
        CHECK(hits(headers, "hi\n", "", env).empty());
        CHECK(hits(headers, "hi\n", "freemail_skip_bulk_envfrom 0\n", env) == Names{"R_REPLY", "R_REPLYTO"});
    }
    // FreeMail.pm's class [._-t] is '.' and the range '_' to 't': "no-reply" is not skipped there.
    for (const char* sender : {"joe@freemail.example.com", "no-reply@x.example"}) {
        Envelope env;
        env.mail_from = sender;
        INFO(sender);
        CHECK(hits(headers, "hi\n", "", env) == Names{"R_REPLY", "R_REPLYTO"});
    }
}

TEST_CASE("eval freemail: freemail_welcomelist entries are not freemail") {
    const std::string headers = "From: joe@freemail.example.com\nReply-To: jane@free2.example.net\n";
    CHECK(hits(headers, "hi\n", "freemail_welcomelist free2.example.net\n").empty());
    CHECK(hits(headers, "hi\n", "freemail_whitelist jane@free2.example.net\n").empty());
    CHECK(hits(headers, "hi\n", "freemail_welcomelist jim@free2.example.net\n") == Names{"R_REPLY", "R_REPLYTO"});
}

TEST_CASE("eval freemail_replyto: arguments and no freemail_domains") {
    CHECK(compile_rules("header R eval:check_freemail_replyto()\n").status(0).state == RuleState::Runnable);
    CHECK(compile_rules("header R eval:check_freemail_replyto('other')\n").status(0).state ==
          RuleState::Unsupported);
    const auto none = compile_rules("header R eval:check_freemail_replyto()\n");
    CHECK(scan(none, "From: joe@freemail.example.com\nReply-To: jane@free2.example.net\n\nhi\n").names.empty());
}
