// Parses a DKIM tag-list (RFC 6376 §3.2): "name=value; name=value[;]", used by DKIM-Signature
// fields and key records. Names are case-sensitive, duplicates are errors, values keep inner
// white space and lose the FWS around them. 8-bit bytes are allowed in values (RFC 8616).
// Bounded: kMaxDkimTagList bytes, kMaxDkimTags tags. Pure; thread-safe. Views point into the
// input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"

namespace mw::dkim {

struct Tag {
    std::string_view name;
    std::string_view value;
};

class TagList {
public:
    static Result<TagList> parse(std::string_view text);

    std::optional<std::string_view> find(std::string_view name) const;
    const std::vector<Tag>& tags() const { return tags_; }

private:
    std::vector<Tag> tags_;
};

/// SP, HTAB, CR or LF: the bytes of FWS (RFC 5322 §3.2.2) as DKIM values carry them.
constexpr bool is_fws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
/// `s` without FWS at either end.
std::string_view trim_fws(std::string_view s);

/// Removes folding white space (SP, HTAB, CR, LF) from a value (for b=, bh=, p=, h=).
std::string remove_fws(std::string_view value);

}  // namespace mw::dkim
