// Builds a Received-SPF header field (RFC 7208 §9.1):
//   Received-SPF: <result> (<comment>) key=value; key=value; ...;
// Values are dot-atoms or quoted-strings (§9.1 key-value-pair); the comment is escaped as an
// RFC 5322 comment. Keys are written in the order added; the RFC's keys are client-ip,
// envelope-from, helo, problem, receiver, identity, mechanism.
// Output is one unfolded line; callers bound its length. Pure; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mw::authres {

class ReceivedSpfHeader {
public:
    static constexpr std::string_view kName = "Received-SPF";

    /// `result` is the lower-case RFC 7208 result name ("pass", "softfail", ...).
    explicit ReceivedSpfHeader(std::string result, std::string comment = {});

    /// Adds key=value (empty values are written as "").
    ReceivedSpfHeader& add(std::string key, std::string value);

    /// The field body, e.g. `pass (...) client-ip=192.0.2.1; envelope-from="a@example.com";`.
    std::string value() const;
    /// The whole field: "Received-SPF: " + value().
    std::string to_string() const;

private:
    void append_value(std::string& out) const;
    std::size_t estimated_size() const;  // room for the usual field, so out grows once

    std::string result_;
    std::string comment_;
    std::vector<std::pair<std::string, std::string>> pairs_;
};

}  // namespace mw::authres
