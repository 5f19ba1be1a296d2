// HtmlText: one HTML part (already UTF-8) -> the text SpamAssassin's HTML.pm renders, the URIs
// it collects from tags, and HtmlFacts. Parsed with libgumbo (HTML5 tree building, entities
// decoded); the tree is walked without recursion. Rendering follows HTML.pm: script and style
// content and comments dropped; br/div give "\n", li/td/th/dt/dd/embed/h1-h6 give " ",
// p/hr/blockquote/pre/listing/plaintext/xmp/title give "\n\n" (on start and explicit end
// tags); text runs collapse white space and NBSP to one space. URIs: a/area/link href and
// data-saferedirecturl, img/frame/iframe/embed/script/bgsound src, form action, body/table/tr/
// td background, base href (also resolves later relative URIs), meta refresh url.
// Bounds: text cut at `max_text` bytes, at most `max_uris` URIs, each cut at kMaxSpamUriLength;
// HTML nested deeper than kMaxSpamHtmlDepth (estimated by a pre-scan) is cut there, since
// libgumbo's tree building is quadratic in nesting depth.
// Thread-safety: reentrant.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "milters/spam/mime/parsed_message.hpp"

namespace mw::spam {

struct HtmlUri {
    std::string uri;  // as written (trimmed), relative ones resolved against <base href>
    FoundUri::Source source = FoundUri::Source::Href;
};

struct HtmlText {
    std::string text;            // rendered text (SA get_rendered_text)
    HtmlFacts facts;
    std::vector<HtmlUri> uris;   // in document order, not de-duplicated
    bool truncated = false;      // text or URI bound hit
};

/// Renders `html` (UTF-8). Never fails; garbage in gives some text out.
HtmlText render_html(std::string_view html, std::size_t max_text, std::size_t max_uris);

/// Resolves `uri` against a <base href> (already ending in "/"); pure, used by render_html.
std::string resolve_against_base(std::string_view base, std::string_view uri);

}  // namespace mw::spam
