#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/base/limits.hpp"
#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/scan/body_emails.hpp"

using namespace mw::spam;
using Emails = std::vector<std::string>;

namespace {

Emails in_text(const std::string& text) { return emails_in_text(text, 100); }

Emails body_emails(const std::string& raw) {
    mime_library_init();
    return find_body_emails(parse_message(raw));
}

}  // namespace

TEST_CASE("body emails: FreeMail.pm's email regex", "[milters][spam][scan]") {
    CHECK(in_text("write to joe.bloggs@example.com today") == Emails{"joe.bloggs@example.com"});
    CHECK(in_text("Mail: joe@mail.example.co.uk.") == Emails{"joe@mail.example.co.uk"});  // end of sentence
    CHECK(in_text("<JOE@Example.COM>") == Emails{"JOE@Example.COM"});  // as written; callers lower-case
    CHECK(in_text("joe@example.notatld") == Emails{});
    CHECK(in_text("joe@example.community") == Emails{"joe@example.community"});
    CHECK(in_text("joe@example.comx") == Emails{});                   // the TLD must end there
    CHECK(in_text("joe@example.com-x") == Emails{});
    CHECK(in_text("joe@example.com.x1") == Emails{});                 // ... and be the last label
    CHECK(in_text("joe@localhost") == Emails{});                      // at least one label before it
    CHECK(in_text("joe@a.b.c.d.example.com") == Emails{});            // at most four labels before it
    CHECK(in_text("joe@a.b.c.example.com") == Emails{"joe@a.b.c.example.com"});
    CHECK(in_text("joe@-bad.com") == Emails{});
    CHECK(in_text(".joe@example.com") == Emails{"joe@example.com"});  // no dot at the start
    CHECK(in_text("jo..e@example.com") == Emails{"e@example.com"});   // no double dot
    CHECK(in_text("x!#$%&'*+/=?^_`{|}~-@example.com") == Emails{"x!#$%&'*+/=?^_`{|}~-@example.com"});
    CHECK(in_text("one@example.com,two@example.org") == Emails{"one@example.com", "two@example.org"});
    CHECK(in_text("no at sign here") == Emails{});
}

TEST_CASE("body emails: local parts are at most 64 characters", "[milters][spam][scan]") {
    const std::string local64(64, 'a'), local65(65, 'a');
    CHECK(in_text(local64 + "@example.com") == Emails{local64 + "@example.com"});
    CHECK(in_text(local65 + "@example.com") == Emails{});
    // The regex may start after a dot: the last 64 characters still make an address.
    CHECK(in_text("x." + local64 + "@example.com") == Emails{local64 + "@example.com"});
    const std::string label61(61, 'b'), label62(62, 'b');
    CHECK(in_text("joe@" + label61 + ".com") == Emails{"joe@" + label61 + ".com"});
    CHECK(in_text("joe@" + label62 + ".com") == Emails{});
}

TEST_CASE("body emails: emails_in_text stops at its maximum", "[milters][spam][scan]") {
    CHECK(emails_in_text("a@example.com b@example.com c@example.com", 2) == Emails{"a@example.com", "b@example.com"});
}

TEST_CASE("body emails: quoted addresses and URLs with '@' are blanked", "[milters][spam][scan]") {
    CHECK(blank_quoted_emails("Joe <joe@example.com> said") == "Joe   said");
    CHECK(blank_quoted_emails("joe@example.com> said") == "  said");
    CHECK(blank_quoted_emails("joe@example.com wrote: hi") == "  hi");
    CHECK(blank_quoted_emails("joe@example.com  schrieb: hi") == "  hi");
    // Contact words keep the address; so do words too long or too short, or no colon.
    CHECK(blank_quoted_emails("joe@example.com email: x") == "joe@example.com email: x");
    CHECK(blank_quoted_emails("joe@example.com Fax: x") == "joe@example.com Fax: x");
    CHECK(blank_quoted_emails("joe@example.com telephone: x") == "joe@example.com telephone: x");
    CHECK(blank_quoted_emails("joe@example.com a: x") == "joe@example.com a: x");
    CHECK(blank_quoted_emails("joe@example.com abcdefghijkl: x") == "joe@example.com abcdefghijkl: x");
    CHECK(blank_quoted_emails("joe@example.com wrote") == "joe@example.com wrote");
    CHECK(blank_quoted_emails("joe@example.com" + std::string(11, ' ') + "wrote:") ==
          "joe@example.com" + std::string(11, ' ') + "wrote:");
    // mailto:<addr> is a link, not a quote.
    CHECK(blank_quoted_emails("mailto:joe@example.com>") == "mailto:joe@example.com>");
    CHECK(blank_quoted_emails("see https://example.com/u?to=joe@example.com now") == "see   now");
    CHECK(blank_quoted_emails("see <http://example.com/u?to=joe%40example.com> now") == "see   now");
    CHECK(blank_quoted_emails("see http://example.com/ joe@example.com") == "see http://example.com/ joe@example.com");
    CHECK(blank_quoted_emails("plain text") == "plain text");
}

TEST_CASE("body emails: the message's text and its mailto: links", "[milters][spam][scan]") {
    const std::string plain =
        "From: a@example.com\nSubject: contact me@subject.example.com\n\n"
        "Reply to Joe.Bloggs@Free.example.com or joe.bloggs@free.example.com.\n"
        "On Monday, Ann <ann@example.org> wrote:\n> old text\n";
    CHECK(body_emails(plain) == Emails{"me@subject.example.com", "joe.bloggs@free.example.com"});

    const std::string html =
        "From: a@example.com\nSubject: x\nMIME-Version: 1.0\nContent-Type: text/html\n\n"
        "<p>Write <a href=\"mailto:Agent@Free.example.com?subject=hi\">to our agent</a>, or "
        "<a href=\"mailto:shown@example.org\">shown@example.org</a>.</p>\n";
    CHECK(body_emails(html) == Emails{"agent@free.example.com", "shown@example.org"});
}

TEST_CASE("body emails: at most kMaxSpamBodyEmails per message", "[milters][spam][scan]") {
    std::string body;
    for (int i = 0; i < 100; ++i) body += "user" + std::to_string(i) + "@example.com\n";
    CHECK(body_emails("From: a@example.com\n\n" + body).size() == mw::limits::kMaxSpamBodyEmails);
}
