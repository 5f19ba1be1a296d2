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
#include <utility>
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
    /// This leaf's chunks in ParsedMessage::rawbody_lines ([first, first + count)); count 0
    /// when the part is not text (SA: the part's rendered text for text/plain).
    std::size_t rawbody_first = 0;
    std::size_t rawbody_count = 0;
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
    /// One text/html part: the items of SA's HTML.pm results hash (Message/Node.pm html_results)
    /// that the stock rules read. Counts are of tags as HTML::Parser reports them (written start
    /// and end tags, not the tree's implied ones). Lists keep at most kMaxSpamHtmlTexts strings,
    /// each cut at kMaxSpamHtmlTextItem bytes.
    struct Part {
        std::size_t length = 0;        // characters of HTML source (SA "length")
        std::size_t html_length = 0;   // characters of rendered text
        std::size_t non_space_len = 0; // html_length minus white space characters
        int tags = 0;                  // start + end tags and <!doctype>
        int elements = 0;              // of those, HTML 4 element names (SA %elements)
        int tags_seen = 0;             // tags whose name was not seen before
        int elements_seen = 0;
        int closed_extra = 0;          // end tags with no open start tag
        int obfuscation = 0;           // text runs glued to the previous word (a<b>b</b>c)
        /// SA "inside": every tag name seen (lowercase) -> open count (starts - ends, >= 0).
        std::vector<std::pair<std::string, int>> inside;
        double image_area = 0;         // sum of <img> width x height (HTML.pm's rules for % and junk)
        int min_size = 3, max_size = 3;   // font sizes (basefont 3)
        bool font_low_contrast = false;
        bool font_invalid_color = false;
        bool font_face_bad = false;
        bool embeds = false;           // <object> or <embed>
        bool form_action_mailto = false;
        bool iframe_src = false;       // an <iframe src=...> URI
        std::vector<std::string> titles;    // raw text of each <title>
        std::vector<std::string> comments;  // "<!-- ... -->" as written
        std::vector<std::string> anchors;   // text of each <a>, "<img>\n" for an image in it
    };
    bool has_html = false;
    int tags = 0;
    int images = 0;             // <img>
    std::size_t text_bytes = 0; // visible text
    std::string title;
    std::vector<Part> parts;    // one per text/html part, in message order
};

/// SpamAssassin's MIMEEval facts (_check_attachments over each part's raw, still encoded lines)
/// and the parser flags of Message.pm, from an SA-style line walk of the raw message
/// (milters/spam/mime/mime_structure.hpp). Counters only; no text is copied.
struct MimeFacts {
    int base64_parts = 0;               // mime_base64_count
    int qp_parts = 0;                   // parts with a quoted-printable CTE
    int attachments = 0;                // mime_attachment
    int html_parts = 0;                 // mime_body_html_count (text/html headers)
    int text_parts = 0;                 // mime_body_text_count (other text/*)
    bool base64_encoded_text = false;   // mime_base64_encoded_text
    bool bad_iso_charset = false;       // mime_bad_iso_charset
    bool multipart_alternative = false;
    bool qp_long_line = false;          // a QP line over 78 characters
    bool missing_boundary = false;      // mime_missing_boundary (an opened boundary not closed)
    std::size_t qp_bytes = 0;           // bytes of QP lines
    std::size_t qp_encoded = 0;         // "=XX" escapes of printable characters in QP lines
    int ascii_text_illegal = 0;         // us-ascii text/plain lines with NUL, CR or 8-bit bytes
    std::size_t unicode_plain_chars = 0;  // 7/8bit text/plain bytes, "&#xHHHH;" removed
    std::size_t unicode_escapes = 0;    // "&#xHHHH;" in those lines
    double multipart_ratio = 1.0;       // mime_multipart_ratio (last text/plain : text/html bytes)
    std::size_t base64_longest_line = 0;  // longest raw line of a base64 part (with its "\n")
    std::vector<std::string> charsets;  // mime_html_charsets: every part's charset with a letter
    // Message.pm flags (the top-level message only, as SA keeps them per Message object).
    bool epilogue_exists = false;       // mime_epilogue_exists
    bool missing_mime_headers = false;  // a boundary not followed by a header line
    bool mimepart_limit_exceeded = false;
    bool truncated_header = false;      // a header name or value over SA's length bound
};

/// SpamAssassin's multipart_alternative_difference inputs (BodyEval.pm): distinct words of the
/// HTML and plain alternatives, and the largest share of HTML words missing from the plain text.
struct AlternativeDifference {
    double max_difference = 0;          // percent
    std::size_t html_words = 0;         // of the last alternative with HTML words
    std::size_t text_words = 0;
};

struct ParsedMessage {
    std::vector<HeaderField> headers;       // top-level header block, in order
    std::vector<MimePart> parts;            // parts[0] is the message itself
    std::vector<std::string> body_lines;    // see the top of this file
    std::vector<std::string> rawbody_lines;
    std::vector<FoundUri> uris;             // de-duplicated, in order of first appearance
    HtmlFacts html;
    MimeFacts mime;
    AlternativeDifference alternative;
    std::size_t body_size = 0;              // bytes after the header block (SA pristine_body_length)
    bool mbox_from_line = false;            // the message began with "From " (dropped)
    bool missing_head_body_separator = false;
    bool missing_mime_head_body_separator = false;
    bool truncated = false;                 // a bound in MimeLimits was hit; see truncated_why
    std::string truncated_why;
};

}  // namespace mw::spam
