#include "milters/dkim/header_hash.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"
#include "milters/dkim/tag_list.hpp"

namespace mw::dkim {
namespace {

// Bottom-up: the last instance of `name` below `limit` (exclusive) that is not skipped.
std::optional<std::size_t> find_from_bottom(const HeaderHashInput& in, std::string_view name,
                                            std::size_t limit) {
    for (std::size_t i = limit; i-- > 0;) {
        if (in.skip && *in.skip == i) continue;
        if (iequals_ascii(trim_fws((*in.headers)[i].name), name)) return i;
    }
    return std::nullopt;
}

}  // namespace

Result<std::string> header_hash_data(const HeaderHashInput& in) {
    std::string out;
    // Per name (lower-cased), where the next search upwards starts.
    std::vector<std::pair<std::string, std::size_t>> next;
    for (const auto& name : *in.signed_names) {
        const std::string key = to_lower_ascii(name);
        auto it = next.begin();
        while (it != next.end() && it->first != key) ++it;
        if (it == next.end()) it = next.insert(next.end(), {key, in.headers->size()});
        const auto found = find_from_bottom(in, key, it->second);
        if (!found) {
            it->second = 0;  // §5.4.2: none left, the name adds nothing
            continue;
        }
        it->second = *found;
        const auto& h = (*in.headers)[*found];
        append_canonical_header(out, h.name, h.value, in.canon);
        out += "\r\n";
        if (out.size() > limits::kMaxDkimHeaderBytes)
            return fail(ErrorCode::TooLong, fmt::format("signed headers over {} bytes", limits::kMaxDkimHeaderBytes));
    }
    append_canonical_header(out, in.signature_name, in.signature_value, in.canon);
    return out;
}

std::string strip_b_value(std::string_view value) {
    std::size_t pos = 0;
    while (pos < value.size()) {
        const auto semi = value.find(';', pos);
        const auto end = semi == std::string_view::npos ? value.size() : semi;
        const auto eq = value.find('=', pos);
        if (eq != std::string_view::npos && eq < end && trim_fws(value.substr(pos, eq - pos)) == "b") {
            // As dkimpy and OpenDKIM: the value and the FWS inside it go; FWS after it stays.
            std::size_t cut = end;
            while (cut > eq + 1 && is_fws(value[cut - 1])) --cut;
            return std::string(value.substr(0, eq + 1)) + std::string(value.substr(cut));
        }
        pos = end + 1;
    }
    return std::string(value);
}

}  // namespace mw::dkim
