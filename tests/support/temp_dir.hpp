// TempDir: a fresh directory under /tmp with a short path (unix socket paths must stay under
// 108 bytes), removed with its contents on scope exit.
#pragma once

#include <string>

namespace mw::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    /// Writes `text` to file(name) and returns its path.
    std::string write(const std::string& name, const std::string& text) const;

private:
    std::string path_;
};

}  // namespace mw::test
