#include "policyd/policy_request.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

constexpr std::size_t kLongestName = kSortedFields.back().name.size();

// kFirstOfSize[n]: the index of the first name of size >= n in kSortedFields.
constexpr auto kFirstOfSize = [] {
    std::array<std::size_t, kLongestName + 2> first{};
    std::size_t i = 0;
    for (std::size_t n = 0; n < first.size(); ++n) {
        while (i < kSortedFields.size() && kSortedFields[i].name.size() < n) ++i;
        first[n] = i;
    }
    return first;
}();

// The names of one size (at most six) are compared first by their first byte.
Field field_named(std::string_view name) {
    if (name.size() > kLongestName) return nullptr;
    for (std::size_t i = kFirstOfSize[name.size()]; i < kFirstOfSize[name.size() + 1]; ++i) {
        const NamedField& f = kSortedFields[i];
        if (f.name[0] == name[0] && f.name == name) return f.field;
    }
    return nullptr;
}

void reset(PolicyRequest& r) {
    for (const NamedField& f : kFields) (r.*f.field).clear();
    r.attribute_count = 0;
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

// True when `s` holds a control byte other than tab and LF (CR included): one pass over a whole
// fed buffer, so that its lines need no scan of their own.
bool has_control_but_lf(std::string_view s) {
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i k1f = _mm_set1_epi8(0x1f);
    const __m128i tab = _mm_set1_epi8('\t');
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i del = _mm_set1_epi8(0x7f);
    for (; i + 16 <= s.size(); i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
        const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, k1f), v);  // v <= 0x1f
        const __m128i allowed = _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf));
        const __m128i bad = _mm_or_si128(_mm_andnot_si128(allowed, low), _mm_cmpeq_epi8(v, del));
        if (_mm_movemask_epi8(bad) != 0) return true;
    }
#endif
    for (; i < s.size(); ++i)
        if (s[i] != '\n' && is_control(static_cast<unsigned char>(s[i]))) return true;
    return false;
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

PolicyRequestParser::PolicyRequestParser() : slots_(1) {}

void PolicyRequestParser::feed(std::string_view bytes) {
    // A line (or the unfinished rest) at a time: memchr finds its end, take_line() takes it
    // whole when no limit or bad byte is involved; otherwise consume() walks it byte by byte
    // and reports the error exactly where it occurs.
    clean_input_ = !has_control_but_lf(bytes);
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
    if (line_.size() + text.size() > limits::kMaxPolicyLine || (!clean_input_ && has_control(text)))
        return false;
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
    if (head_ < tail_) {
        PolicyRequest r = std::move(slots_[head_]);
        pop();
        return r;
    }
    if (error_) return tl::unexpected(*error_);
    return std::nullopt;
}

void PolicyRequestParser::pop() {
    if (head_ >= tail_ || ++head_ < tail_) return;
    // All taken: the request being read moves to the first slot, so that the slots in use
    // stay few (one, on a connection that sends one request at a time).
    if (request_bytes_ == 0) reset(slots_[0]);
    else std::swap(slots_[0], slots_[tail_]);
    head_ = tail_ = 0;
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
    if (current().attribute_count >= limits::kMaxPolicyAttrs)
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
    PolicyRequest& r = current();
    ++r.attribute_count;
    if (Field f = field_named(line.substr(0, eq))) (r.*f).assign(line.substr(eq + 1));
}

void PolicyRequestParser::end_request() {
    const std::string& type = current().request;
    if (type != kPolicyRequestType)
        return set_error(PolicyRequestErrorKind::NotPolicyRequest,
                         type.empty() ? std::string("request without request=smtpd_access_policy")
                                      : fmt::format("unsupported request type '{}'", type.substr(0, 64)));
    if (++tail_ == slots_.size()) slots_.emplace_back();
    else reset(slots_[tail_]);
    request_bytes_ = 0;
}

void PolicyRequestParser::set_error(PolicyRequestErrorKind kind, std::string message) {
    error_ = PolicyRequestError{kind, std::move(message)};
}

}  // namespace mw::policyd
