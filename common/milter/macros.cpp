#include "common/milter/macros.hpp"

namespace mw::milter {

std::string_view Macros::bare_name(std::string_view name) {
    if (name.size() >= 2 && name.front() == '{' && name.back() == '}')
        return name.substr(1, name.size() - 2);
    return name;
}

std::string Macros::wire_name(std::string_view name) {
    const auto bare = bare_name(name);
    if (bare.size() == 1) return std::string(bare);
    // Built by append: g++ 12 -O3 warns (-Wrestrict, a known false positive) on "{" + string.
    std::string out;
    out.reserve(bare.size() + 2);
    out += '{';
    out += bare;
    out += '}';
    return out;
}

void Macros::set(std::string_view name, std::string value) {
    values_.insert_or_assign(std::string(bare_name(name)), std::move(value));
}

std::optional<std::string_view> Macros::get(std::string_view name) const {
    const auto it = values_.find(bare_name(name));
    if (it == values_.end()) return std::nullopt;
    return std::string_view(it->second);
}

std::string_view Macros::get_or(std::string_view name, std::string_view fallback) const {
    return get(name).value_or(fallback);
}

void Macros::merge(const Macros& other) {
    for (const auto& [k, v] : other.values_) values_.insert_or_assign(k, v);
}

}  // namespace mw::milter
