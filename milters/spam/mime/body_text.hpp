// SpamAssassin's body text arrays (Message.pm), built from already decoded UTF-8 part texts:
//   body    (get_body_text_array_common): parts joined with "\n"; "\n+\s*\n+" is a paragraph
//           break, any other white space run becomes one space; the Subject ("\n" when none)
//           goes first; split into lines of at most kMaxSpamBodyLine bytes, at a space when one
//           is near (split_into_array_of_short_lines). Entries keep their "\n" as in SA.
//   rawbody (get_decoded_body_text_array): each part's text alone, cut into chunks of one to
//           two kMaxSpamBodyLine at "\n", ">" or " " (split_into_array_of_short_paragraphs).
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mw::spam {

/// SA's white space handling of the joined rendered text (paragraphs end in "\n").
std::string collapse_body_whitespace(std::string_view text);

/// SA split_into_array_of_short_lines: appends the lines of `text` (each keeps its "\n").
void split_into_short_lines(std::string_view text, std::vector<std::string>& out);

/// SA split_into_array_of_short_paragraphs: appends chunks of `text`.
void split_into_short_paragraphs(std::string_view text, std::vector<std::string>& out);

}  // namespace mw::spam
