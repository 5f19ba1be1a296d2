#include "milters/dnsbl/reply_template.hpp"

#include <fmt/format.h>

#include "common/base/limits.hpp"

namespace mw::dnsbl {

namespace {

using Node = ReplyTemplate::Node;

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_printable(char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '\t' || (u >= 0x20 && u < 0x7f);
}

// Parses a template (or the conditional text of one) into nodes. `base` is the offset of `text`
// in the whole template, for error messages.
class Parser {
public:
    Result<std::vector<Node>> parse(std::string_view text, std::size_t base, int depth);

private:
    Result<std::size_t> parse_dollar(std::string_view text, std::size_t i, std::size_t base,
                                     int depth, std::vector<Node>& out);
    Result<Node> parse_braced(std::string_view inner, std::size_t base, int depth);
    static Result<std::size_t> matching_close(std::string_view text, std::size_t open);
};

tl::unexpected<Error> bad(std::size_t at, std::string_view what) {
    return fail(ErrorCode::Invalid,
                fmt::format("reply template, at character {}: {}", at + 1, what));
}

void append_literal(std::vector<Node>& out, char c) {
    if (out.empty() || out.back().kind != Node::Kind::Literal) out.push_back(Node{});
    out.back().text += c;
}

Result<std::vector<Node>> Parser::parse(std::string_view text, std::size_t base, int depth) {
    if (depth > limits::kMaxDnsblTemplateDepth) return bad(base, "nested too deeply");
    std::vector<Node> out;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] != '$') {
            if (!is_printable(text[i])) return bad(base + i, "control or non-ASCII character");
            append_literal(out, text[i++]);
            continue;
        }
        auto next = parse_dollar(text, i, base, depth, out);
        if (!next) return fail(next.error());
        i = *next;
    }
    return out;
}

Result<std::size_t> Parser::matching_close(std::string_view text, std::size_t open) {
    const char o = text[open];
    const char c = o == '{' ? '}' : ')';
    int level = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
        if (text[i] == o) ++level;
        if (text[i] == c && --level == 0) return i;
    }
    return fail(ErrorCode::Invalid, "unbalanced");
}

// Handles the '$' at text[i]; returns the index after what it consumed.
Result<std::size_t> Parser::parse_dollar(std::string_view text, std::size_t i, std::size_t base,
                                         int depth, std::vector<Node>& out) {
    if (i + 1 >= text.size()) return bad(base + i, "'$' at the end");
    const char c = text[i + 1];
    if (c == '$') {
        append_literal(out, '$');
        return i + 2;
    }
    if (c == '{' || c == '(') {
        auto close = matching_close(text, i + 1);
        if (!close) return bad(base + i, fmt::format("no closing '{}'", c == '{' ? '}' : ')'));
        auto node = parse_braced(text.substr(i + 2, *close - i - 2), base + i + 2, depth);
        if (!node) return fail(node.error());
        out.push_back(std::move(*node));
        return *close + 1;
    }
    std::size_t end = i + 1;
    while (end < text.size() && is_name_char(text[end])) ++end;
    if (end == i + 1) return bad(base + i, "'$' must start $name, ${name}, $(name) or $$");
    auto name = text.substr(i + 1, end - i - 1);
    if (!ReplyVariables::is_known(name))
        return bad(base + i, fmt::format("unknown variable ${}", name));
    out.push_back(Node{Node::Kind::Variable, std::string(name), {}});
    return end;
}

// The inside of ${...}: "name", "name?text" or "name:text".
Result<Node> Parser::parse_braced(std::string_view inner, std::size_t base, int depth) {
    std::size_t end = 0;
    while (end < inner.size() && is_name_char(inner[end])) ++end;
    auto name = inner.substr(0, end);
    if (name.empty()) return bad(base, "missing variable name");
    if (!ReplyVariables::is_known(name))
        return bad(base, fmt::format("unknown variable ${}", name));
    if (end == inner.size()) return Node{Node::Kind::Variable, std::string(name), {}};
    if (inner[end] != '?' && inner[end] != ':') return bad(base + end, "expected '?', ':' or '}'");
    auto children = parse(inner.substr(end + 1), base + end + 1, depth + 1);
    if (!children) return fail(children.error());
    const auto kind = inner[end] == '?' ? Node::Kind::IfSet : Node::Kind::IfEmpty;
    return Node{kind, std::string(name), std::move(*children)};
}

void append_value(std::string& out, std::string_view value) {
    for (char c : value) {
        if (out.size() > limits::kMaxDnsblReply) return;
        out += is_printable(c) ? c : '_';
    }
}

void expand_nodes(const std::vector<Node>& nodes, const ReplyVariables& vars, std::string& out) {
    for (const auto& node : nodes) {
        if (out.size() > limits::kMaxDnsblReply) return;
        if (node.kind == Node::Kind::Literal) {
            out += node.text;
            continue;
        }
        const auto value = vars.lookup(node.text).value_or("");
        if (node.kind == Node::Kind::Variable)
            append_value(out, value);
        else if ((node.kind == Node::Kind::IfSet) == !value.empty())
            expand_nodes(node.children, vars, out);
    }
}

}  // namespace

Result<ReplyTemplate> ReplyTemplate::parse(std::string_view text) {
    if (text.size() > limits::kMaxDnsblReplyTemplate)
        return fail(ErrorCode::TooLong, fmt::format("reply template longer than {} characters",
                                                    limits::kMaxDnsblReplyTemplate));
    auto nodes = Parser().parse(text, 0, 0);
    if (!nodes) return fail(nodes.error());
    ReplyTemplate t;
    t.text_ = std::string(text);
    t.nodes_ = std::move(*nodes);
    return t;
}

std::string ReplyTemplate::expand(const ReplyVariables& vars) const {
    std::string out;
    expand_nodes(nodes_, vars, out);
    if (out.size() > limits::kMaxDnsblReply) out.resize(limits::kMaxDnsblReply);
    return out;
}

}  // namespace mw::dnsbl
