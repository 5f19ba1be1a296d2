#include "common/daemon/privileges.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace mw::daemon {

Result<bool> drop_privileges(const std::string& user) {
    if (geteuid() != 0) return false;
    const passwd* pw = getpwnam(user.c_str());
    if (!pw) return fail(ErrorCode::NotFound, fmt::format("user: unknown account \"{}\"", user));
    if (pw->pw_uid == 0) return fail(ErrorCode::Invalid, "user: refusing to run as root");
    const uid_t uid = pw->pw_uid;
    const gid_t gid = pw->pw_gid;
    if (initgroups(user.c_str(), gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
        return fail(ErrorCode::Io, fmt::format("cannot switch to user {}: {}", user, std::strerror(errno)));
    // Paranoia, as Postfix's set_ugid(): root must be gone for good.
    if (setuid(0) == 0 || geteuid() == 0)
        return fail(ErrorCode::Internal, "privileges could not be dropped");
    return true;
}

}  // namespace mw::daemon
