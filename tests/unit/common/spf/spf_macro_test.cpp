#include <catch2/catch.hpp>

#include <string>

#include "common/base/limits.hpp"
#include "common/spf/spf_macro.hpp"

using mw::net::IpAddress;
using mw::spf::check_domain_spec;
using mw::spf::check_macro_string;
using mw::spf::expand_macros;
using mw::spf::MacroContext;
using mw::spf::MacroUse;

namespace {

// The RFC 7208 §7.4 example context.
MacroContext rfc_context(const char* ip = "192.0.2.3") {
    MacroContext ctx;
    ctx.local_part = "strong-bad";
    ctx.sender_domain = "email.example.com";
    ctx.domain = "email.example.com";
    ctx.client = *IpAddress::parse(ip);
    ctx.helo = "mx.example.org";
    ctx.receiver = "mx.example.net";
    ctx.now = 1234567890;
    return ctx;
}

std::string expand(const char* s, const MacroContext& ctx, MacroUse use = MacroUse::Domain) {
    auto r = expand_macros(s, ctx, use);
    REQUIRE(r);
    return *r;
}

}  // namespace

TEST_CASE("expand_macros: RFC 7208 section 7.4 examples", "[spf][macro]") {
    const auto ctx = rfc_context();
    CHECK(expand("%{s}", ctx) == "strong-bad@email.example.com");
    CHECK(expand("%{o}", ctx) == "email.example.com");
    CHECK(expand("%{d}", ctx) == "email.example.com");
    CHECK(expand("%{d4}", ctx) == "email.example.com");
    CHECK(expand("%{d3}", ctx) == "email.example.com");
    CHECK(expand("%{d2}", ctx) == "example.com");
    CHECK(expand("%{d1}", ctx) == "com");
    CHECK(expand("%{dr}", ctx) == "com.example.email");
    CHECK(expand("%{d2r}", ctx) == "example.email");
    CHECK(expand("%{l}", ctx) == "strong-bad");
    CHECK(expand("%{l-}", ctx) == "strong.bad");
    CHECK(expand("%{lr}", ctx) == "strong-bad");
    CHECK(expand("%{lr-}", ctx) == "bad.strong");
    CHECK(expand("%{l1r-}", ctx) == "strong");
    CHECK(expand("%{ir}.%{v}._spf.%{d2}", ctx) == "3.2.0.192.in-addr._spf.example.com");
    CHECK(expand("%{lr-}.lp._spf.%{d2}", ctx) == "bad.strong.lp._spf.example.com");
    CHECK(expand("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", ctx) ==
          "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
    CHECK(expand("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", ctx) ==
          "3.2.0.192.in-addr.strong.lp._spf.example.com");
    CHECK(expand("%{d2}.trusted-domains.example.net", ctx) ==
          "example.com.trusted-domains.example.net");
    CHECK(expand("%{ir}.%{v}._spf.%{d2}", rfc_context("2001:db8::cb01")) ==
          "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
}

TEST_CASE("expand_macros: escapes, delimiters and URL encoding", "[spf][macro]") {
    auto ctx = rfc_context();
    ctx.local_part = "~jack&jill=up-a_b3.c";
    CHECK(expand("a%%b%_c%-d", ctx, MacroUse::Explanation) == "a%b c%20d");
    CHECK(expand("%{L}", ctx, MacroUse::Explanation) == "~jack%26jill%3Dup-a_b3.c");
    CHECK(expand("%{l=_}", ctx) == "~jack&jill.up-a.b3.c");
    CHECK(expand("%{l2r+-=}", ctx) == "up.~jack&jill");
    CHECK(expand("%{d999}", ctx) == "email.example.com");
}

TEST_CASE("expand_macros: c, r and t only in explanations", "[spf][macro]") {
    const auto ctx = rfc_context("2001:db8::1");
    CHECK(expand("%{c} %{r} %{t} %{h} %{v}", ctx, MacroUse::Explanation) ==
          "2001:db8::1 mx.example.net 1234567890 mx.example.org ip6");
    CHECK_FALSE(expand_macros("%{c}.example.com", ctx, MacroUse::Domain));
    CHECK_FALSE(expand_macros("%{r}.example.com", ctx, MacroUse::Domain));
    CHECK_FALSE(expand_macros("%{t}.example.com", ctx, MacroUse::Domain));
    CHECK(check_macro_string("from %{c} at %{t}", MacroUse::Explanation));
    CHECK_FALSE(check_macro_string("from %{c}", MacroUse::Domain));
}

TEST_CASE("expand_macros: p asks the caller once, unknown without a resolver", "[spf][macro]") {
    auto ctx = rfc_context();
    CHECK(expand("%{p}.x.example.com", ctx) == "unknown.x.example.com");
    int calls = 0;
    ctx.validated_name = [&] {
        ++calls;
        return std::string("mx.example.org");
    };
    CHECK(expand("%{p}.%{p2}.x.example.com", ctx) == "mx.example.org.example.org.x.example.com");
    CHECK(calls == 1);
}

TEST_CASE("expand_macros: domains over 253 characters lose left-hand labels", "[spf][macro]") {
    auto ctx = rfc_context();
    ctx.local_part = std::string(60, 'a') + "." + std::string(60, 'b') + "." +
                     std::string(60, 'c') + "." + std::string(60, 'd');
    const auto out = expand("%{l}.example.com", ctx);
    CHECK(out.size() <= mw::limits::kMaxDnsName);
    CHECK(out == std::string(60, 'b') + "." + std::string(60, 'c') + "." + std::string(60, 'd') +
                     ".example.com");
    CHECK(expand("%{d}.", ctx) == "email.example.com");   // trailing dot dropped
}

TEST_CASE("expand_macros: expansion at and past kMaxSpfExpansion", "[spf][macro][limits]") {
    auto ctx = rfc_context();
    ctx.local_part = std::string(mw::limits::kMaxSpfExpansion, 'x');
    auto at = expand_macros("%{l}", ctx, MacroUse::Explanation);
    REQUIRE(at);
    CHECK(at->size() == mw::limits::kMaxSpfExpansion);
    auto past = expand_macros("%{l}y", ctx, MacroUse::Explanation);
    REQUIRE_FALSE(past);
    CHECK(past.error().code == mw::ErrorCode::TooLong);
}

TEST_CASE("check_macro_string and check_domain_spec: grammar", "[spf][macro]") {
    CHECK(check_domain_spec("example.com"));
    CHECK(check_domain_spec("example.com."));
    CHECK(check_domain_spec("%{d}"));
    CHECK(check_domain_spec("foo.%{d2}"));
    CHECK(check_domain_spec("x.1-2"));
    CHECK_FALSE(check_domain_spec("example"));
    CHECK_FALSE(check_domain_spec("example.123"));
    CHECK_FALSE(check_domain_spec("example.com-"));
    CHECK_FALSE(check_domain_spec("%{d}.exa_mple"));
    CHECK_FALSE(check_macro_string("%", MacroUse::Explanation));
    CHECK_FALSE(check_macro_string("%x", MacroUse::Explanation));
    CHECK_FALSE(check_macro_string("%{", MacroUse::Explanation));
    CHECK_FALSE(check_macro_string("%{}", MacroUse::Explanation));
    CHECK_FALSE(check_macro_string("%{d1000}", MacroUse::Explanation));
    CHECK_FALSE(check_macro_string("%{dx}", MacroUse::Explanation));
    CHECK_FALSE(check_macro_string("a b", MacroUse::Domain));
    CHECK(check_macro_string("a b", MacroUse::Explanation));
}
