#include "policyd/policy_request.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "common/base/limits.hpp"

namespace mw::policyd {

namespace {

using Field = std::string PolicyRequest::*;

struct NamedField {
    std::string_view name;
    Field field;
};

constexpr std::array<NamedField, 31> kFields{{
    {"request", &PolicyRequest::request},
    {"protocol_state", &PolicyRequest::protocol_state},
    {"protocol_name", &PolicyRequest::protocol_name},
    {"helo_name", &PolicyRequest::helo_name},
    {"queue_id", &PolicyRequest::queue_id},
    {"sender", &PolicyRequest::sender},
    {"recipient", &PolicyRequest::recipient},
    {"recipient_count", &PolicyRequest::recipient_count},
    {"client_address", &PolicyRequest::client_address},
    {"client_name", &PolicyRequest::client_name},
    {"reverse_client_name", &PolicyRequest::reverse_client_name},
    {"instance", &PolicyRequest::instance},
    {"sasl_method", &PolicyRequest::sasl_method},
    {"sasl_username", &PolicyRequest::sasl_username},
    {"sasl_sender", &PolicyRequest::sasl_sender},
    {"size", &PolicyRequest::size},
    {"ccert_subject", &PolicyRequest::ccert_subject},
    {"ccert_issuer", &PolicyRequest::ccert_issuer},
    {"ccert_fingerprint", &PolicyRequest::ccert_fingerprint},
    {"ccert_pubkey_fingerprint", &PolicyRequest::ccert_pubkey_fingerprint},
    {"encryption_protocol", &PolicyRequest::encryption_protocol},
    {"encryption_cipher", &PolicyRequest::encryption_cipher},
    {"encryption_keysize", &PolicyRequest::encryption_keysize},
    {"etrn_domain", &PolicyRequest::etrn_domain},
    {"stress", &PolicyRequest::stress},
    {"client_port", &PolicyRequest::client_port},
    {"policy_context", &PolicyRequest::policy_context},
    {"server_address", &PolicyRequest::server_address},
    {"server_port", &PolicyRequest::server_port},
    {"compatibility_level", &PolicyRequest::compatibility_level},
    {"mail_version", &PolicyRequest::mail_version},
}};

constexpr std::string_view kPolicyRequestType = "smtpd_access_policy";

Field field_named(std::string_view name) {
    for (const auto& f : kFields)
        if (f.name == name) return f.field;
    return nullptr;
}

bool is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

}  // namespace

const char* to_string(PolicyRequestErrorKind kind) {
    switch (kind) {
        case PolicyRequestErrorKind::LineTooLong: return "line too long";
        case PolicyRequestErrorKind::TooManyAttributes: return "too many attributes";
        case PolicyRequestErrorKind::RequestTooLong: return "request too long";
        case PolicyRequestErrorKind::MissingEquals: return "line without '='";
        case PolicyRequestErrorKind::EmptyName: return "empty attribute name";
        case PolicyRequestErrorKind::BadByte: return "control character";
        case PolicyRequestErrorKind::NotPolicyRequest: return "not an smtpd_access_policy request";
    }
    return "unknown";
}

std::optional<net::IpAddress> PolicyRequest::client_ip() const {
    return net::IpAddress::parse(client_address);
}

void PolicyRequestParser::feed(std::string_view bytes) {
    for (char c : bytes) {
        if (error_) return;
        consume(c);
    }
}

PolicyParseResult PolicyRequestParser::next() {
    if (!ready_.empty()) {
        PolicyRequest r = std::move(ready_.front());
        ready_.pop_front();
        return r;
    }
    if (error_) return tl::unexpected(*error_);
    return std::nullopt;
}

void PolicyRequestParser::consume(char c) {
    if (++request_bytes_ > limits::kMaxPolicyRequest)
        return set_error(PolicyRequestErrorKind::RequestTooLong,
                         fmt::format("request longer than {} bytes", limits::kMaxPolicyRequest));
    if (c == '\n') {
        pending_cr_ = false;
        return end_line();
    }
    // A CR is only allowed as the first half of CRLF.
    if (pending_cr_ || c == '\r') {
        if (!pending_cr_) {
            pending_cr_ = true;
            return;
        }
        return set_error(PolicyRequestErrorKind::BadByte, "CR not followed by LF");
    }
    const auto u = static_cast<unsigned char>(c);
    if (is_control(u))
        return set_error(PolicyRequestErrorKind::BadByte,
                         fmt::format("control character 0x{:02x} in line", u));
    if (line_.size() >= limits::kMaxPolicyLine)
        return set_error(PolicyRequestErrorKind::LineTooLong,
                         fmt::format("line longer than {} bytes", limits::kMaxPolicyLine));
    line_.push_back(c);
}

void PolicyRequestParser::end_line() {
    if (line_.empty()) return end_request();
    if (current_.attribute_count >= limits::kMaxPolicyAttrs)
        return set_error(PolicyRequestErrorKind::TooManyAttributes,
                         fmt::format("more than {} attributes", limits::kMaxPolicyAttrs));
    add_attribute(line_);
    line_.clear();
}

void PolicyRequestParser::add_attribute(std::string_view line) {
    const auto eq = line.find('=');
    if (eq == std::string_view::npos)
        return set_error(PolicyRequestErrorKind::MissingEquals, "attribute line without '='");
    if (eq == 0) return set_error(PolicyRequestErrorKind::EmptyName, "attribute without a name");
    ++current_.attribute_count;
    if (Field f = field_named(line.substr(0, eq))) current_.*f = std::string(line.substr(eq + 1));
}

void PolicyRequestParser::end_request() {
    if (current_.request != kPolicyRequestType)
        return set_error(PolicyRequestErrorKind::NotPolicyRequest,
                         current_.request.empty()
                             ? std::string("request without request=smtpd_access_policy")
                             : fmt::format("unsupported request type '{}'",
                                           current_.request.substr(0, 64)));
    ready_.push_back(std::move(current_));
    current_ = PolicyRequest{};
    request_bytes_ = 0;
}

void PolicyRequestParser::set_error(PolicyRequestErrorKind kind, std::string message) {
    error_ = PolicyRequestError{kind, std::move(message)};
}

}  // namespace mw::policyd
