#include "common/authres/received_spf.hpp"

#include "common/authres/header_quoting.hpp"

namespace mw::authres {

ReceivedSpfHeader::ReceivedSpfHeader(std::string result, std::string comment_text)
    : result_(std::move(result)), comment_(std::move(comment_text)) {}

ReceivedSpfHeader& ReceivedSpfHeader::add(std::string key, std::string value) {
    pairs_.emplace_back(std::move(key), std::move(value));
    return *this;
}

std::string ReceivedSpfHeader::value() const {
    std::string out = result_;
    if (!comment_.empty()) out += " " + comment(comment_);
    for (const auto& [k, v] : pairs_) out += " " + k + "=" + dot_atom_or_quoted(v) + ";";
    return out;
}

std::string ReceivedSpfHeader::to_string() const {
    return std::string(kName) + ": " + value();
}

}  // namespace mw::authres
