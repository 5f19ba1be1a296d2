#include "common/authres/auth_results.hpp"

#include <utility>

#include "common/authres/header_quoting.hpp"

namespace mw::authres {

namespace {

// append() only, no operator+ chains: one buffer, and g++ 12 -O3 warns (-Wrestrict) on the
// temporaries of `" " + a + b`.
void append_result(std::string& out, const AuthResult& r) {
    out.append(r.method).append(1, '=').append(r.result);
    if (!r.comment.empty()) out.append(1, ' ').append(comment(r.comment));
    if (!r.reason.empty()) out.append(" reason=").append(mime_value(r.reason));
    for (const auto& p : r.properties)
        out.append(1, ' ').append(p.ptype).append(1, '.').append(p.property).append(1, '=')
            .append(property_value(p.value));
}

}  // namespace

AuthResultsHeader::AuthResultsHeader(std::string authserv_id, std::optional<int> version)
    : authserv_id_(std::move(authserv_id)), version_(version) {}

AuthResultsHeader& AuthResultsHeader::add(AuthResult result) {
    results_.push_back(std::move(result));
    return *this;
}

AuthResultsHeader& AuthResultsHeader::set_none_comment(std::string text) {
    none_comment_ = std::move(text);
    return *this;
}

std::string AuthResultsHeader::value() const {
    std::string out;
    append_value(out);
    return out;
}

void AuthResultsHeader::append_value(std::string& out) const {
    out.append(mime_value(authserv_id_));
    if (version_) out.append(1, ' ').append(std::to_string(*version_));
    if (results_.empty()) {
        out.append("; none");
        if (!none_comment_.empty()) out.append(1, ' ').append(comment(none_comment_));
        return;
    }
    for (const auto& r : results_) {
        out.append("; ");
        append_result(out, r);
    }
}

std::string AuthResultsHeader::to_string() const {
    std::string out;
    out.reserve(256);
    out.append(kName).append(": ");
    append_value(out);
    return out;
}

}  // namespace mw::authres
