// `mailwarden dkim keygen`: the built binary in a temp dir. The key file is 0600 and never
// overwritten, the printed TXT record's strings fit a TXT RR and parse as a key record, and a
// signature made with the written key verifies with the public key from that record.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "milters/dkim/key_record.hpp"
#include "milters/dkim/signing_key.hpp"
#include "tests/support/daemon_process.hpp"
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
