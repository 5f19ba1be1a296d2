#include "tests/support/temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace mw::test {

TempDir::TempDir() {
    char buf[] = "/tmp/mwXXXXXX";
    if (!mkdtemp(buf)) throw std::runtime_error("mkdtemp failed");
    path_ = buf;
    std::filesystem::permissions(path_, std::filesystem::perms::all);  // daemons may drop privileges
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
    const auto p = file(name);
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

}  // namespace mw::test
