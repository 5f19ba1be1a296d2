#include "policyd/policy_request.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
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

// Ordered by length first: most lookups are settled by comparing sizes.
constexpr bool name_before(std::string_view a, std::string_view b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

constexpr auto kSortedFields = [] {
    auto sorted = kFields;
    std::sort(sorted.begin(), sorted.end(),
              [](const NamedField& a, const NamedField& b) { return name_before(a.name, b.name); });
    return sorted;
}();

Field field_named(std::string_view name) {
    const auto it = std::lower_bound(
        kSortedFields.begin(), kSortedFields.end(), name,
        [](const NamedField& f, std::string_view n) { return name_before(f.name, n); });
    return it != kSortedFields.end() && it->name == name ? it->field : nullptr;
}

bool is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

bool any_control(std::string_view s) {
    for (char c : s)
        if (is_control(static_cast<unsigned char>(c))) return true;
    return false;
}

// Eight bytes at a time: a word with no byte below 0x20 and none equal to 0x7f is clean. The
// test may flag a clean word (a tab, borrows), never miss a dirty one; flagged words are
// checked byte by byte.
bool has_control(std::string_view s) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHigh = 0x8080808080808080ull;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, sizeof w);
        const std::uint64_t del = w ^ (kOnes * 0x7f);
        const std::uint64_t flags = ((w - kOnes * 0x20) & ~w & kHigh) | ((del - kOnes) & ~del & kHigh);
        if (flags != 0 && any_control(s.substr(i, 8))) return true;
    }
    return any_control(s.substr(i));
}

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
    // A line (or the unfinished rest) at a time: memchr finds its end, take_line() takes it
    // whole when no limit or bad byte is involved; otherwise consume() walks it byte by byte
    // and reports the error exactly where it occurs.
    while (!bytes.empty() && !error_) {
        const void* nl = std::memchr(bytes.data(), '\n', bytes.size());
        const std::size_t len =
            nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - bytes.data()) + 1 : bytes.size();
        const std::string_view chunk = bytes.substr(0, len);
        if (!take_line(chunk, nl != nullptr))
            for (char c : chunk) {
                if (error_) return;
                consume(c);
            }
        bytes.remove_prefix(len);
    }
}

bool PolicyRequestParser::take_line(std::string_view chunk, bool ends_line) {
    if (pending_cr_ || request_bytes_ + chunk.size() > limits::kMaxPolicyRequest) return false;
    std::string_view text = ends_line ? chunk.substr(0, chunk.size() - 1) : chunk;
    const bool cr = !text.empty() && text.back() == '\r';
    if (cr) text.remove_suffix(1);
    if (line_.size() + text.size() > limits::kMaxPolicyLine || has_control(text)) return false;
    request_bytes_ += chunk.size();
    if (!ends_line) {
        line_.append(text);
        pending_cr_ = cr;
    } else if (line_.empty()) {
        end_line(text);
    } else {
        line_.append(text);
        end_line(line_);
    }
    return true;
}

PolicyParseResult PolicyRequestParser::next() {
    if (ready_head_ < ready_.size()) {
        PolicyRequest r = std::move(ready_[ready_head_++]);
        if (ready_head_ == ready_.size()) {
            ready_.clear();  // keeps the capacity: no allocation per request
            ready_head_ = 0;
        }
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
        return end_line(line_);
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

void PolicyRequestParser::end_line(std::string_view line) {
    if (line.empty()) return end_request();
    if (current_.attribute_count >= limits::kMaxPolicyAttrs)
        return set_error(PolicyRequestErrorKind::TooManyAttributes,
                         fmt::format("more than {} attributes", limits::kMaxPolicyAttrs));
    add_attribute(line);
    line_.clear();
}

void PolicyRequestParser::add_attribute(std::string_view line) {
    const auto eq = line.find('=');
    if (eq == std::string_view::npos)
        return set_error(PolicyRequestErrorKind::MissingEquals, "attribute line without '='");
    if (eq == 0) return set_error(PolicyRequestErrorKind::EmptyName, "attribute without a name");
    ++current_.attribute_count;
    if (Field f = field_named(line.substr(0, eq))) (current_.*f).assign(line.substr(eq + 1));
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
