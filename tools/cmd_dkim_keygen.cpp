// `mailwarden dkim keygen --domain D --selector S [--type rsa|ed25519] [--bits N] [--dir DIR]`:
// makes a DKIM key pair with OpenSSL, writes DIR/S.private (PKCS#8 PEM, created 0600 with
// O_EXCL, never overwritten) and prints the key record (RFC 6376 §3.6.1, RFC 8463 §4) as a zone
// file TXT line, split into strings of at most 255 bytes (RFC 1035 §3.3.14); also in DIR/S.txt.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "common/base/c_handle.hpp"
#include "common/base/limits.hpp"
#include "common/base/unique_fd.hpp"
#include "milters/dkim/base64.hpp"
#include "milters/dkim/signing_key.hpp"
#include "tools/dkim_key_name.hpp"
#include "tools/option_args.hpp"
#include "tools/subcommand.hpp"

namespace mw::tools {

namespace {

constexpr const char* kUsage =
    "usage: mailwarden dkim keygen --domain D --selector S [options]\n"
    "  --domain D         the signing domain (d=)\n"
    "  --selector S       the selector (s=); the key goes to DIR/S.private, the record to DIR/S.txt\n"
    "  --type T           rsa (default) or ed25519\n"
    "  --bits N           RSA key size, 1024..8192 (default 2048)\n"
    "  --dir DIR          where to write the files (default .)\n"
    "exit status: 0 written, 1 failure, 2 usage error\n";

constexpr int kDefaultRsaBits = 2048;
constexpr std::size_t kMaxTxtString = 255;  // one character-string in a TXT RR (RFC 1035 §3.3)

using EvpKeyCtx = CHandle<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using Bio = CHandle<BIO, BIO_free>;

struct KeygenOptions {
    std::string domain;
    std::string selector;
    dkim::KeyType type = dkim::KeyType::Rsa;
    int bits = kDefaultRsaBits;
    std::string dir = ".";
    bool help = false;
};

Result<int> parse_bits(const std::string& v) {
    int bits = 0;
    for (char c : v) {
        if (c < '0' || c > '9' || bits > limits::kMaxDkimRsaBits) return fail(ErrorCode::Invalid, "--bits wants a number");
        bits = bits * 10 + (c - '0');
    }
    if (v.empty() || bits < limits::kMinDkimRsaBits || bits > limits::kMaxDkimRsaBits)
        return fail(ErrorCode::Invalid, fmt::format("--bits must be {}..{}", limits::kMinDkimRsaBits, limits::kMaxDkimRsaBits));
    return bits;
}

Result<bool> set_option(KeygenOptions& o, const std::string& a, const std::string& v) {
    if (a == "--domain") o.domain = v;
    else if (a == "--selector") o.selector = v;
    else if (a == "--dir") o.dir = v;
    else if (a == "--type" && v == "rsa") o.type = dkim::KeyType::Rsa;
    else if (a == "--type" && v == "ed25519") o.type = dkim::KeyType::Ed25519;
    else if (a == "--type") return fail(ErrorCode::Invalid, "--type wants rsa or ed25519");
    else if (a == "--bits") {
        auto bits = parse_bits(v);
        if (!bits) return fail(bits.error());
        o.bits = *bits;
    } else {
        return unknown_option(a);
    }
    return true;
}

Result<KeygenOptions> parse_options(const Args& args) {
    KeygenOptions o;
    auto applied = apply_options(args, o, set_option);
    if (!applied) return fail(applied.error());
    if (o.help) return o;
    auto names = check_key_names(o.domain, o.selector);
    if (!names) return fail(names.error());
    if (o.dir.empty()) return fail(ErrorCode::Invalid, "--dir wants a directory");
    return o;
}

Result<dkim::EvpKey> generate_key(dkim::KeyType type, int bits) {
    const int id = type == dkim::KeyType::Rsa ? EVP_PKEY_RSA : EVP_PKEY_ED25519;
    EvpKeyCtx ctx(EVP_PKEY_CTX_new_id(id, nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0) return fail(ErrorCode::Internal, "key generation set-up failed");
    if (type == dkim::KeyType::Rsa && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) <= 0)
        return fail(ErrorCode::Internal, "cannot set the RSA key size");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_keygen(ctx.get(), &raw) <= 0) return fail(ErrorCode::Internal, "key generation failed");
    return dkim::EvpKey(raw);
}

// PEM_write_bio_PrivateKey writes PKCS#8 ("PRIVATE KEY") for every key type.
Result<std::string> private_pem(EVP_PKEY* key) {
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return fail(ErrorCode::Internal, "cannot encode the private key");
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

// `S._domainkey.D. IN TXT ( "v=DKIM1; k=rsa; " "p=..." ... )`, no string over kMaxTxtString.
std::string dns_record(const KeygenOptions& o, std::string_view public_key) {
    const std::string p = "p=" + dkim::base64_encode(public_key);
    std::string out = fmt::format("{}._domainkey.{}. IN TXT ( \"v=DKIM1; k={}; \"", o.selector, o.domain,
                                  dkim::key_type_name(o.type));
    for (std::size_t i = 0; i < p.size(); i += kMaxTxtString)
        out += fmt::format("\n\t\"{}\"", p.substr(i, kMaxTxtString));
    return out + " )\n";
}

// O_EXCL: never replaces an existing file; the mode is set at creation, before any byte lands.
Result<bool> write_new_file(const std::string& path, std::string_view text, mode_t mode) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd.valid() && errno == EEXIST)
        return fail(ErrorCode::Io, path + " already exists; not overwriting it");
    if (!fd.valid()) return fail(ErrorCode::Io, fmt::format("cannot create {}: {}", path, std::strerror(errno)));
    while (!text.empty()) {
        const ssize_t n = ::write(fd.get(), text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::unlink(path.c_str());
            return fail(ErrorCode::Io, fmt::format("cannot write {}: {}", path, std::strerror(errno)));
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fsync(fd.get()) != 0) {
        ::unlink(path.c_str());
        return fail(ErrorCode::Io, fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    }
    return true;
}

// The key is re-read through PrivateKey::from_pem, so what we write is what the milter loads.
Result<std::string> make_key_files(const KeygenOptions& o) {
    auto key = generate_key(o.type, o.bits);
    if (!key) return fail(key.error());
    auto pem = private_pem(key->get());
    if (!pem) return fail(pem.error());
    auto loaded = dkim::PrivateKey::from_pem(*pem);
    if (!loaded) return fail(loaded.error());
    const std::string record = dns_record(o, loaded->public_key_bytes());
    const std::string key_path = o.dir + "/" + o.selector + ".private";
    auto wrote = write_new_file(key_path, *pem, 0600);
    if (!wrote) return fail(wrote.error());
    wrote = write_new_file(o.dir + "/" + o.selector + ".txt", record, 0644);
    if (!wrote) {
        ::unlink(key_path.c_str());  // a key without its record is only clutter
        return fail(wrote.error());
    }
    return record;
}

}  // namespace

int run_dkim_keygen(const Args& args) {
    auto o = parse_options(args);
    if (!o) {
        std::fprintf(stderr, "mailwarden dkim keygen: %s\n%s", o.error().to_string().c_str(), kUsage);
        return 2;
    }
    if (o->help) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    auto record = make_key_files(*o);
    if (!record) {
        std::fprintf(stderr, "mailwarden dkim keygen: %s\n", record.error().to_string().c_str());
        return 1;
    }
    std::fputs(record->c_str(), stdout);
    return 0;
}

}  // namespace mw::tools
