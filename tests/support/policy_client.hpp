// PolicyClient: the Postfix side of the policy protocol for daemon tests: connects to a unix
// socket (or uses a given fd), sends request blocks and reads replies with a time bound.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "common/base/unique_fd.hpp"

namespace mw::test {

class PolicyClient {
public:
    /// Connects to a unix socket; throws on failure.
    explicit PolicyClient(const std::string& socket_path);
    /// Uses an already connected fd (not owned).
    static PolicyClient from_fd(int fd);

    /// Builds a request block from attributes (request=smtpd_access_policy is added first).
    static std::string request(const std::map<std::string, std::string>& attrs);

    bool send(const std::string& bytes);
    /// Reads one reply up to the empty line; nullopt on EOF, error or timeout.
    std::optional<std::string> read_reply(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    /// send() + read_reply(); returns the "action=..." line without the trailing blank line.
    std::optional<std::string> ask(const std::map<std::string, std::string>& attrs);
    /// True if the server closes the connection within `timeout` (no reply data).
    bool closed_by_server(std::chrono::milliseconds timeout);

private:
    PolicyClient() = default;
    int fd() const { return borrowed_ >= 0 ? borrowed_ : owned_.get(); }

    UniqueFd owned_;
    int borrowed_ = -1;
    std::string buffer_;
};

}  // namespace mw::test
