#include "common/milter/mail_message.hpp"

#include <strings.h>

#include "common/base/limits.hpp"

namespace mw::milter {

namespace {

// Splits off one line (without its LF / CRLF).
std::string_view take_line(std::string_view& text) {
    const auto lf = text.find('\n');
    std::string_view line = text.substr(0, lf);
    text.remove_prefix(lf == std::string_view::npos ? text.size() : lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

std::string to_crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 40);
    while (!text.empty()) {
        const bool had_lf = text.find('\n') != std::string_view::npos;
        out.append(take_line(text));
        if (had_lf) out.append("\r\n");
    }
    return out;
}

// "\n" inside a header value (folds) or CRLF in the body -> the file's line end.
std::string with_line_ends(std::string_view text, bool crlf) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
        if (text[i] == '\n') out.append(crlf ? "\r\n" : "\n");
        else out.push_back(text[i]);
    }
    return out;
}

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

}  // namespace

Result<MailMessage> MailMessage::parse(std::string_view text) {
    if (text.size() > limits::kMaxMilterMessage)
        return fail(ErrorCode::TooLong, "message larger than " + std::to_string(limits::kMaxMilterMessage) + " bytes");
    MailMessage m;
    m.crlf_ = text.find("\r\n") != std::string_view::npos;
    if (text.substr(0, 5) == "From ") take_line(text);   // mbox separator
    while (!text.empty()) {
        const std::string_view line = take_line(text);
        if (line.empty()) break;
        if (is_wsp(line.front()) && !m.headers_.empty()) {
            m.headers_.back().raw_value += "\n" + std::string(line);
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || !valid_header_name(line.substr(0, colon)))
            return fail(ErrorCode::Invalid, "not a header line: \"" + std::string(line.substr(0, 60)) + "\"");
        m.headers_.push_back({std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
    }
    m.body_ = to_crlf(text);
    return m;
}

std::string MailMessage::milter_value(std::size_t i, bool leading_space) const {
    std::string_view v = headers_.at(i).raw_value;
    if (!leading_space) {
        while (!v.empty() && is_wsp(v.front())) v.remove_prefix(1);
    }
    return std::string(v);
}

std::string MailMessage::header_value(std::string value, bool leading_space) const {
    // Without SMFIP_HDR_LEADSPC the MTA writes "Name: value" itself.
    return leading_space ? value : " " + value;
}

void MailMessage::apply(const std::vector<Response>& edits, bool leading_space) {
    using K = Response::Kind;
    bool body_replaced = false;
    for (const auto& e : edits) {
        if (e.kind == K::AddHeader) {
            headers_.push_back({e.name, header_value(e.value, leading_space)});
        } else if (e.kind == K::InsertHeader) {
            const auto at = std::min<std::size_t>(e.index, headers_.size());
            headers_.insert(headers_.begin() + static_cast<std::ptrdiff_t>(at),
                            {e.name, header_value(e.value, leading_space)});
        } else if (e.kind == K::ChangeHeader) {
            // The index-th header of that name (1-based; 0 is treated as 1, as sendmail does);
            // a missing one is ignored, as Postfix's cleanup does.
            uint32_t seen = 0;
            const uint32_t want = e.index == 0 ? 1 : e.index;
            for (auto it = headers_.begin(); it != headers_.end(); ++it) {
                if (strcasecmp(it->name.c_str(), e.name.c_str()) != 0 || ++seen != want) continue;
                if (e.value.empty()) headers_.erase(it);
                else it->raw_value = header_value(e.value, leading_space);
                break;
            }
        } else if (e.kind == K::ReplaceBody) {
            if (!body_replaced) body_.clear();
            body_replaced = true;
            body_ += e.text;
        }
    }
}

std::string MailMessage::to_string() const {
    const std::string_view eol = crlf_ ? "\r\n" : "\n";
    std::string out;
    for (const auto& h : headers_) {
        out += h.name + ":" + with_line_ends(h.raw_value, crlf_);
        out += eol;
    }
    out += eol;
    out += with_line_ends(body_, crlf_);
    return out;
}

}  // namespace mw::milter
