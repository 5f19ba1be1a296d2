// `mailwarden dkim keygen` and `testkey`: the built binary in a temp dir. keygen: the key file is
// 0600 and never overwritten, the printed TXT record's strings fit a TXT RR and parse as a key
// record, and a signature made with the written key verifies with the public key from that
// record. testkey: against that record served by unbound on loopback (and a silent server).
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "milters/dkim/key_record.hpp"
#include "milters/dkim/signing_key.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/loopback_dns_server.hpp"
#include "tests/support/silent_dns_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using mw::test::run_command;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The quoted character-strings of a zone-file TXT line, in order.
std::vector<std::string> quoted_strings(const std::string& text) {
    std::vector<std::string> out;
    for (auto open = text.find('"'); open != std::string::npos; open = text.find('"', open + 1)) {
        const auto close = text.find('"', open + 1);
        if (close == std::string::npos) break;
        out.push_back(text.substr(open + 1, close - open - 1));
        open = close;
    }
    return out;
}

// The record's strings joined, as a resolver hands them over; each must fit one TXT string.
std::string joined_strings(const std::string& text, std::size_t min_strings) {
    const auto strings = quoted_strings(text);
    CHECK(strings.size() >= min_strings);
    std::string joined;
    for (const auto& s : strings) {
        CHECK(s.size() <= 255);
        joined += s;
    }
    return joined;
}

void check_key_pair(const std::string& type, mw::dkim::KeyType expected) {
    mw::test::TempDir dir;
    auto made = run_command({MW_MAILWARDEN_BIN, "dkim", "keygen", "--domain", "example.com", "--selector",
                             "sel", "--type", type, "--dir", dir.path()});
    INFO(made.output);
    REQUIRE(made.exit_code == 0);
    const std::string record_text = read_text(dir.file("sel.txt"));
    CHECK(made.output == record_text);
    CHECK(record_text.rfind("sel._domainkey.example.com. IN TXT ( \"v=DKIM1; k=" + type + "; \"", 0) == 0);

    struct stat st{};
    REQUIRE(::stat(dir.file("sel.private").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    auto record = mw::dkim::KeyRecord::parse(joined_strings(record_text, 2));
    REQUIRE(record);
    CHECK(record->type == expected);
    CHECK_FALSE(record->revoked);

    auto priv = mw::dkim::PrivateKey::from_pem(read_text(dir.file("sel.private")));
    REQUIRE(priv);
    CHECK(priv->type() == expected);
    auto pub = mw::dkim::PublicKey::from_record(*record);
    REQUIRE(pub);
    const std::string data = "from:alice@example.com\r\nsubject:hello\r\n";
    auto sig = priv->sign(data);
    REQUIRE(sig);
    CHECK(pub->verify(priv->algorithm(), data, *sig));
    CHECK_FALSE(pub->verify(priv->algorithm(), data + "x", *sig));

    const std::string key_before = read_text(dir.file("sel.private"));
    auto again = run_command({MW_MAILWARDEN_BIN, "dkim", "keygen", "--domain", "example.com", "--selector",
                              "sel", "--type", type, "--dir", dir.path()});
    CHECK(again.exit_code == 1);
    CHECK(again.output.find("already exists") != std::string::npos);
    CHECK(read_text(dir.file("sel.private")) == key_before);
}

}  // namespace

TEST_CASE("dkim keygen: an RSA key pair that signs and verifies", "[daemon][keygen]") {
    check_key_pair("rsa", mw::dkim::KeyType::Rsa);
}

TEST_CASE("dkim keygen: an Ed25519 key pair that signs and verifies", "[daemon][keygen]") {
    check_key_pair("ed25519", mw::dkim::KeyType::Ed25519);
}

TEST_CASE("dkim keygen: a 4096-bit RSA record is split into strings of at most 255 bytes", "[daemon][keygen]") {
    mw::test::TempDir dir;
    auto made = run_command({MW_MAILWARDEN_BIN, "dkim", "keygen", "--domain", "example.com.", "--selector",
                             "big", "--bits", "4096", "--dir", dir.path()});
    INFO(made.output);
    REQUIRE(made.exit_code == 0);
    // 4096-bit SPKI: about 736 base64 characters, so at least three p= strings after v= and k=.
    auto record = mw::dkim::KeyRecord::parse(joined_strings(made.output, 4));
    REQUIRE(record);
    auto pub = mw::dkim::PublicKey::from_record(*record);
    REQUIRE(pub);
    CHECK(pub->bits() == 4096);
}

TEST_CASE("dkim keygen: bad arguments exit 2 and write nothing", "[daemon][keygen]") {
    mw::test::TempDir dir;
    const std::vector<std::vector<std::string>> bad = {
        {"--domain", "example.com", "--selector", "s", "--bits", "512"},
        {"--domain", "example.com", "--selector", "s", "--bits", "16384"},
        {"--domain", "example.com", "--selector", "s", "--type", "dsa"},
        {"--selector", "s"},
        {"--domain", "example.com"},
        {"--domain", "example.com", "--selector", "../s"},
        {"--domain", "example.com", "--selector", "s", "--bogus", "x"},
        {"--domain", "example.com", "--selector"},
    };
    for (const auto& args : bad) {
        std::vector<std::string> argv = {MW_MAILWARDEN_BIN, "dkim", "keygen", "--dir", dir.path()};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run_command(argv);
        INFO(r.output);
        CHECK(r.exit_code == 2);
    }
    CHECK(run_command({MW_MAILWARDEN_BIN, "dkim"}).exit_code == 2);
    CHECK(run_command({MW_MAILWARDEN_BIN, "dkim", "keygen", "--help"}).exit_code == 0);
    struct stat st{};
    CHECK(::stat(dir.file("s.private").c_str(), &st) != 0);
}

TEST_CASE("dkim keygen: a missing directory is a failure, exit 1", "[daemon][keygen]") {
    mw::test::TempDir dir;
    auto r = run_command({MW_MAILWARDEN_BIN, "dkim", "keygen", "--domain", "example.com", "--selector", "s",
                          "--type", "ed25519", "--dir", dir.file("missing")});
    CHECK(r.exit_code == 1);
    CHECK(r.output.find("cannot create") != std::string::npos);
}

namespace {

// A key pair made by keygen in `dir` (SELECTOR.private, SELECTOR.txt).
void keygen(const mw::test::TempDir& dir, const std::string& selector, const std::string& type) {
    auto made = run_command({MW_MAILWARDEN_BIN, "dkim", "keygen", "--domain", "example.com", "--selector", selector,
                             "--type", type, "--dir", dir.path()});
    INFO(made.output);
    REQUIRE(made.exit_code == 0);
}

mw::test::CommandResult testkey(const std::string& server, const std::string& selector, const std::string& key,
                                const std::vector<std::string>& more = {}) {
    std::vector<std::string> argv = {MW_MAILWARDEN_BIN, "dkim", "testkey", "--domain", "example.com", "--selector",
                                     selector, "--key", key, "--dns-server", server};
    argv.insert(argv.end(), more.begin(), more.end());
    return run_command(argv);
}

}  // namespace

TEST_CASE("dkim testkey: the published record matches its key, and only its key", "[daemon][keygen]") {
    mw::test::TempDir dir;
    keygen(dir, "rsa", "rsa");
    keygen(dir, "ed", "ed25519");
    keygen(dir, "other", "rsa");
    mw::test::LoopbackDnsServer dns;
    dns.add_zone("example.com.");
    dns.add_txt("rsa._domainkey.example.com.", quoted_strings(read_text(dir.file("rsa.txt"))));
    dns.add_txt("ed._domainkey.example.com.", quoted_strings(read_text(dir.file("ed.txt"))));
    dns.add_txt("revoked._domainkey.example.com.", {"v=DKIM1; k=rsa; p="});
    dns.add_txt("junk._domainkey.example.com.", {"v=spf1 -all"});
    dns.start();

    auto rsa = testkey(dns.address(), "rsa", dir.file("rsa.private"));
    INFO(rsa.output);
    CHECK(rsa.exit_code == 0);
    CHECK(rsa.output.find("key OK: rsa._domainkey.example.com matches") != std::string::npos);
    CHECK(rsa.output.find("k=rsa, 2048 bits") != std::string::npos);
    CHECK(rsa.output.find("warning") == std::string::npos);
    auto ed = testkey(dns.address(), "ed", dir.file("ed.private"));
    CHECK(ed.exit_code == 0);
    CHECK(ed.output.find("k=ed25519") != std::string::npos);

    auto wrong = testkey(dns.address(), "rsa", dir.file("other.private"));
    CHECK(wrong.exit_code == 1);
    CHECK(wrong.output.find("does not match the private key") != std::string::npos);
    auto wrong_type = testkey(dns.address(), "ed", dir.file("rsa.private"));
    CHECK(wrong_type.exit_code == 1);
    CHECK(wrong_type.output.find("k=ed25519 but the key file holds an rsa key") != std::string::npos);
    auto revoked = testkey(dns.address(), "revoked", dir.file("rsa.private"));
    CHECK(revoked.exit_code == 1);
    CHECK(revoked.output.find("revoked") != std::string::npos);
    auto junk = testkey(dns.address(), "junk", dir.file("rsa.private"));
    CHECK(junk.exit_code == 1);
    CHECK(junk.output.find("not a DKIM key record") != std::string::npos);
    auto missing = testkey(dns.address(), "nosuch", dir.file("rsa.private"));
    CHECK(missing.exit_code == 1);
    CHECK(missing.output.find("no TXT record at nosuch._domainkey.example.com (NXDOMAIN)") != std::string::npos);
}

TEST_CASE("dkim testkey: an unsafe key file is a warning; a silent server a failure", "[daemon][keygen]") {
    mw::test::TempDir dir;
    keygen(dir, "rsa", "rsa");
    REQUIRE(::chmod(dir.file("rsa.private").c_str(), 0644) == 0);
    mw::test::LoopbackDnsServer dns;
    dns.add_zone("example.com.");
    dns.add_txt("rsa._domainkey.example.com.", quoted_strings(read_text(dir.file("rsa.txt"))));
    dns.start();
    auto unsafe = testkey(dns.address(), "rsa", dir.file("rsa.private"));
    INFO(unsafe.output);
    CHECK(unsafe.exit_code == 0);
    CHECK(unsafe.output.find("warning: ") != std::string::npos);
    CHECK(unsafe.output.find("require_safe_keys") != std::string::npos);

    mw::test::SilentDnsServer silent;
    const auto start = std::chrono::steady_clock::now();
    auto timeout = testkey(silent.address(), "rsa", dir.file("rsa.private"), {"--timeout", "1"});
    CHECK(timeout.exit_code == 1);
    CHECK(timeout.output.find("lookup of rsa._domainkey.example.com failed") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("dkim testkey: bad arguments exit 2", "[daemon][keygen]") {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--selector", "s", "--key", "k"},
             {"--domain", "example.com", "--key", "k"},
             {"--domain", "example.com", "--selector", "s"},
             {"--domain", "example.com", "--selector", "s", "--key", "k", "--timeout", "0"},
             {"--domain", "example.com", "--selector", "s", "--key", "k", "--timeout", "x"},
             {"--domain", "example.com", "--selector", "s", "--key", "k", "--dns-server"},
             {"--domain", "example.com", "--selector", "s", "--key", "k", "extra"},
         }) {
        std::vector<std::string> argv = {MW_MAILWARDEN_BIN, "dkim", "testkey"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run_command(argv);
        INFO(r.output);
        CHECK(r.exit_code == 2);
    }
    CHECK(run_command({MW_MAILWARDEN_BIN, "dkim", "testkey", "--help"}).exit_code == 0);
    CHECK(run_command({MW_MAILWARDEN_BIN, "dkim", "frobnicate"}).exit_code == 2);
}
