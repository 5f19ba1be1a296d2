// Macros: the MTA's macro values a session has seen so far ({daemon_name}, {auth_authen}, i, ...).
// Names are kept without braces: get("daemon_name") and get("{daemon_name}") are the same;
// single-letter names ("i", "j", "_") likewise. Pure; thread-compatible.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mw::milter {

class Macros {
public:
    /// "{name}" -> "name"; anything else unchanged.
    static std::string_view bare_name(std::string_view name);
    /// The spelling Postfix and libmilter use on the wire: "j", "{daemon_name}".
    static std::string wire_name(std::string_view name);

    void set(std::string_view name, std::string value);
    std::optional<std::string_view> get(std::string_view name) const;
    /// The value, or `fallback` if the MTA did not send it.
    std::string_view get_or(std::string_view name, std::string_view fallback) const;
    bool empty() const { return values_.empty(); }
    std::size_t size() const { return values_.size(); }
    void clear() { values_.clear(); }
    /// Adds (overriding) every value of `other`.
    void merge(const Macros& other);
    const std::map<std::string, std::string, std::less<>>& values() const { return values_; }

private:
    std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace mw::milter
