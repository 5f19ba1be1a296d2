// The project-wide error vocabulary: a code, a message and, for errors in files, FILE:LINE.
#pragma once

#include <optional>
#include <string>

namespace mw {

enum class ErrorCode {
    Invalid,       // malformed input (syntax, bad value)
    TooLong,       // input over a named bound in limits.hpp
    NotFound,      // missing file, key or record
    Io,            // read/write/socket failure
    Timeout,       // a deadline passed
    Unsupported,   // valid but not implemented here
    Internal,      // invariant broken
};

struct SourcePos {
    std::string file;
    int line = 0;
};

struct Error {
    ErrorCode code = ErrorCode::Invalid;
    std::string message;
    std::optional<SourcePos> pos;

    /// "FILE:LINE: message" when the error has a position, else the message.
    std::string to_string() const {
        if (!pos) return message;
        return pos->file + ":" + std::to_string(pos->line) + ": " + message;
    }
};

}  // namespace mw
