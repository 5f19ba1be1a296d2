#include "common/authres/auth_results.hpp"

#include <utility>

#include "common/authres/header_quoting.hpp"

namespace mw::authres {

namespace {

std::string format_result(const AuthResult& r) {
    std::string out = r.method + "=" + r.result;
    if (!r.comment.empty()) out += " " + comment(r.comment);
    if (!r.reason.empty()) out += " reason=" + mime_value(r.reason);
    for (const auto& p : r.properties)
        out += " " + p.ptype + "." + p.property + "=" + property_value(p.value);
    return out;
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
    std::string out = mime_value(authserv_id_);
    if (version_) out += " " + std::to_string(*version_);
    if (results_.empty()) {
        out += "; none";
        if (!none_comment_.empty()) out += " " + comment(none_comment_);
        return out;
    }
    for (const auto& r : results_) out += "; " + format_result(r);
    return out;
}

std::string AuthResultsHeader::to_string() const {
    return std::string(kName) + ": " + value();
}

}  // namespace mw::authres
