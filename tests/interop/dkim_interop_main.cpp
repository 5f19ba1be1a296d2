// dkim_interop: our signer and verifier on message files, for the dkimpy interop tests.
//   dkim_interop sign CANON DOMAIN SELECTOR KEY.pem [SELECTOR2 KEY2.pem] < in.eml > out.eml
//   dkim_interop verify DNSFILE EXPECTED_COUNT < in.eml
// DNSFILE lines: "SELECTOR._domainkey.DOMAIN TXT-TEXT". verify prints one line per signature
// and exits 0 when EXPECTED_COUNT signatures were found and all passed.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>

#include "milters/dkim/dkim_signer.hpp"
#include "milters/dkim/dkim_verifier.hpp"
#include "milters/dkim/key_store.hpp"
#include "tests/interop/eml_message.hpp"

using namespace mw::dkim;

namespace {

std::string read_all(std::istream& in) { return {std::istreambuf_iterator<char>(in), {}}; }

int sign(int argc, char** argv, const std::string& input) {
    const auto canon = parse_canonicalization(argv[2]);
    if (!canon) return 2;
    std::vector<SigningKey> keys;
    for (int i = 4; i + 1 < argc; i += 2) {
        auto key = load_private_key(argv[i + 1], false);
        if (!key) {
            std::cerr << key.error().to_string() << "\n";
            return 2;
        }
        keys.push_back(SigningKey{argv[3], argv[i], std::move(*key)});
    }
    SignerOptions opt;
    opt.canon = *canon;
    MessageSigner signer(std::move(keys), opt);
    const auto msg = mw::test::EmlMessage::parse(input);
    signer.feed_body(msg.body);
    auto fields = signer.finish(msg.headers, 1700000000);
    if (!fields) return 2;
    for (const auto& f : *fields) std::cout << f.name << ":" << f.value << "\r\n";
    std::cout << to_crlf(input);
    return 0;
}

std::map<std::string, std::string> read_dns(const char* path) {
    std::map<std::string, std::string> dns;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        const auto sp = line.find(' ');
        if (sp != std::string::npos) dns[line.substr(0, sp)] = line.substr(sp + 1);
    }
    return dns;
}

int verify(char** argv, const std::string& input) {
    const auto dns = read_dns(argv[2]);
    const auto msg = mw::test::EmlMessage::parse(input);
    MessageVerifier v(msg.headers);
    v.feed_body(msg.body);
    const auto results = v.finish([&](std::string_view d, std::string_view s) {
        const auto it = dns.find(std::string(s) + "._domainkey." + std::string(d));
        return it == dns.end() ? KeyAnswer{} : KeyAnswer{KeyAnswer::Kind::Found, {it->second}};
    }, 1700000001);
    bool ok = results.size() == std::stoul(argv[3]);
    for (const auto& r : results) {
        std::cout << verify_status_name(r.status) << " d=" << r.domain << " s=" << r.selector << " " << r.reason << "\n";
        ok = ok && r.status == VerifyStatus::Pass;
    }
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    const std::string input = read_all(std::cin);
    if (mode == "sign" && argc >= 6) return sign(argc, argv, input);
    if (mode == "verify" && argc == 4) return verify(argv, input);
    std::cerr << "usage: dkim_interop sign CANON DOMAIN SEL KEY.pem... | verify DNSFILE COUNT\n";
    return 2;
}
