#include "common/config/params_man.hpp"

#include <fmt/format.h>

namespace mw::config {

namespace {

// roff: a leading '.' or '\'' would be a request; backslashes must be doubled.
std::string roff_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\') out += "\\e";
        else if (c == '-') out += "\\-";
        else out += c;
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
    return out;
}

}  // namespace

std::string render_params_man(const ParamTable& table) {
    std::string out;
    for (const auto& p : table) {
        out += fmt::format(".IP \"\\fB{}\\fR (default: {})\"\n", roff_escape(p.name),
                           p.default_value.empty() ? "empty" : roff_escape(p.default_value));
        out += roff_escape(p.summary);
        if (p.type == ParamType::Choice) out += fmt::format(" One of: {}.", roff_escape(p.choices));
        out += "\n";
    }
    return out;
}

std::string render_params_conf(const ParamTable& table) {
    std::string out;
    for (const auto& p : table) {
        out += fmt::format("\n# {}\n", p.summary);
        out += p.default_value.empty() ? fmt::format("#{} =\n", p.name)
                                       : fmt::format("#{} = {}\n", p.name, p.default_value);
    }
    return out;
}

}  // namespace mw::config
