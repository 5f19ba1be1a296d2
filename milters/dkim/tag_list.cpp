#include "milters/dkim/tag_list.hpp"

#include <string>

#include <fmt/format.h>

#include "common/base/limits.hpp"

namespace mw::dkim {
namespace {

constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_name_char(char c) { return is_alpha(c) || (c >= '0' && c <= '9') || c == '_'; }
constexpr bool is_value_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 0x21 && u != ';' && u != 0x7F) || is_fws(c);
}

Result<Tag> parse_spec(std::string_view spec) {
    const auto eq = spec.find('=');
    const std::string_view name = trim_fws(spec.substr(0, eq));
    if (eq == std::string_view::npos)
        return fail(ErrorCode::Invalid, fmt::format("tag '{}' has no '='", name));
    if (name.empty() || !is_alpha(name.front()))
        return fail(ErrorCode::Invalid, fmt::format("bad tag name '{}'", name));
    for (char c : name)
        if (!is_name_char(c)) return fail(ErrorCode::Invalid, fmt::format("bad tag name '{}'", name));
    const std::string_view value = trim_fws(spec.substr(eq + 1));
    for (char c : value)
        if (!is_value_char(c))
            return fail(ErrorCode::Invalid, fmt::format("bad character in tag '{}'", name));
    return Tag{name, value};
}

}  // namespace

Result<TagList> TagList::parse(std::string_view text) {
    if (text.size() > limits::kMaxDkimTagList)
        return fail(ErrorCode::TooLong, fmt::format("tag list longer than {} bytes", limits::kMaxDkimTagList));
    TagList list;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto semi = text.find(';', pos);
        const auto spec = text.substr(pos, semi == std::string_view::npos ? semi : semi - pos);
        pos = semi == std::string_view::npos ? text.size() + 1 : semi + 1;
        if (trim_fws(spec).empty() && pos > text.size()) break;  // "a=b;" ends with an empty spec
        auto tag = parse_spec(spec);
        if (!tag) return fail(tag.error());
        if (list.find(tag->name))
            return fail(ErrorCode::Invalid, fmt::format("duplicate tag '{}'", tag->name));
        if (list.tags_.size() == limits::kMaxDkimTags)
            return fail(ErrorCode::TooLong, fmt::format("more than {} tags", limits::kMaxDkimTags));
        list.tags_.push_back(*tag);
    }
    return list;
}

std::optional<std::string_view> TagList::find(std::string_view name) const {
    for (const auto& t : tags_)
        if (t.name == name) return t.value;
    return std::nullopt;
}

std::string_view trim_fws(std::string_view s) {
    while (!s.empty() && is_fws(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_fws(s.back())) s.remove_suffix(1);
    return s;
}

std::string remove_fws(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value)
        if (!is_fws(c)) out += c;
    return out;
}

}  // namespace mw::dkim
