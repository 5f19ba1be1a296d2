#include <catch2/catch.hpp>

#include <string>

#include "common/authres/received_spf.hpp"
#include "tests/support/unfolded.hpp"

using mw::authres::ReceivedSpfHeader;

using mw::test::unfolded;

TEST_CASE("ReceivedSpfHeader: RFC 7208 §9.1 pass example", "[authres]") {
    ReceivedSpfHeader h("pass",
                        "mybox.example.org: domain of myname@example.com designates 192.0.2.1 "
                        "as permitted sender");
    h.add("receiver", "mybox.example.org")
        .add("client-ip", "192.0.2.1")
        .add("envelope-from", "myname@example.com")
        .add("helo", "foo.example.com");
    CHECK(h.to_string() == unfolded(R"(Received-SPF: pass (mybox.example.org: domain of
    myname@example.com designates 192.0.2.1 as permitted sender)
    receiver=mybox.example.org; client-ip=192.0.2.1;
    envelope-from="myname@example.com"; helo=foo.example.com;)"));
}

TEST_CASE("ReceivedSpfHeader: RFC 7208 §9.1 fail example", "[authres]") {
    ReceivedSpfHeader h("fail",
                        "mybox.example.org: domain of myname@example.com does not designate "
                        "192.0.2.1 as permitted sender");
    h.add("identity", "mailfrom")
        .add("client-ip", "192.0.2.1")
        .add("envelope-from", "myname@example.com");
    CHECK(h.to_string() == unfolded(R"(Received-SPF: fail (mybox.example.org: domain of
                  myname@example.com does not designate
                  192.0.2.1 as permitted sender)
                  identity=mailfrom; client-ip=192.0.2.1;
                  envelope-from="myname@example.com";)"));
}

TEST_CASE("ReceivedSpfHeader: IPv6, null sender, empty values and no comment", "[authres]") {
    ReceivedSpfHeader h("none");
    h.add("client-ip", "2001:db8::1").add("envelope-from", "<>").add("problem", "");
    CHECK(h.value() == "none client-ip=\"2001:db8::1\"; envelope-from=\"<>\"; problem=\"\";");
}

TEST_CASE("ReceivedSpfHeader: a hostile comment cannot close the comment early", "[authres]") {
    ReceivedSpfHeader h("fail", "evil) receiver=forged; (");
    CHECK(h.value() == "fail (evil\\) receiver=forged; \\()");
}
