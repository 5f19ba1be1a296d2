// Fuzzes HTML to text (libgumbo + our renderer) and the text URI finder on its output.
#include <cstdint>
#include <string_view>

#include "milters/spam/mime/html_text.hpp"
#include "milters/spam/mime/uri_canonicalizer.hpp"
#include "milters/spam/mime/uri_finder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view html(reinterpret_cast<const char*>(data), size);
    const auto out = mw::spam::render_html(html, 4096, 64);
    if (out.text.size() > 4096 || out.uris.size() > 64) __builtin_trap();
    for (const auto& u : out.uris)
        for (const auto& c : mw::spam::canonicalize_uri(u.uri)) (void)mw::spam::uri_host(c);
    for (const auto& u : mw::spam::find_text_uris(out.text, 64)) (void)mw::spam::canonicalize_uri(u);
    return 0;
}
