#include "tests/interop/eml_message.hpp"

namespace mw::test {

EmlMessage EmlMessage::parse(std::string_view text) {
    const std::string crlf = dkim::to_crlf(text);
    EmlMessage m;
    std::size_t pos = 0;
    while (pos < crlf.size()) {
        const auto end = crlf.find("\r\n", pos);
        const std::string line = crlf.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        pos = end == std::string::npos ? crlf.size() : end + 2;
        if (line.empty()) break;  // end of the header block
        if ((line[0] == ' ' || line[0] == '\t') && !m.headers.empty()) {
            m.headers.back().value += "\r\n" + line;
            continue;
        }
        const auto colon = line.find(':');
        m.headers.push_back({line.substr(0, colon), colon == std::string::npos ? "" : line.substr(colon + 1)});
    }
    m.body = crlf.substr(pos);
    return m;
}

}  // namespace mw::test
