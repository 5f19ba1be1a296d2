// The e-mail addresses SpamAssassin's FreeMail plugin finds in a message body (FreeMail.pm
// _parse_body, SA 4.0.1): first the addresses of <a href="mailto:..."> links whose URI does not
// also appear in the text, then the addresses in the rendered body text (Subject first). Before
// the text is searched, URLs holding an '@' and addresses written as "<addr>", "addr>" or
// "addr wrote:" are blanked: they quote other people, they are not contacts the sender offers.
// An address is what FreeMail.pm's email regex matches: a dot-atom local part of at most 64
// characters, one to four domain labels and a known top-level domain (tld_list.hpp; IDN "xn--"
// TLDs are not in that list and do not match).
// Bounded as SA: at most kMaxSpamBodyMailtoEmails addresses from links and kMaxSpamBodyEmails in
// all. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milters/spam/mime/parsed_message.hpp"

namespace mw::spam {

/// The end of the address FreeMail.pm's email regex matches starting at `pos` (its start
/// boundary included: the byte before `pos` may not be a local-part character), or nullopt.
std::optional<std::size_t> email_match_at(std::string_view text, std::size_t pos);

/// One body text line with URLs holding an '@' and quoted addresses blanked (each becomes " ").
std::string blank_quoted_emails(std::string_view line);

/// Every address in `text` (left to right, not overlapping), as written; at most `max`.
std::vector<std::string> emails_in_text(std::string_view text, std::size_t max);

/// The body addresses of `message`, lower-case and unique, in the order found.
std::vector<std::string> find_body_emails(const ParsedMessage& message);

}  // namespace mw::spam
