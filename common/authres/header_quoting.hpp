// Quoting of header field values for the authentication headers: RFC 2045 token /
// quoted-string (RFC 8601 §2.2 values), RFC 5322 §3.2.3 dot-atom / quoted-string
// (RFC 7208 §9.1 key-value pairs) and RFC 5322 §3.2.2 comments.
// Pure; does not fold or bound length (callers bound the whole field). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mw::authres {

/// RFC 2045 §5.1 token: printable ASCII except SPACE and tspecials; non-empty.
bool is_mime_token(std::string_view s);
/// RFC 5322 §3.2.3 dot-atom: atext runs separated by single dots; non-empty.
bool is_dot_atom(std::string_view s);
/// RFC 5322 §3.2.4 quoted-string: DQUOTE, '\' and '"' escaped, DQUOTE.
std::string quoted_string(std::string_view s);
/// RFC 5322 §3.2.2 comment: "(" text ")" with '(', ')' and '\' escaped.
std::string comment(std::string_view s);

/// RFC 8601 §2.2 value: bare when a token, else a quoted-string.
std::string mime_value(std::string_view s);
/// RFC 8601 §2.2 pvalue: also bare for [local-part] "@" domain-name.
std::string property_value(std::string_view s);
/// RFC 7208 §9.1 key-value value: bare when a dot-atom, else a quoted-string.
std::string dot_atom_or_quoted(std::string_view s);

}  // namespace mw::authres
