// HTML tag statistics as SpamAssassin's HTML.pm counts them. HTML.pm counts the tags that
// Perl's HTML::Parser reports: the start and end tags actually written, stray end tags included
// (libgumbo's tree hides those and adds implied ones), so they are counted by this tokenizer,
// which also finds where libgumbo's input must be cut to bound the nesting depth.
// Tokens follow HTML::Parser 3.x: "<!--...-->" and "<!...>" are comments, "<?...>" processing
// instructions, "<!doctype" a declaration, quoted attribute values may hold ">", and the bodies
// of script, style, xmp, textarea, title, iframe and plaintext are text. Tag names are
// lowercased; "<br/>" is "br" (HTML.pm rewrites <x/> to <x> first).
// Bounds: at most kMaxSpamHtmlTagNames distinct names, kMaxSpamHtmlTexts comments each cut at
// kMaxSpamHtmlTextItem bytes; depth estimate cut at kMaxSpamHtmlDepth.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include "milters/spam/mime/parsed_message.hpp"

namespace mw::spam {

/// Counts the tags of `html` into part.tags/elements/tags_seen/elements_seen/closed_extra/inside
/// and collects its comments. Returns the length of the prefix whose estimated nesting depth
/// stays within kMaxSpamHtmlDepth (html.size() when it all does); counting stops there too.
std::size_t scan_html_tags(std::string_view html, HtmlFacts::Part& part);

/// True for the names in HTML.pm's %elements (HTML 4 plus a few), `name` lowercase.
bool is_html_element_name(std::string_view name);

}  // namespace mw::spam
