#include "milters/dkim/message_header.hpp"

namespace mw::dkim {

std::string to_crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
        out += text[i];
    }
    return out;
}

MessageHeader header_from_milter(std::string_view name, std::string_view value, bool leadspc) {
    std::string wire = leadspc ? std::string() : std::string(" ");
    wire += to_crlf(value);
    return MessageHeader{std::string(name), std::move(wire)};
}

std::string header_value_for_milter(const MessageHeader& header, bool leadspc) {
    std::string_view v = header.value;
    if (!leadspc && !v.empty() && v.front() == ' ') v.remove_prefix(1);
    std::string out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\r' && i + 1 < v.size() && v[i + 1] == '\n') continue;
        out += v[i];
    }
    return out;
}

}  // namespace mw::dkim
