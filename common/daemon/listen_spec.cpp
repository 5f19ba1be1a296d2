#include "common/daemon/listen_spec.hpp"

#include <charconv>

#include <fmt/format.h>

namespace mw::daemon {

namespace {

std::optional<uint16_t> parse_port(std::string_view s) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v == 0 || v > 65535)
        return std::nullopt;
    return static_cast<uint16_t>(v);
}

Result<ListenSpec> inet(std::string host, std::string_view port, std::string_view text) {
    auto p = parse_port(port);
    if (!p) return fail(ErrorCode::Invalid, fmt::format("bad port in \"{}\"", text));
    if (host == "*") host.clear();
    ListenSpec s;
    s.kind = ListenSpec::Kind::Inet;
    s.host = std::move(host);
    s.port = *p;
    return s;
}

// Postfix: HOST:PORT, [V6]:PORT, or :PORT / PORT for all addresses.
Result<ListenSpec> parse_postfix_inet(std::string_view rest, std::string_view text) {
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find("]:");
        if (close == std::string_view::npos)
            return fail(ErrorCode::Invalid, fmt::format("bad address in \"{}\"", text));
        return inet(std::string(rest.substr(1, close - 1)), rest.substr(close + 2), text);
    }
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) return inet("", rest, text);
    return inet(std::string(rest.substr(0, colon)), rest.substr(colon + 1), text);
}

}  // namespace

Result<ListenSpec> ListenSpec::parse(std::string_view text, bool allow_stdio) {
    if (text == "stdio") {
        if (!allow_stdio) return fail(ErrorCode::Invalid, "stdio is not a listen address for this daemon");
        ListenSpec s;
        s.kind = Kind::Stdio;
        return s;
    }
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return fail(ErrorCode::Invalid,
                    fmt::format("bad listen address \"{}\": expected unix:PATH or inet:HOST:PORT", text));
    const auto scheme = text.substr(0, colon);
    const auto rest = text.substr(colon + 1);
    if (scheme == "unix" || scheme == "local") {
        if (rest.empty() || rest.size() >= 108)
            return fail(ErrorCode::Invalid, fmt::format("bad socket path in \"{}\"", text));
        ListenSpec s;
        s.path = std::string(rest);
        return s;
    }
    if (scheme == "inet" || scheme == "inet6") {
        const auto at = rest.find('@');
        if (at != std::string_view::npos)  // libmilter: PORT@HOST
            return inet(std::string(rest.substr(at + 1)), rest.substr(0, at), text);
        return parse_postfix_inet(rest, text);
    }
    return fail(ErrorCode::Invalid, fmt::format("bad listen address \"{}\": unknown type \"{}\"", text, scheme));
}

std::string ListenSpec::to_string() const {
    switch (kind) {
        case Kind::Unix: return "unix:" + path;
        case Kind::Stdio: return "stdio";
        case Kind::Inet:
            if (host.find(':') != std::string::npos) return fmt::format("inet:[{}]:{}", host, port);
            return fmt::format("inet:{}:{}", host, port);
    }
    return "";
}

std::string ListenSpec::to_libmilter() const {
    switch (kind) {
        case Kind::Unix: return "local:" + path;
        case Kind::Stdio: return "";
        case Kind::Inet: {
            const bool v6 = host.find(':') != std::string::npos;
            return fmt::format("{}:{}@{}", v6 ? "inet6" : "inet", port, host.empty() ? "0.0.0.0" : host);
        }
    }
    return "";
}

}  // namespace mw::daemon
