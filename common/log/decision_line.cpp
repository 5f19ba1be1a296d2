#include "common/log/decision_line.hpp"

namespace mw::log {

namespace {

bool needs_quotes(std::string_view v) {
    if (v.empty()) return true;
    for (unsigned char c : v)
        if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) return true;
    return false;
}

}  // namespace

void append_quoted(std::string& out, std::string_view v) {
    if (!needs_quotes(v)) {
        out.append(v);
        return;
    }
    out.push_back('"');
    for (unsigned char c : v) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < ' ' || c == 0x7f) {
            out += '?';
        } else {
            out += static_cast<char>(c);
        }
    }
    out += '"';
}

std::string quote_value(std::string_view v) {
    std::string out;
    append_quoted(out, v);
    return out;
}

DecisionLine::DecisionLine(std::string_view queue_id, std::string_view check,
                           std::string_view result) {
    text_.reserve(kTypicalLine);
    text_.append(queue_id.empty() ? "NOQUEUE" : queue_id).append(": ");
    fields_start_ = text_.size();
    text_.append(check).push_back('=');
    append_quoted(text_, result);
}

DecisionLine& DecisionLine::add(std::string_view key, std::string_view value) {
    if (value.empty()) return *this;
    text_.append(1, ' ').append(key).push_back('=');
    append_quoted(text_, value);
    return *this;
}

std::string DecisionLine::finish(std::string_view action) const {
    std::string line;
    line.reserve(text_.size() + 8 + action.size());
    line.append(text_).append(" action=");
    append_quoted(line, action);
    return line;
}

std::string DecisionLine::finish_fields(std::string_view action) const {
    const std::string_view fields = std::string_view(text_).substr(fields_start_);
    std::string out;
    out.reserve(fields.size() + 8 + action.size());
    out.append(fields).append(" action=");
    append_quoted(out, action);
    return out;
}

std::string DecisionLine::join(std::string_view queue_id, std::string_view fields) {
    const std::string_view id = queue_id.empty() ? std::string_view("NOQUEUE") : queue_id;
    std::string line;
    line.reserve(id.size() + 2 + fields.size());
    line.append(id).append(": ").append(fields);
    return line;
}

namespace {

// Reads one possibly quoted value starting at line[i]; advances i past it.
std::optional<std::string> read_value(std::string_view line, std::size_t& i) {
    std::string v;
    if (i < line.size() && line[i] == '"') {
        for (++i; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] == '\\' && i + 1 < line.size()) ++i;
            v += line[i];
        }
        if (i >= line.size()) return std::nullopt;  // unterminated quote
        ++i;
        return v;
    }
    while (i < line.size() && line[i] != ' ') v += line[i++];
    return v;
}

}  // namespace

std::optional<DecisionLine::Parsed> DecisionLine::parse(std::string_view line) {
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    Parsed p;
    p.queue_id = std::string(line.substr(0, colon));
    std::size_t i = colon + 2;
    while (i < line.size()) {
        const auto eq = line.find('=', i);
        if (eq == std::string_view::npos || eq == i) return std::nullopt;
        std::string key(line.substr(i, eq - i));
        if (key.find(' ') != std::string::npos) return std::nullopt;
        i = eq + 1;
        auto v = read_value(line, i);
        if (!v) return std::nullopt;
        p.fields.emplace_back(std::move(key), std::move(*v));
        if (i < line.size() && line[i] == ' ') ++i;
    }
    if (p.fields.empty() || p.fields.back().first != "action") return std::nullopt;
    return p;
}

}  // namespace mw::log
