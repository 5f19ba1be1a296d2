#include "milters/dkim/body_canonicalizer.hpp"

namespace mw::dkim {

void BodyCanonicalizer::content(char c, std::string& out) {
    if (canon_ == Canon::Relaxed && (c == ' ' || c == '\t')) {
        pending_space_ = true;  // §3.4.4: runs become one SP, and vanish at the end of a line
        return;
    }
    for (; deferred_crlfs_ > 0; --deferred_crlfs_) out += "\r\n";
    if (pending_space_) out += ' ';
    pending_space_ = false;
    out += c;
    line_open_ = true;
    any_content_ = true;
}

void BodyCanonicalizer::end_of_line() {
    pending_space_ = false;
    line_open_ = false;
    ++deferred_crlfs_;
}

// Bytes that need no state machine: neither line-end nor (relaxed) white space.
bool BodyCanonicalizer::plain(char c) const {
    if (c == '\n' || c == '\r') return false;
    return canon_ == Canon::Simple || (c != ' ' && c != '\t');
}

void BodyCanonicalizer::run(std::string_view bytes, std::string& out) {
    for (; deferred_crlfs_ > 0; --deferred_crlfs_) out += "\r\n";
    if (pending_space_) out += ' ';
    pending_space_ = false;
    out.append(bytes);
    line_open_ = true;
    any_content_ = true;
}

void BodyCanonicalizer::feed(std::string_view chunk, std::string& out) {
    out.reserve(out.size() + chunk.size() + 2);
    std::size_t i = 0;
    while (i < chunk.size()) {
        const char c = chunk[i];
        if (!pending_cr_ && plain(c)) {
            // Most of a body: one append per run instead of one per byte.
            std::size_t end = i + 1;
            while (end < chunk.size() && plain(chunk[end])) ++end;
            run(chunk.substr(i, end - i), out);
            i = end;
            continue;
        }
        ++i;
        if (c == '\n') {
            pending_cr_ = false;
            end_of_line();
            continue;
        }
        if (pending_cr_) content('\r', out);
        pending_cr_ = (c == '\r');
        if (!pending_cr_) content(c, out);
    }
}

void BodyCanonicalizer::finish(std::string& out) {
    if (pending_cr_) content('\r', out);
    pending_cr_ = false;
    // §3.4.3: an empty body is one CRLF; §3.4.4: an empty body stays empty. Otherwise the last
    // line keeps (or gains) its CRLF and the empty lines after it go.
    if (!any_content_) {
        if (canon_ == Canon::Simple) out += "\r\n";
        return;
    }
    if (line_open_ || deferred_crlfs_ > 0) out += "\r\n";
    deferred_crlfs_ = 0;
    line_open_ = false;
}

}  // namespace mw::dkim
