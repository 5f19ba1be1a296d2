#include "milters/dkim/key_record.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"
#include "milters/dkim/base64.hpp"
#include "milters/dkim/tag_list.hpp"

namespace mw::dkim {
namespace {

// Calls fn(item) for each colon-separated item, FWS trimmed.
template <typename Fn>
void for_each_item(std::string_view list, Fn fn) {
    std::size_t pos = 0;
    while (pos <= list.size()) {
        const auto colon = list.find(':', pos);
        fn(trim_fws(list.substr(pos, colon == std::string_view::npos ? colon : colon - pos)));
        pos = colon == std::string_view::npos ? list.size() + 1 : colon + 1;
    }
}

bool list_has(std::string_view list, std::string_view wanted) {
    bool found = false;
    for_each_item(list, [&](std::string_view item) { found = found || iequals_ascii(item, wanted); });
    return found;
}

Result<void> parse_key_type(const TagList& tags, KeyRecord& rec) {
    const auto k = tags.find("k");
    if (!k || iequals_ascii(*k, "rsa")) return {};
    if (!iequals_ascii(*k, "ed25519"))
        return fail(ErrorCode::Unsupported, fmt::format("key k=: unknown key type '{}'", *k));
    rec.type = KeyType::Ed25519;
    return {};
}

void parse_flags(const TagList& tags, KeyRecord& rec) {
    if (auto h = tags.find("h")) {
        rec.allows_sha256 = list_has(*h, "sha256");
        rec.allows_sha1 = list_has(*h, "sha1");
    }
    if (auto t = tags.find("t")) {
        rec.testing = list_has(*t, "y");
        rec.strict = list_has(*t, "s");
    }
}

}  // namespace

std::string_view key_type_name(KeyType t) { return t == KeyType::Rsa ? "rsa" : "ed25519"; }

Result<KeyRecord> KeyRecord::parse(std::string_view text) {
    auto tags = TagList::parse(text);
    if (!tags) return fail(tags.error());
    const auto& list = tags->tags();
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i].name != "v") continue;
        if (i != 0) return fail(ErrorCode::Invalid, "key v=: not the first tag");
        if (list[i].value != "DKIM1") return fail(ErrorCode::Invalid, "key v=: not DKIM1");
    }
    KeyRecord rec;
    if (auto r = parse_key_type(*tags, rec); !r) return fail(r.error());
    const auto p = tags->find("p");
    if (!p) return fail(ErrorCode::Invalid, "key p=: missing");
    auto key = base64_decode(*p);
    if (!key) return fail(ErrorCode::Invalid, "key p=: bad base64");
    rec.public_key = std::move(*key);
    rec.revoked = rec.public_key.empty();
    if (auto s = tags->find("s"); s && !list_has(*s, "*") && !list_has(*s, "email"))
        return fail(ErrorCode::Invalid, "key s=: not for email");
    parse_flags(*tags, rec);
    return rec;
}

}  // namespace mw::dkim
