// Splits a Postfix-style list value: items separated by commas and/or white space.
// Pure; returns views into the input.
#pragma once

#include <string_view>
#include <vector>

namespace mw {

std::vector<std::string_view> split_list(std::string_view value);

}  // namespace mw
