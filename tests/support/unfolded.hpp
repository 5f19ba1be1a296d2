// unfolded(): collapses every run of white space (including CRLF folds) to one space and trims
// the ends, so header text can be compared with the RFCs' folded examples. Test-only.
#pragma once

#include <string>
#include <string_view>

namespace mw::test {

inline std::string unfolded(std::string_view s) {
    std::string out;
    for (char c : s) {
        const bool ws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
        if (ws) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace mw::test
