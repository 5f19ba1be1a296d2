// Finds URIs in rendered body text the way SpamAssassin's PerMsgStatus _tbirdurire and
// _process_text_uri_list do (a Thunderbird/Outlook Express hybrid): "http://", "https://",
// "ftp://" and "www[N]." / "ftp." anywhere a word starts; e-mail addresses (-> "mailto:"); and
// bare "name.tld[:port][/path]" when the TLD is known (tld_list.hpp). Words end at
// ><"`}]{[| white space, ESC and NBSP; ")" ends a URI that has no "(" before it; trailing
// punctuation -~!@#^&*()_+=:;'?,. is dropped. Results carry the scheme SA adds: "ftp.x" ->
// "ftp://ftp.x", "www.x" and bare domains -> "http://...", addresses -> "mailto:...".
// Bounds: at most `max` URIs per call, each at most kMaxSpamUriLength bytes. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mw::spam {

/// URIs in `text`, in order of appearance (duplicates kept; the caller de-duplicates).
std::vector<std::string> find_text_uris(std::string_view text, std::size_t max);

/// True when `host` is a plausible domain: dot-separated LDH labels, a known TLD last.
bool is_domain_with_known_tld(std::string_view host);

}  // namespace mw::spam
