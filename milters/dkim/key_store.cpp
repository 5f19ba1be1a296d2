#include "milters/dkim/key_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/base/limits.hpp"
#include "common/base/unique_fd.hpp"

namespace mw::dkim {
namespace {

Result<void> check_safe(const std::string& path, const struct stat& st, std::optional<uid_t> service_uid) {
    if (st.st_uid != ::geteuid() && st.st_uid != 0 && st.st_uid != service_uid)
        return fail(ErrorCode::Invalid, fmt::format("{}: key file owned by uid {}, not by this user, `user` or root; "
                                                    "refusing it (require_safe_keys)", path, st.st_uid));
    if ((st.st_mode & 077) != 0)
        return fail(ErrorCode::Invalid, fmt::format("{}: key file mode {:04o} gives group/other access; "
                                                    "chmod 600 it (require_safe_keys)", path, st.st_mode & 07777));
    return {};
}

Result<std::string> read_fd(int fd, const std::string& path) {
    std::string data;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(ErrorCode::Io, fmt::format("{}: {}", path, std::strerror(errno)));
        if (n == 0) return data;
        data.append(buf, static_cast<std::size_t>(n));
        if (data.size() > limits::kMaxDkimKeyFile)
            return fail(ErrorCode::TooLong, fmt::format("{}: larger than {} bytes", path, limits::kMaxDkimKeyFile));
    }
}

}  // namespace

Result<PrivateKey> load_private_key(const std::string& path, bool require_safe, std::optional<uid_t> service_uid) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return fail(ErrorCode::NotFound, fmt::format("{}: {}", path, std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return fail(ErrorCode::Io, fmt::format("{}: {}", path, std::strerror(errno)));
    if (!S_ISREG(st.st_mode)) return fail(ErrorCode::Invalid, fmt::format("{}: not a regular file", path));
    if (require_safe)
        if (auto safe = check_safe(path, st, service_uid); !safe) return fail(safe.error());
    auto pem = read_fd(fd.get(), path);
    if (!pem) return fail(pem.error());
    auto key = PrivateKey::from_pem(*pem);
    if (!key) return fail(key.error().code, fmt::format("{}: {}", path, key.error().message));
    return key;
}

Result<KeyStore> KeyStore::load(const KeyTable& table, const KeyStoreOptions& options) {
    KeyStore store;
    for (const auto& e : table.entries()) {
        auto key = load_private_key(e.key_file, options.require_safe_keys, options.service_uid);
        if (!key) return table::fail_at(e.pos, key.error().code, fmt::format("key '{}': {}", e.name, key.error().message));
        store.keys_.emplace(e.name, SigningKey{e.domain, e.selector, std::move(*key)});
    }
    return store;
}

const SigningKey* KeyStore::find(std::string_view key_name) const {
    const auto it = keys_.find(key_name);
    return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace mw::dkim
