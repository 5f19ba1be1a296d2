#include "common/daemon/listener.hpp"

#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace mw::daemon {

namespace {

Error sys_error(std::string what) {
    return Error{ErrorCode::Io, fmt::format("{}: {}", what, std::strerror(errno)), {}};
}

sockaddr_un unix_address(const std::string& path) {
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
    return sa;
}

Result<UniqueFd> open_unix(const ListenSpec& spec, const SocketOptions& opts) {
    struct stat st{};
    if (lstat(spec.path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return fail(ErrorCode::Invalid, fmt::format("{} exists and is not a socket", spec.path));
        if (unix_socket_is_live(spec.path))
            return fail(ErrorCode::Io, fmt::format("{}: another process is listening there", spec.path));
        ::unlink(spec.path.c_str());  // stale socket of a dead instance
    }
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return fail(sys_error("socket"));
    const auto sa = unix_address(spec.path);
    // Create it with no access, then open it up: no window where others can connect early.
    const mode_t old = umask(0777);
    const int rc = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
    umask(old);
    if (rc != 0) return fail(sys_error("bind " + spec.path));
    if (chmod(spec.path.c_str(), opts.mode) != 0) return fail(sys_error("chmod " + spec.path));
    if (auto r = set_socket_owner(spec.path, opts.owner); !r) return fail(r.error());
    if (::listen(fd.get(), opts.backlog) != 0) return fail(sys_error("listen " + spec.path));
    return fd;
}

Result<UniqueFd> open_inet(const ListenSpec& spec, const SocketOptions& opts) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* res = nullptr;
    const std::string port = std::to_string(spec.port);
    const int gai = getaddrinfo(spec.host.empty() ? nullptr : spec.host.c_str(), port.c_str(), &hints, &res);
    if (gai != 0)
        return fail(ErrorCode::Invalid, fmt::format("{}: {}", spec.to_string(), gai_strerror(gai)));
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);
    UniqueFd fd(::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return fail(sys_error("socket"));
    const int one = 1;
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd.get(), res->ai_addr, res->ai_addrlen) != 0) return fail(sys_error("bind " + spec.to_string()));
    if (::listen(fd.get(), opts.backlog) != 0) return fail(sys_error("listen " + spec.to_string()));
    return fd;
}

}  // namespace

Result<bool> set_socket_owner(const std::string& path, const std::string& owner) {
    if (geteuid() != 0 || owner.empty()) return true;
    const auto colon = owner.find(':');
    const std::string user = owner.substr(0, colon);
    const std::string group_name = colon == std::string::npos ? "" : owner.substr(colon + 1);
    const passwd* pw = getpwnam(user.c_str());
    if (!pw) return fail(ErrorCode::NotFound, fmt::format("socket_owner: unknown user \"{}\"", user));
    gid_t gid = pw->pw_gid;
    if (!group_name.empty()) {
        const struct group* gr = getgrnam(group_name.c_str());
        if (!gr) return fail(ErrorCode::NotFound, fmt::format("socket_owner: unknown group \"{}\"", group_name));
        gid = gr->gr_gid;
    }
    if (chown(path.c_str(), pw->pw_uid, gid) != 0) return fail(sys_error("chown " + path));
    return true;
}

bool unix_socket_is_live(const std::string& path) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return false;
    const auto sa = unix_address(path);
    return ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0;
}

void wake_listener(const ListenSpec& spec) {
    if (spec.kind == ListenSpec::Kind::Unix) {
        unix_socket_is_live(spec.path);
        return;
    }
    if (spec.kind != ListenSpec::Kind::Inet) return;
    std::string host = spec.host;
    if (host.empty() || host == "0.0.0.0" || host == "*") host = "127.0.0.1";
    if (host == "::") host = "::1";
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(spec.port).c_str(), &hints, &found) != 0) return;
    UniqueFd fd(::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (fd.valid()) (void)::connect(fd.get(), found->ai_addr, found->ai_addrlen);
    freeaddrinfo(found);
}

Result<UniqueFd> open_listener(const ListenSpec& spec, const SocketOptions& opts) {
    switch (spec.kind) {
        case ListenSpec::Kind::Unix: return open_unix(spec, opts);
        case ListenSpec::Kind::Inet: return open_inet(spec, opts);
        case ListenSpec::Kind::Stdio: break;
    }
    return fail(ErrorCode::Invalid, "stdio has no listening socket");
}

}  // namespace mw::daemon
