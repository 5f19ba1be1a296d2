#include "milters/dkim/dkim_signature.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"
#include "milters/dkim/base64.hpp"
#include "milters/dkim/tag_list.hpp"

namespace mw::dkim {
namespace {

constexpr const char* kRequired[] = {"v", "a", "b", "bh", "d", "h", "s"};

tl::unexpected<Error> bad(std::string_view tag, std::string_view why) {
    return fail(ErrorCode::Invalid, fmt::format("tag {}=: {}", tag, why));
}

// "a@b.example" is within "example": the i= domain is d= or a subdomain of it (§3.5 i=).
bool identity_in_domain(std::string_view identity, std::string_view domain) {
    const auto at = identity.rfind('@');
    if (at == std::string_view::npos) return false;
    const std::string_view host = identity.substr(at + 1);
    if (iequals_ascii(host, domain)) return true;
    return host.size() > domain.size() + 1 && host[host.size() - domain.size() - 1] == '.' &&
           iequals_ascii(host.substr(host.size() - domain.size()), domain);
}

Result<std::vector<std::string>> parse_header_list(std::string_view h) {
    std::vector<std::string> names;
    const std::string flat = remove_fws(h);
    std::size_t pos = 0;
    while (pos <= flat.size()) {
        const auto colon = flat.find(':', pos);
        std::string name = flat.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
        pos = colon == std::string::npos ? flat.size() + 1 : colon + 1;
        if (name.empty()) return bad("h", "empty header name");
        if (names.size() == limits::kMaxDkimSignedHeaders)
            return fail(ErrorCode::TooLong, fmt::format("tag h=: more than {} names", limits::kMaxDkimSignedHeaders));
        names.push_back(std::move(name));
    }
    return names;
}

bool offers_dns_txt(std::string_view q) {
    const std::string flat = remove_fws(q);
    std::size_t pos = 0;
    while (pos <= flat.size()) {
        const auto colon = flat.find(':', pos);
        const auto item = std::string_view(flat).substr(pos, colon == std::string::npos ? colon : colon - pos);
        if (iequals_ascii(item, "dns/txt")) return true;
        pos = colon == std::string::npos ? flat.size() + 1 : colon + 1;
    }
    return false;
}

Result<void> parse_core(const TagList& tags, DkimSignature& sig) {
    for (const char* t : kRequired)
        if (!tags.find(t)) return fail(ErrorCode::Invalid, fmt::format("missing tag {}=", t));
    if (*tags.find("v") != "1") return bad("v", "unsupported version");
    const auto alg = parse_algorithm(*tags.find("a"));
    if (!alg) return fail(ErrorCode::Unsupported, fmt::format("tag a=: unknown algorithm '{}'", *tags.find("a")));
    sig.algorithm = *alg;
    auto b = base64_decode(*tags.find("b"));
    if (!b || b->empty()) return bad("b", "bad base64");
    sig.signature = std::move(*b);
    auto bh = base64_decode(*tags.find("bh"));
    if (!bh || bh->empty()) return bad("bh", "bad base64");
    sig.body_hash = std::move(*bh);
    sig.domain = std::string(*tags.find("d"));
    if (sig.domain.empty()) return bad("d", "empty");
    sig.selector = std::string(*tags.find("s"));
    if (sig.selector.empty()) return bad("s", "empty");
    return {};
}

Result<void> parse_optional(const TagList& tags, DkimSignature& sig) {
    if (auto c = tags.find("c")) {
        auto canon = parse_canonicalization(*c);
        if (!canon) return bad("c", "unknown canonicalization");
        sig.canon = *canon;
    }
    sig.identity = tags.find("i") ? std::string(*tags.find("i")) : "@" + sig.domain;
    if (!identity_in_domain(sig.identity, sig.domain)) return bad("i", "not within d=");
    if (auto q = tags.find("q"); q && !offers_dns_txt(*q)) return bad("q", "no dns/txt");
    struct Num { const char* tag; std::optional<std::uint64_t>* out; };
    for (Num n : {Num{"l", &sig.body_length}, Num{"t", &sig.timestamp}, Num{"x", &sig.expiration}}) {
        auto text = tags.find(n.tag);
        if (!text) continue;
        *n.out = parse_decimal(*text);
        if (!*n.out) return bad(n.tag, "not a number");
    }
    if (sig.timestamp && sig.expiration && *sig.expiration < *sig.timestamp)
        return bad("x", "before t=");
    return {};
}

}  // namespace

std::string_view algorithm_name(Algorithm a) {
    switch (a) {
        case Algorithm::RsaSha256: return "rsa-sha256";
        case Algorithm::Ed25519Sha256: return "ed25519-sha256";
        case Algorithm::RsaSha1: return "rsa-sha1";
    }
    return "?";
}

std::optional<Algorithm> parse_algorithm(std::string_view text) {
    for (Algorithm a : {Algorithm::RsaSha256, Algorithm::Ed25519Sha256, Algorithm::RsaSha1})
        if (iequals_ascii(text, algorithm_name(a))) return a;
    return std::nullopt;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
    if (text.empty() || text.size() > 19) return std::nullopt;  // 19 digits always fit in 64 bits
    std::uint64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + std::uint64_t(c - '0');
    }
    return v;
}

Result<DkimSignature> DkimSignature::parse(std::string_view value) {
    auto tags = TagList::parse(value);
    if (!tags) return fail(tags.error());
    DkimSignature sig;
    if (auto r = parse_core(*tags, sig); !r) return fail(r.error());
    if (auto r = parse_optional(*tags, sig); !r) return fail(r.error());
    auto names = parse_header_list(*tags->find("h"));
    if (!names) return fail(names.error());
    sig.signed_headers = std::move(*names);
    bool has_from = false;
    for (const auto& n : sig.signed_headers) has_from = has_from || iequals_ascii(n, "from");
    if (!has_from) return bad("h", "From is not signed");
    return sig;
}

}  // namespace mw::dkim
