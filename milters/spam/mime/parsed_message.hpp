// ParsedMessage: what the spam rules look at in one message, built once by MessageParser from the
// raw bytes (milters/spam/mime/message_parser.hpp). Mirrors the texts SpamAssassin's rule types
// see (Mail::SpamAssassin::Message / PerMsgStatus), so stock rules behave as in SpamAssassin:
//   header rules   -> headers (decoded or raw values), mimeheader rules -> parts[i].headers
//   body rules     -> body_lines  (SA get_decoded_stripped_body_text_array: Subject first, then
//                                  rendered text of every text part, one paragraph per entry)
//   rawbody rules  -> rawbody_lines (SA get_decoded_body_text_array: decoded, not rendered, lines)
//   full rules     -> the raw message the caller holds (not copied here)
//   uri rules      -> uris
// Pure value type.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mw::spam {

struct HeaderField {
    std::string name;      // as written ("Subject")
    std::string raw;       // as written after the colon, leading white space dropped, folding kept
                           // ("\n\t" between lines, CR removed), no final newline
    std::string decoded;   // unfolded (SA: "\n[ \t]+" -> " "... as SA's _decode_header) and
                           // RFC 2047 encoded words decoded to UTF-8
};

/// One MIME part (containers and leaves), in the order SpamAssassin walks them (pre-order).
struct MimePart {
    std::vector<HeaderField> headers;  // the part's own header block (the root's are the
                                       // message headers)
    std::string content_type;          // lowercase "type/subtype"; "text/plain" when absent
    std::string charset;               // lowercase, as declared ("" when none)
    std::string transfer_encoding;     // lowercase, as declared ("" when none)
    std::string filename;              // Content-Disposition filename or Content-Type name
    int depth = 0;                     // 0 = the message itself
    bool leaf = true;
    std::size_t raw_size = 0;          // encoded body bytes
    std::size_t decoded_size = 0;      // after transfer decoding (leaves only)
};

/// A URI found in the message, with the host SpamAssassin's uri rules and URIBL checks use.
struct FoundUri {
    enum class Source { Text, Href, Src, Other };
    std::string uri;       // as SA's uri rules see it: scheme added to bare domains
                           // ("www.example.com/x" -> "http://www.example.com/x")
    std::string host;      // lowercase host name or address, "" if none
    Source source = Source::Text;
};

/// Facts about the HTML parts, for SpamAssassin's html_* eval tests.
struct HtmlFacts {
    bool has_html = false;
    int tags = 0;
    int images = 0;             // <img>
    std::size_t text_bytes = 0; // visible text
    std::string title;
};

struct ParsedMessage {
    std::vector<HeaderField> headers;       // top-level header block, in order
    std::vector<MimePart> parts;            // parts[0] is the message itself
    std::vector<std::string> body_lines;    // see the top of this file
    std::vector<std::string> rawbody_lines;
    std::vector<FoundUri> uris;             // de-duplicated, in order of first appearance
    HtmlFacts html;
    bool mbox_from_line = false;            // the message began with "From " (dropped)
    bool missing_head_body_separator = false;
    bool missing_mime_head_body_separator = false;
    bool truncated = false;                 // a bound in MimeLimits was hit; see truncated_why
    std::string truncated_why;
};

}  // namespace mw::spam
