// The message dkim_load sends: a plain-text mail of about `size` bytes in file form, with the
// header fields a mail user agent and Postfix's smtpd give it (Received, From, To, Subject,
// Date, Message-ID, MIME-Version, Content-Type) and a body of 72-character lines of varied
// words, so that canonicalization and hashing see ordinary text. Deterministic for one
// (size, from) pair. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>

namespace mw::bench {

struct MessageShape {
    static constexpr std::size_t kMinSize = 512;
    static constexpr std::size_t kMaxSize = 16 * 1024 * 1024;

    std::size_t size = 3 * 1024;   // whole message in file form, "\n" line ends, within a line
    std::string from = "alice@example.com";
    std::string rcpt = "bob@example.net";
};

/// The message in file form ("\n" line ends); its length is within one body line of `size`.
std::string make_message_text(const MessageShape& shape);

}  // namespace mw::bench
