// ReplyTemplate: a DNS list reply text with Postfix mac_expand(3) variables, as in
// default_rbl_reply and rbl_reply_maps: $name, ${name}, $(name), ${name?text} (text when $name
// is non-empty), ${name:text} (text when $name is empty), $$ (a dollar). The text after ? or :
// is itself a template. Parsed once at configuration time: unknown variable names, a '$' not
// starting one of these forms, unbalanced braces and control characters are errors.
// Expansion, like Postfix's smtpd_expand_filter, replaces every character of a variable's value
// that is not printable ASCII, space or tab by '_' (so no CR/LF reaches the SMTP reply), and
// cuts the result at limits::kMaxDnsblReply. Limits: kMaxDnsblReplyTemplate characters,
// nesting kMaxDnsblTemplateDepth. Immutable after parse(); thread-safe to share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "milters/dnsbl/reply_variables.hpp"

namespace mw::dnsbl {

class ReplyTemplate {
public:
    /// Parses `text`; the error says what and where (character offset).
    static Result<ReplyTemplate> parse(std::string_view text);

    /// Expands with `vars`; bounded, single line.
    std::string expand(const ReplyVariables& vars) const;
    const std::string& text() const { return text_; }

    /// One parsed piece; public only so the parser in the .cpp can build it.
    struct Node {
        enum class Kind { Literal, Variable, IfSet, IfEmpty } kind = Kind::Literal;
        std::string text;            // Literal: the text; others: the variable name
        std::vector<Node> children;  // IfSet / IfEmpty: the conditional text
    };

private:
    std::string text_;
    std::vector<Node> nodes_;
};

}  // namespace mw::dnsbl
