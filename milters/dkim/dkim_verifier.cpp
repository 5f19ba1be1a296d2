#include "milters/dkim/dkim_verifier.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"
#include "milters/dkim/header_hash.hpp"
#include "milters/dkim/key_record.hpp"
#include "milters/dkim/public_key_cache.hpp"
#include "milters/dkim/signing_key.hpp"
#include "milters/dkim/tag_list.hpp"

namespace mw::dkim {

struct MessageVerifier::Candidate {
    std::size_t header_index = 0;
    Result<DkimSignature> sig = fail(ErrorCode::Internal, "unset");
    std::size_t hasher = 0;         // index into hashers_, when sig parsed
    std::optional<Digest> body_hash;
};

namespace {

VerifyResult outcome(VerifyStatus s, std::string reason) { return VerifyResult{s, std::move(reason)}; }

std::string b_prefix_of(std::string_view value) {
    auto tags = TagList::parse(value);
    if (!tags) return {};
    const auto b = tags->find("b");
    return b ? remove_fws(*b).substr(0, 8) : std::string();
}

// The first record that parses wins; with none, the last parse error (§3.6.2.2).
Result<KeyRecord> select_record(const KeyAnswer& answer) {
    Result<KeyRecord> last = fail(ErrorCode::NotFound, "no key record");
    for (const auto& txt : answer.records) {
        last = KeyRecord::parse(txt);
        if (last) return last;
    }
    return last;
}

// i= domain equals d= exactly (key t=s, §3.6.1).
bool identity_domain_is(std::string_view identity, std::string_view domain) {
    const auto at = identity.rfind('@');
    return at != std::string_view::npos && iequals_ascii(identity.substr(at + 1), domain);
}

std::optional<VerifyResult> check_key(const DkimSignature& sig, const KeyRecord& key) {
    if (key.revoked) return outcome(VerifyStatus::PermError, "key revoked");
    const bool type_ok = (sig.algorithm == Algorithm::Ed25519Sha256) == (key.type == KeyType::Ed25519);
    if (!type_ok) return outcome(VerifyStatus::PermError, "key type does not match a=");
    if (!key.allows_sha256) return outcome(VerifyStatus::PermError, "key h= excludes sha256");
    if (key.strict && !identity_domain_is(sig.identity, sig.domain))
        return outcome(VerifyStatus::PermError, "key t=s and i= is a subdomain");
    return std::nullopt;
}

}  // namespace

std::string_view verify_status_name(VerifyStatus s) {
    switch (s) {
        case VerifyStatus::Pass: return "pass";
        case VerifyStatus::Fail: return "fail";
        case VerifyStatus::Neutral: return "neutral";
        case VerifyStatus::Policy: return "policy";
        case VerifyStatus::TempError: return "temperror";
        case VerifyStatus::PermError: return "permerror";
    }
    return "permerror";
}

MessageVerifier::MessageVerifier(std::vector<MessageHeader> headers) : headers_(std::move(headers)) {
    struct HasherKey { Canon canon; std::optional<std::uint64_t> length; };
    std::vector<HasherKey> keys;
    for (std::size_t i = 0; i < headers_.size() && candidates_.size() < limits::kMaxDkimSignatures; ++i) {
        if (!iequals_ascii(headers_[i].name, "DKIM-Signature")) continue;
        Candidate c{i, DkimSignature::parse(headers_[i].value)};
        if (c.sig) {
            const HasherKey k{c.sig->canon.body, c.sig->body_length};
            std::size_t h = 0;
            while (h < keys.size() && !(keys[h].canon == k.canon && keys[h].length == k.length)) ++h;
            if (h == keys.size()) {
                keys.push_back(k);
                hashers_.push_back(std::make_unique<BodyHasher>(k.canon, k.length));
            }
            c.hasher = h;
        }
        candidates_.push_back(std::move(c));
    }
}

MessageVerifier::~MessageVerifier() = default;
MessageVerifier::MessageVerifier(MessageVerifier&&) noexcept = default;

std::vector<std::pair<std::string, std::string>> MessageVerifier::key_names() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& c : candidates_)
        if (c.sig) out.emplace_back(c.sig->domain, c.sig->selector);
    return out;
}

void MessageVerifier::feed_body(std::string_view chunk) {
    for (auto& h : hashers_) h->feed(chunk);
}

std::vector<VerifyResult> MessageVerifier::finish(const KeyLookup& lookup, std::uint64_t now) {
    std::vector<std::optional<Digest>> digests(hashers_.size());
    std::vector<std::uint64_t> lengths(hashers_.size());
    for (std::size_t h = 0; h < hashers_.size(); ++h) {
        digests[h] = hashers_[h]->finish();
        lengths[h] = hashers_[h]->canonical_length();
    }
    std::vector<VerifyResult> out;
    for (auto& c : candidates_) {
        if (c.sig) c.body_hash = digests[c.hasher];
        const bool short_body = c.sig && c.sig->body_length && *c.sig->body_length > lengths[c.hasher];
        VerifyResult r = short_body ? outcome(VerifyStatus::PermError, "l= is longer than the body")
                                    : check(c, lookup, now);
        if (c.sig) {
            r.domain = c.sig->domain;
            r.selector = c.sig->selector;
        }
        r.b_prefix = b_prefix_of(headers_[c.header_index].value);
        out.push_back(std::move(r));
    }
    return out;
}

VerifyResult MessageVerifier::check(Candidate& c, const KeyLookup& lookup, std::uint64_t now) const {
    if (!c.sig) return outcome(VerifyStatus::PermError, c.sig.error().message);
    const DkimSignature& sig = *c.sig;
    if (sig.algorithm == Algorithm::RsaSha1) return outcome(VerifyStatus::Policy, "rsa-sha1 is not accepted (RFC 8301)");
    if (sig.expiration && *sig.expiration < now) return outcome(VerifyStatus::PermError, "signature expired");
    const KeyAnswer answer = lookup(sig.domain, sig.selector);
    if (answer.kind == KeyAnswer::Kind::TempError) return outcome(VerifyStatus::TempError, "key lookup failed");
    if (answer.kind == KeyAnswer::Kind::NotFound) return outcome(VerifyStatus::PermError, "no key record");
    if (answer.kind == KeyAnswer::Kind::Invalid)
        return outcome(VerifyStatus::PermError, "key record unusable: " + answer.why);
    auto record = select_record(answer);
    if (!record) return outcome(VerifyStatus::PermError, "bad key record: " + record.error().message);
    if (auto bad = check_key(sig, *record)) return *bad;
    auto key = shared_public_key_cache().get(*record);
    if (!key) return outcome(VerifyStatus::PermError, key.error().message);
    if (key->type() == KeyType::Rsa && key->bits() < limits::kMinDkimRsaBits)
        return outcome(VerifyStatus::Policy, fmt::format("RSA key of {} bits is too small (RFC 8301)", key->bits()));
    VerifyResult result = outcome(VerifyStatus::Fail, "body hash did not verify");
    result.testing = record->testing;
    if (std::string_view(reinterpret_cast<const char*>(c.body_hash->data()), c.body_hash->size()) != sig.body_hash)
        return result;
    const std::string stripped = strip_b_value(headers_[c.header_index].value);
    HeaderHashInput in{&headers_, &sig.signed_headers, c.header_index, headers_[c.header_index].name, stripped,
                       sig.canon.header};
    auto data = header_hash_data(in);
    if (!data) return outcome(VerifyStatus::PermError, data.error().message);
    const bool ok = key->verify(sig.algorithm, *data, sig.signature);
    result.status = ok ? VerifyStatus::Pass : VerifyStatus::Fail;
    result.reason = ok ? "" : "signature did not verify";
    return result;
}

}  // namespace mw::dkim
