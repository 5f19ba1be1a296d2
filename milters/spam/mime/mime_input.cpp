#include "milters/spam/mime/mime_input.hpp"

#include <algorithm>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"

namespace mw::spam {
namespace {

constexpr std::string_view kContentType = "content-type:";

/// A "Content-Type:" line naming a container type (multipart/*, message/*).
bool opens_container(std::string_view line) {
    if (line.size() < kContentType.size() || !iequals_ascii(line.substr(0, kContentType.size()), kContentType))
        return false;
    const std::string value = to_lower_ascii(line.substr(kContentType.size(), 80));
    return value.find("multipart") != std::string::npos || value.find("message/") != std::string::npos;
}

}  // namespace

MimeInput bound_mime_input(std::string_view raw, const MimeLimits& limits) {
    const std::size_t max_containers = std::min(limits::kMaxSpamMimeContainers, limits.max_parts);
    const std::size_t max_dash_lines = 2 * limits.max_parts + 16;
    std::size_t containers = 0, dash_lines = 0;
    std::size_t pos = 0;
    while (pos < raw.size()) {
        const std::size_t nl = raw.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? raw.size() : nl + 1;
        const std::string_view line = raw.substr(pos, end - pos);
        const bool dash = line.starts_with("--");
        const bool container = !dash && (line[0] == 'c' || line[0] == 'C') && opens_container(line);
        if ((dash && ++dash_lines > max_dash_lines) || (container && ++containers > max_containers))
            return MimeInput{raw.substr(0, pos), true};
        pos = end;
    }
    return MimeInput{raw, false};
}

}  // namespace mw::spam
