// BodyCanonicalizer: streams a message body through DKIM body canonicalization (RFC 6376
// §3.4.3 simple, §3.4.4 relaxed). Chunks may split anywhere (even between CR and LF); memory is
// bounded: trailing empty lines are counted, not buffered, and emitted only when more content
// follows. A bare LF is taken as a line end (as the MTA will write CRLF); a bare CR is data.
// Thread-compatible (one per message and signature).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "milters/dkim/canonicalization.hpp"

namespace mw::dkim {

class BodyCanonicalizer {
public:
    explicit BodyCanonicalizer(Canon canon) : canon_(canon) {}

    /// Appends the canonical bytes that `chunk` makes final to `out`.
    void feed(std::string_view chunk, std::string& out);
    /// Appends what remains at the end of the body (the final CRLF rules). Call once.
    void finish(std::string& out);

private:
    void content(char c, std::string& out);
    bool plain(char c) const;
    void run(std::string_view bytes, std::string& out);
    void end_of_line();

    Canon canon_;
    std::uint64_t deferred_crlfs_ = 0;  // line ends since the last content byte
    bool pending_cr_ = false;           // a CR seen, its LF not yet
    bool pending_space_ = false;        // relaxed: a WSP run not yet known to be inside the line
    bool line_open_ = false;            // content emitted on the current line
    bool any_content_ = false;
};

}  // namespace mw::dkim
