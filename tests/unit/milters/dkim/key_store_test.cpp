#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "milters/dkim/key_store.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/milters/dkim/test_keys.hpp"

using namespace mw::dkim;

namespace {
std::string write_key(const mw::test::TempDir& dir, const std::string& name, const char* pem, mode_t mode) {
    const std::string path = dir.write(name, pem);
    ::chmod(path.c_str(), mode);
    return path;
}
}  // namespace

TEST_CASE("KeyStore: loads every key of the key table once", "[dkim]") {
    mw::test::TempDir dir;
    write_key(dir, "rsa.private", test::kRsa2048Pem, 0600);
    write_key(dir, "ed.private", test::kEd25519Pem, 0400);
    const std::string kt = dir.write("key_table", "rsa example.com:mail:rsa.private\ned example.com:ed:ed.private\n");
    auto table = KeyTable::load(kt);
    REQUIRE(table);
    auto store = KeyStore::load(*table, {});
    REQUIRE(store);
    CHECK(store->size() == 2);
    REQUIRE(store->find("rsa"));
    CHECK(store->find("rsa")->selector == "mail");
    CHECK(store->find("rsa")->key.type() == KeyType::Rsa);
    CHECK(store->find("ed")->key.type() == KeyType::Ed25519);
    CHECK_FALSE(store->find("other"));
}

TEST_CASE("KeyStore: require_safe_keys refuses group/other access", "[dkim]") {
    mw::test::TempDir dir;
    const std::string path = write_key(dir, "k.private", test::kEd25519Pem, 0640);
    auto table = KeyTable::parse("k example.com:s:" + path + "\n", "/etc/kt");
    REQUIRE(table);
    auto refused = KeyStore::load(*table, {true});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().to_string() ==
          "/etc/kt:1: key 'k': " + path + ": key file mode 0640 gives group/other access; chmod 600 it (require_safe_keys)");
    CHECK(KeyStore::load(*table, {false}));
    ::chmod(path.c_str(), 0604);
    CHECK_FALSE(KeyStore::load(*table, {true}));
    ::chmod(path.c_str(), 0600);
    CHECK(KeyStore::load(*table, {true}));
}

TEST_CASE("KeyStore: bad and small keys are start-up errors with the table position", "[dkim]") {
    mw::test::TempDir dir;
    const std::string small = write_key(dir, "small.private", test::kRsa1016Pem, 0600);
    const std::string junk = write_key(dir, "junk.private", "hello", 0600);
    auto t1 = KeyTable::parse("s example.com:s:" + small + "\n", "kt");
    auto e1 = KeyStore::load(*t1, {});
    REQUIRE_FALSE(e1);
    CHECK(e1.error().to_string() == "kt:1: key 's': " + small + ": RSA key of 1016 bits is under the minimum of 1024");
    auto t2 = KeyTable::parse("# x\nj example.com:s:" + junk + "\n", "kt");
    CHECK(KeyStore::load(*t2, {}).error().to_string() == "kt:2: key 'j': " + junk + ": not a PEM private key");
    auto t3 = KeyTable::parse("m example.com:s:" + dir.file("missing") + "\n", "kt");
    CHECK(KeyStore::load(*t3, {}).error().code == mw::ErrorCode::NotFound);
}
