// Builds an Authentication-Results header field (RFC 8601): authserv-id [version], then either
// "none" (§2.2 no-result) or one "method=result" per check, each with an optional comment,
// "reason=" (§2.3) and "ptype.property=value" properties (§2.3, §2.7). Values are quoted as
// RFC 8601 §2.2 requires (token, local-part@domain, else quoted-string).
// Output is one unfolded line; callers bound its length. Does not parse or strip headers.
// Pure; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mw::authres {

struct AuthProperty {
    std::string ptype;     // "smtp", "header", "body", "policy"
    std::string property;  // "mailfrom", "helo", "d", ...
    std::string value;
};

struct AuthResult {
    std::string method;    // "spf", "dkim", ...
    std::string result;    // "pass", "fail", ...
    std::string comment;   // optional, written after the result
    std::string reason;    // optional reason= text
    std::vector<AuthProperty> properties;
};

class AuthResultsHeader {
public:
    static constexpr std::string_view kName = "Authentication-Results";

    explicit AuthResultsHeader(std::string authserv_id, std::optional<int> version = {});

    AuthResultsHeader& add(AuthResult result);
    /// Comment written after "none" when no result was added.
    AuthResultsHeader& set_none_comment(std::string text);

    /// The field body: "example.com; spf=pass smtp.mailfrom=example.net".
    std::string value() const;
    /// The whole field: "Authentication-Results: " + value().
    std::string to_string() const;

private:
    void append_value(std::string& out) const;

    std::string authserv_id_;
    std::optional<int> version_;
    std::vector<AuthResult> results_;
    std::string none_comment_;
};

}  // namespace mw::authres
