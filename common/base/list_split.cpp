#include "common/base/list_split.hpp"

namespace mw {

std::vector<std::string_view> split_list(std::string_view value) {
    std::vector<std::string_view> out;
    constexpr std::string_view kSeparators = ", \t\r\n";
    std::size_t i = 0;
    while (i < value.size()) {
        i = value.find_first_not_of(kSeparators, i);
        if (i == std::string_view::npos) break;
        auto end = value.find_first_of(kSeparators, i);
        if (end == std::string_view::npos) end = value.size();
        out.push_back(value.substr(i, end - i));
        i = end;
    }
    return out;
}

}  // namespace mw
