// `mailwarden dkim testkey --domain D --selector S --key FILE [--dns-server ADDR[:PORT]]...
// [--timeout SECONDS]`: fetches SELECTOR._domainkey.DOMAIN's TXT record through the common
// resolver (the given servers, else /etc/resolv.conf), parses it as a key record (RFC 6376
// §3.6.1) and proves it belongs to the private key by verifying a signature made with the key
// (so PKCS#1 and SPKI encodings of p= both match). Also warns about a key file other users can
// read (what require_safe_keys refuses) and a record in testing mode (t=y).
#include <cstdio>

#include <fmt/format.h>

#include "common/dns/unbound_resolver.hpp"
#include "milters/dkim/key_store.hpp"
#include "milters/dkim/signing_key.hpp"
#include "tools/dkim_key_name.hpp"
#include "tools/option_args.hpp"
#include "tools/subcommand.hpp"

namespace mw::tools {

namespace {

constexpr const char* kUsage =
    "usage: mailwarden dkim testkey --domain D --selector S --key FILE [options]\n"
    "  --domain D          the signing domain (d=)\n"
    "  --selector S        the selector (s=): the record is at S._domainkey.D\n"
    "  --key FILE          the private key (PEM) the milter signs with\n"
    "  --dns-server A      ADDR[:PORT] to ask, repeatable (default: /etc/resolv.conf's)\n"
    "  --timeout N         seconds to wait for the answer, 1..60 (default 5)\n"
    "exit status: 0 the record matches the key, 1 it does not or cannot be fetched, 2 usage error\n";

constexpr int kDefaultTimeoutSeconds = 5;
constexpr int kMaxTimeoutSeconds = 60;
constexpr std::string_view kProbe = "mailwarden dkim testkey probe";

struct TestkeyOptions {
    std::string domain;
    std::string selector;
    std::string key_file;
    std::vector<std::string> servers;
    int timeout_seconds = kDefaultTimeoutSeconds;
    bool help = false;
};

Result<bool> set_option(TestkeyOptions& o, const std::string& a, const std::string& v) {
    if (a == "--domain") o.domain = v;
    else if (a == "--selector") o.selector = v;
    else if (a == "--key") o.key_file = v;
    else if (a == "--dns-server") o.servers.push_back(v);
    else if (a == "--timeout") {
        const bool digits = !v.empty() && v.size() <= 2 && v.find_first_not_of("0123456789") == std::string::npos;
        o.timeout_seconds = digits ? std::stoi(v) : 0;
        if (o.timeout_seconds < 1 || o.timeout_seconds > kMaxTimeoutSeconds)
            return fail(ErrorCode::Invalid, fmt::format("--timeout must be 1..{}", kMaxTimeoutSeconds));
    } else {
        return unknown_option(a);
    }
    return true;
}

Result<TestkeyOptions> parse_options(const Args& args) {
    TestkeyOptions o;
    auto applied = apply_options(args, o, set_option);
    if (!applied) return fail(applied.error());
    if (o.help) return o;
    auto names = check_key_names(o.domain, o.selector);
    if (!names) return fail(names.error());
    if (o.key_file.empty()) return fail(ErrorCode::Invalid, "--key wants the private key file");
    return o;
}

// The private key; an unsafe file is loaded anyway, with the warning require_safe_keys' error.
Result<dkim::PrivateKey> load_key(const std::string& path) {
    auto safe = dkim::load_private_key(path, true);
    if (safe) return safe;
    auto key = dkim::load_private_key(path, false);
    if (key) fmt::print("warning: {} (mailwarden-dkim refuses it with require_safe_keys = yes)\n",
                        safe.error().message);
    return key;
}

// The TXT strings at NAME, or why there are none.
Result<std::vector<std::string>> fetch_record(const TestkeyOptions& o, const std::string& name) {
    dns::UnboundResolver::Options ro;
    ro.servers = o.servers;
    ro.timeout = std::chrono::seconds(o.timeout_seconds);
    auto resolver = dns::UnboundResolver::create(ro);
    if (!resolver) return fail(resolver.error());
    const auto answer = (*resolver)->query(name, dns::RrType::TXT, Deadline::after(ro.timeout));
    if (answer.rcode == dns::Rcode::NxDomain || (answer.ok() && answer.texts.empty()))
        return fail(ErrorCode::NotFound, fmt::format("no TXT record at {} ({})", name, dns::to_string(answer.rcode)));
    if (!answer.ok())
        return fail(ErrorCode::Io, fmt::format("lookup of {} failed: {}{}{}", name, dns::to_string(answer.rcode),
                                                   answer.why.empty() ? "" : ": ", answer.why));
    return answer.texts;
}

// The first record that parses as a key record (RFC 6376 §3.6.2.2), as the verifier picks it.
Result<dkim::KeyRecord> first_key_record(const std::vector<std::string>& texts) {
    Result<dkim::KeyRecord> last = fail(ErrorCode::NotFound, "no key record");
    for (const auto& t : texts) {
        last = dkim::KeyRecord::parse(t);
        if (last) return last;
    }
    return fail(ErrorCode::Invalid, "not a DKIM key record: " + last.error().message);
}

Result<std::string> check_match(const dkim::KeyRecord& record, const dkim::PrivateKey& key) {
    if (record.revoked) return fail(ErrorCode::Invalid, "the record is revoked (empty p=)");
    if (record.type != key.type())
        return fail(ErrorCode::Invalid, fmt::format("the record has k={} but the key file holds an {} key",
                                                    dkim::key_type_name(record.type), dkim::key_type_name(key.type())));
    if (!record.allows_sha256) return fail(ErrorCode::Invalid, "the record's h= does not allow sha256");
    auto pub = dkim::PublicKey::from_record(record);
    if (!pub) return fail(ErrorCode::Invalid, "the record's p= is not a usable key: " + pub.error().message);
    auto sig = key.sign(kProbe);
    if (!sig) return fail(sig.error());
    if (!pub->verify(key.algorithm(), kProbe, *sig))
        return fail(ErrorCode::Invalid, "the record's public key does not match the private key");
    return fmt::format("k={}, {} bits{}", dkim::key_type_name(record.type), pub->bits(),
                       record.testing ? ", t=y (testing: verifiers may ignore failures)" : "");
}

int test_key(const TestkeyOptions& o) {
    const std::string name = o.selector + "._domainkey." + o.domain;
    auto key = load_key(o.key_file);
    if (!key) {
        fmt::print(stderr, "mailwarden dkim testkey: {}\n", key.error().to_string());
        return 1;
    }
    auto texts = fetch_record(o, name);
    auto record = texts ? first_key_record(*texts) : fail(texts.error());
    auto match = record ? check_match(*record, *key) : fail(record.error());
    if (!match) {
        fmt::print("key NOT OK: {}: {}\n", name, match.error().message);
        return 1;
    }
    fmt::print("key OK: {} matches {} ({})\n", name, o.key_file, *match);
    return 0;
}

}  // namespace

int run_dkim_testkey(const Args& args) {
    auto o = parse_options(args);
    if (!o) {
        fmt::print(stderr, "mailwarden dkim testkey: {}\n{}", o.error().to_string(), kUsage);
        return 2;
    }
    if (o->help) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    return test_key(*o);
}

}  // namespace mw::tools
