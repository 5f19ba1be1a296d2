#include <catch2/catch.hpp>

#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/spam_session.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace mw::spam;
using mw::milter::HeaderEdit;
using mw::milter::MessageEdits;
using mw::milter::Reply;

namespace {

const char* kRules =
    "body GTUBE /XJS\\*C4JDBQADN1\\.NSBN3\\*2IDNEN\\*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL\\*C\\.34X/\n"
    "score GTUBE 1000\n"
    "describe GTUBE Generic Test for Unsolicited Bulk Email\n"
    "body SMALL_WORD /\\bwatches\\b/\nscore SMALL_WORD 1.5\n"
    "full BARE_CR /\\r/\nscore BARE_CR 0.5\n";

const char* kGtube = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

struct Fixture {
    mw::test::TempDir dir;
    mw::test::LogCapture log;
    std::shared_ptr<SpamSnapshot> snap;

    explicit Fixture(SpamSettings s = {}) {
        mime_library_init();
        s.rule_paths = {dir.write("test.cf", kRules)};
        s.authserv_id = "mx.example.net";
        auto rules = load_rules(s);
        REQUIRE(rules);
        snap = make_spam_snapshot(s, *rules);
    }

    struct Outcome {
        Reply reply;
        MessageEdits edits;
    };

    /// One message through a fresh session, as the driver would call it.
    Outcome run(const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
                std::string client = "192.0.2.10", std::string auth = "") {
        SpamSession session(snap);
        mw::milter::Macros m;
        m.set("i", "4AbCdE");
        if (!auth.empty()) m.set("auth_authen", auth);
        session.on_connect({"client.example", mw::milter::ConnectInfo::Family::Inet4, client, 25}, m);
        session.on_helo("client.example", m);
        session.on_mail({"<joe@example.com>"}, m);
        session.on_rcpt({"<you@example.net>"}, m);
        for (const auto& [n, v] : headers) session.on_header(n, v);
        session.on_eoh(m);
        for (std::size_t at = 0; at < body.size(); at += 65535) session.on_body(body.substr(at, 65535));
        Outcome o;
        o.reply = session.on_eom(o.edits, m);
        return o;
    }
};

const HeaderEdit* find_edit(const MessageEdits& e, const std::string& name, HeaderEdit::Op op) {
    for (const auto& h : e.headers)
        if (h.name == name && h.op == op) return &h;
    return nullptr;
}

std::vector<std::pair<std::string, std::string>> basic_headers() {
    return {{"From", "joe@example.com"}, {"To", "you@example.net"}, {"Subject", "Hello"}};
}

}  // namespace

TEST_CASE("spam session: GTUBE is flagged with SpamAssassin's headers and one log line") {
    Fixture f;
    auto o = f.run(basic_headers(), std::string("Hi\r\n") + kGtube + "\r\n");
    CHECK(o.reply.kind == Reply::Kind::Continue);
    const HeaderEdit* flag = find_edit(o.edits, "X-Spam-Flag", HeaderEdit::Op::Add);
    REQUIRE(flag);
    CHECK(flag->value == "YES");
    const HeaderEdit* status = find_edit(o.edits, "X-Spam-Status", HeaderEdit::Op::Add);
    REQUIRE(status);
    CHECK(status->value.rfind("Yes, score=1000.0 required=5.0 tests=GTUBE", 0) == 0);
    CHECK(f.log.text().find("4AbCdE: spam=yes score=1000.0 required=5.0 tests=GTUBE action=continue") !=
          std::string::npos);
}

TEST_CASE("spam session: CRLF line ends reach the rules as LF, a bare CR stays") {
    Fixture f;
    auto status_of = [&](const std::string& body) {
        const auto o = f.run(basic_headers(), body);
        const HeaderEdit* status = find_edit(o.edits, "X-Spam-Status", HeaderEdit::Op::Add);
        REQUIRE(status);
        return status->value;
    };
    CHECK(status_of("one\r\ntwo\r\n\r\nthree\r\n").rfind("No, score=0.0 required=5.0 tests=none", 0) == 0);
    CHECK(status_of("one\rtwo\r\n").rfind("No, score=0.5 required=5.0 tests=BARE_CR", 0) == 0);
}

TEST_CASE("spam session: ham gets No, and incoming X-Spam-* fields are removed") {
    Fixture f;
    auto h = basic_headers();
    h.push_back({"X-Spam-Flag", "YES"});
    h.push_back({"X-Spam-Status", "Yes, forged"});
    h.push_back({"X-Spam-Status", "Yes, forged again"});
    auto o = f.run(h, "about watches\r\n");
    CHECK_FALSE(find_edit(o.edits, "X-Spam-Flag", HeaderEdit::Op::Add));
    const HeaderEdit* status = find_edit(o.edits, "X-Spam-Status", HeaderEdit::Op::Add);
    REQUIRE(status);
    CHECK(status->value.rfind("No, score=1.5 required=5.0 tests=SMALL_WORD", 0) == 0);
    int deletes = 0;
    for (const auto& e : o.edits.headers)
        if (e.op == HeaderEdit::Op::Change && e.value.empty()) ++deletes;
    CHECK(deletes == 3);
    // highest occurrence first
    const HeaderEdit& first = o.edits.headers.front();
    CHECK(first.name == "X-Spam-Status");
    CHECK(first.index == 2);
}

TEST_CASE("spam session: reject_score refuses, quarantine_score holds, dry_run does neither") {
    SpamSettings s;
    s.reject_score = 500;
    Fixture reject(s);
    auto r = reject.run(basic_headers(), std::string(kGtube) + "\r\n");
    CHECK(r.reply.kind == Reply::Kind::Reject);
    CHECK(r.reply.code == "550");
    CHECK(r.reply.dsn == "5.7.1");

    SpamSettings q;
    q.quarantine_score = 500;
    Fixture hold(q);
    CHECK(hold.run(basic_headers(), std::string(kGtube) + "\r\n").reply.kind == Reply::Kind::Quarantine);

    s.dry_run = true;
    Fixture dry(s);
    CHECK(dry.run(basic_headers(), std::string(kGtube) + "\r\n").reply.kind == Reply::Kind::Continue);
    CHECK(dry.log.text().find("dry_run=reject action=continue") != std::string::npos);
}

TEST_CASE("spam session: subject tag on spam only") {
    SpamSettings s;
    s.subject_tag = "***SPAM***";
    Fixture f(s);
    auto o = f.run(basic_headers(), std::string(kGtube) + "\r\n");
    const HeaderEdit* subj = find_edit(o.edits, "Subject", HeaderEdit::Op::Change);
    REQUIRE(subj);
    CHECK(subj->value == "***SPAM*** Hello");
    CHECK_FALSE(find_edit(f.run(basic_headers(), "nothing\r\n").edits, "Subject", HeaderEdit::Op::Change));
}

TEST_CASE("spam session: authenticated and internal clients per policy") {
    SpamSettings s;   // both default to skip
    s.internal_hosts = *mw::net::CidrSet::parse("127.0.0.0/8");
    Fixture skip(s);
    auto o = skip.run(basic_headers(), std::string(kGtube) + "\r\n", "192.0.2.10", "joe");
    CHECK(o.edits.empty());
    CHECK(skip.run(basic_headers(), std::string(kGtube) + "\r\n", "127.0.0.1").edits.empty());
    CHECK(skip.log.text().find("spam=skipped client=authenticated") != std::string::npos);

    s.authenticated = ClientPolicy::Score;
    s.reject_score = 500;
    Fixture score(s);
    auto scored = score.run(basic_headers(), std::string(kGtube) + "\r\n", "192.0.2.10", "joe");
    CHECK(scored.reply.kind == Reply::Kind::Continue);   // scored, never refused
    CHECK(find_edit(scored.edits, "X-Spam-Flag", HeaderEdit::Op::Add));
}

TEST_CASE("spam session: a message over max_message_size passes unscanned, quickly") {
    SpamSettings s;
    s.max_message_size = 64 * 1024;
    Fixture f(s);
    std::string big(20 * 1024 * 1024, 'x');
    for (std::size_t i = 76; i < big.size(); i += 78) big[i] = '\r', big[i + 1] = '\n';
    SpamSession session(f.snap);
    mw::milter::Macros m;
    session.on_mail({"<a@example.com>"}, m);
    for (const auto& [n, v] : basic_headers()) session.on_header(n, v);
    session.on_eoh(m);
    Reply last = Reply::cont();
    std::size_t chunks = 0;
    for (std::size_t at = 0; at < big.size() && last.kind != Reply::Kind::Skip; at += 65535, ++chunks)
        last = session.on_body(std::string_view(big).substr(at, 65535));
    CHECK(last.kind == Reply::Kind::Skip);   // the MTA is told to stop sending the body
    CHECK(chunks < 5);
    MessageEdits e;
    CHECK(session.on_eom(e, m).kind == Reply::Kind::Continue);
    const HeaderEdit* st = find_edit(e, "X-Spam-Checker-Status", HeaderEdit::Op::Add);
    REQUIRE(st);
    CHECK(st->value.find("over max_message_size") != std::string::npos);
}

TEST_CASE("spam session: state is per message") {
    Fixture f;
    SpamSession session(f.snap);
    mw::milter::Macros m;
    for (int i = 0; i < 2; ++i) {
        session.on_mail({"<a@example.com>"}, m);
        for (const auto& [n, v] : basic_headers()) session.on_header(n, v);
        session.on_eoh(m);
        session.on_body(i == 0 ? std::string(kGtube) + "\r\n" : "fine\r\n");
        MessageEdits e;
        session.on_eom(e, m);
        CHECK((find_edit(e, "X-Spam-Flag", HeaderEdit::Op::Add) != nullptr) == (i == 0));
    }
}
