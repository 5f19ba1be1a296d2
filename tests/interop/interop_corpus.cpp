#include "tests/interop/interop_corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "milters/dkim/base64.hpp"
#include "milters/dkim/dkim_signer.hpp"
#include "milters/dkim/message_header.hpp"
#include "milters/dkim/signing_key.hpp"
#include "tests/interop/eml_message.hpp"
#include "tests/unit/milters/dkim/test_keys.hpp"

namespace mw::test {

namespace {
constexpr std::uint64_t kSignTime = 1700000000;
constexpr std::size_t kLineWidth = 72;

InteropKey make_key(dkim::KeyType type, const std::string& selector, const char* pem) {
    auto key = dkim::PrivateKey::from_pem(pem);
    if (!key) throw std::runtime_error("test key: " + key.error().to_string());
    const std::string k = type == dkim::KeyType::Rsa ? "rsa" : "ed25519";
    return {type, selector, pem, "v=DKIM1; k=" + k + "; p=" + dkim::base64_encode(key->public_key_bytes())};
}
}  // namespace

std::vector<std::pair<std::string, std::string>> read_messages(const std::string& dir) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        out.emplace_back(entry.path().filename().string(),
                         dkim::to_crlf(std::string(std::istreambuf_iterator<char>(in), {})));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string generated_message(std::size_t bytes) {
    std::string m = "From: Bulk Sender <bulk@example.com>\r\nTo: someone@example.net\r\n"
                    "Subject: generated\r\nDate: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
                    "Message-ID: <generated@example.com>\r\n\r\n";
    for (std::size_t i = 0; m.size() < bytes; ++i) {
        std::string line;
        while (line.size() < kLineWidth) line.push_back(static_cast<char>('!' + (i * 7 + line.size()) % 94));
        m += line + "\r\n";
    }
    return m;
}

std::string tampered(std::string_view message) { return std::string(message) + "tampered\r\n"; }

std::vector<dkim::Canonicalization> all_canonicalizations() {
    using dkim::Canon;
    return {{Canon::Simple, Canon::Simple}, {Canon::Simple, Canon::Relaxed},
            {Canon::Relaxed, Canon::Simple}, {Canon::Relaxed, Canon::Relaxed}};
}

std::vector<InteropKey> interop_keys() {
    return {make_key(dkim::KeyType::Rsa, "rsa", dkim::test::kRsa2048Pem),
            make_key(dkim::KeyType::Ed25519, "ed", dkim::test::kEd25519Pem)};
}

std::string ours_sign(std::string_view message, const InteropKey& key, dkim::Canonicalization canon) {
    auto pk = dkim::PrivateKey::from_pem(key.pem);
    if (!pk) throw std::runtime_error(pk.error().to_string());
    dkim::SignerOptions opt;
    opt.canon = canon;
    dkim::MessageSigner signer({dkim::SigningKey{kInteropDomain, key.selector, std::move(*pk)}}, opt);
    const auto msg = EmlMessage::parse(message);
    signer.feed_body(msg.body);
    auto fields = signer.finish(msg.headers, kSignTime);
    if (!fields) throw std::runtime_error(fields.error().to_string());
    std::string out;
    for (const auto& f : *fields) out += f.name + ":" + f.value + "\r\n";
    return out + dkim::to_crlf(message);
}

dkim::KeyLookup resolver_key_lookup(dns::Resolver& resolver) {
    return [&resolver](std::string_view domain, std::string_view selector) {
        using Kind = dkim::KeyAnswer::Kind;
        const auto name = std::string(selector) + "._domainkey." + std::string(domain);
        const auto a = resolver.query(name, dns::RrType::TXT, Deadline::after(std::chrono::seconds(5)));
        if (a.ok() && !a.texts.empty()) return dkim::KeyAnswer{Kind::Found, a.texts, {}};
        if (a.ok() || a.rcode == dns::Rcode::NxDomain) return dkim::KeyAnswer{Kind::NotFound, {}, {}};
        return dkim::KeyAnswer{Kind::TempError, {}, a.why};
    };
}

std::vector<dkim::VerifyResult> ours_verify(std::string_view message, const dkim::KeyLookup& lookup) {
    const auto msg = EmlMessage::parse(message);
    dkim::MessageVerifier v(msg.headers);
    v.feed_body(msg.body);
    return v.finish(lookup, kSignTime + 1);
}

}  // namespace mw::test
