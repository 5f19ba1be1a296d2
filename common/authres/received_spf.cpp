#include "common/authres/received_spf.hpp"

#include "common/authres/header_quoting.hpp"

namespace mw::authres {

ReceivedSpfHeader::ReceivedSpfHeader(std::string result, std::string comment_text)
    : result_(std::move(result)), comment_(std::move(comment_text)) {}

ReceivedSpfHeader& ReceivedSpfHeader::add(std::string key, std::string value) {
    pairs_.emplace_back(std::move(key), std::move(value));
    return *this;
}

// append() only, no operator+ chains: one buffer, and g++ 12 -O3 warns (-Wrestrict) on the
// temporaries of `" " + a + b`.
void ReceivedSpfHeader::append_value(std::string& out) const {
    out.append(result_);
    if (!comment_.empty()) out.append(1, ' ').append(comment(comment_));
    for (const auto& [k, v] : pairs_)
        out.append(1, ' ').append(k).append(1, '=').append(dot_atom_or_quoted(v)).push_back(';');
}

std::size_t ReceivedSpfHeader::estimated_size() const {
    std::size_t n = kName.size() + 4 + result_.size() + comment_.size();
    for (const auto& [k, v] : pairs_) n += k.size() + v.size() + 5;
    return n;
}

std::string ReceivedSpfHeader::value() const {
    std::string out;
    out.reserve(estimated_size());
    append_value(out);
    return out;
}

std::string ReceivedSpfHeader::to_string() const {
    std::string out;
    out.reserve(estimated_size());
    out.append(kName).append(": ");
    append_value(out);
    return out;
}

}  // namespace mw::authres
