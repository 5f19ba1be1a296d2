#include "milters/dnsbl/dnsbl_answer.hpp"

#include <fmt/format.h>

namespace mw::dnsbl {

const char* to_string(DnsblStatus status) {
    switch (status) {
        case DnsblStatus::Listed: return "listed";
        case DnsblStatus::NotListed: return "not_listed";
        case DnsblStatus::Failed: return "failed";
        case DnsblStatus::Skipped: return "skipped";
    }
    return "failed";
}

std::optional<std::string> error_code_reason(const net::IpAddress& code) {
    const auto ip = code.unmapped();
    const uint8_t* b = ip.bytes();
    if (!ip.is_v4() || b[0] != 127)
        return fmt::format("answer {} is outside 127.0.0.0/8 (RFC 5782 §2.1): hijacking resolver?",
                           ip.to_string());
    if (b[1] == 255 && b[2] == 255)
        return fmt::format(
            "answer {}: query refused by the list (open or public resolver, "
            "over the limit or bad zone)",
            ip.to_string());
    if (b[1] == 0 && b[2] == 0 && b[3] == 255)
        return fmt::format("answer {}: over the list's query quota", ip.to_string());
    return std::nullopt;
}

namespace {

ClassifiedAnswer failed(std::string why) {
    return ClassifiedAnswer{DnsblStatus::Failed, {}, std::move(why)};
}

}  // namespace

ClassifiedAnswer classify_answer(const dns::Answer& answer, const ReplyFilter* filter) {
    if (answer.is_void()) return {};
    if (!answer.ok()) {
        std::string why = dns::to_string(answer.rcode);
        if (!answer.why.empty()) why += ": " + answer.why;
        return failed(std::move(why));
    }
    for (const auto& code : answer.addresses)
        if (auto why = error_code_reason(code)) return failed(std::move(*why));
    ClassifiedAnswer result;
    for (const auto& code : answer.addresses)
        if (!filter || filter->matches(code)) result.codes.push_back(code.unmapped());
    result.status = result.codes.empty() ? DnsblStatus::NotListed : DnsblStatus::Listed;
    return result;
}

}  // namespace mw::dnsbl
