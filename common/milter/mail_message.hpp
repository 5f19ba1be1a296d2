// MailMessage: an RFC 5322 message file split the way an MTA hands it to a milter (header fields
// with folded lines joined by "\n"; the body with CRLF line ends), and put back together after a
// milter's edits (added, inserted, changed and deleted headers; a replaced body) with the file's
// own line ends. An mbox "From " first line is dropped. Input is bounded by
// limits::kMaxMilterMessage. Pure; thread-compatible. Used by `mailwarden milter-test --apply`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/milter/packet_codec.hpp"

namespace mw::milter {

struct MessageHeader {
    std::string name;
    std::string raw_value;   // everything after the colon, leading white space kept, folds as "\n"
};

class MailMessage {
public:
    static Result<MailMessage> parse(std::string_view text);

    const std::vector<MessageHeader>& headers() const { return headers_; }
    /// The body with CRLF line ends, as the MTA sends it.
    const std::string& body() const { return body_; }

    /// The value an MTA sends for header `i`: leading white space stripped unless the milter
    /// negotiated SMFIP_HDR_LEADSPC.
    std::string milter_value(std::size_t i, bool leading_space) const;

    /// Applies edit replies (AddHeader, InsertHeader, ChangeHeader, ReplaceBody) in order, as
    /// Postfix's cleanup does; others (envelope, quarantine) are not part of the file.
    void apply(const std::vector<Response>& edits, bool leading_space);

    /// The message in file form, with the line ends the file had.
    std::string to_string() const;

private:
    std::string header_value(std::string value, bool leading_space) const;

    std::vector<MessageHeader> headers_;
    std::string body_;
    bool crlf_ = false;
};

}  // namespace mw::milter
