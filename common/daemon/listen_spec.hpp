// Listen addresses in Postfix spelling (unix:PATH, inet:HOST:PORT, inet:[V6]:PORT) and in
// libmilter's (local:PATH, inet:PORT@HOST, inet6:PORT@HOST), plus "stdio" where a daemon allows it
// (policyd as a spawn(8) child). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/result.hpp"

namespace mw::daemon {

struct ListenSpec {
    enum class Kind { Unix, Inet, Stdio };
    Kind kind = Kind::Unix;
    std::string path;   // Unix
    std::string host;   // Inet: address or host name; empty = all addresses
    uint16_t port = 0;  // Inet

    static Result<ListenSpec> parse(std::string_view text, bool allow_stdio);
    /// Postfix spelling, for logs.
    std::string to_string() const;
    /// libmilter spelling (local:PATH, inet:PORT@HOST, inet6:PORT@HOST).
    std::string to_libmilter() const;
};

}  // namespace mw::daemon
