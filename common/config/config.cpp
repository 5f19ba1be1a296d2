#include "common/config/config.hpp"
#include "common/base/ascii.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "common/base/limits.hpp"
#include "common/base/list_split.hpp"
#include "common/config/config_file.hpp"

namespace mw::config {

namespace {

std::optional<long long> parse_int(std::string_view s) {
    long long v = 0;
    if (s.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

Error value_error(const Param& p, const std::string& text, std::string why) {
    return Error{ErrorCode::Invalid,
                 fmt::format("bad value for {}: \"{}\": {}", p.name, text.substr(0, 80), why), {}};
}

bool in_choices(std::string_view choices, std::string_view v) {
    for (std::size_t i = 0; i <= choices.size();) {
        auto bar = choices.find('|', i);
        if (bar == std::string_view::npos) bar = choices.size();
        if (choices.substr(i, bar - i) == v) return true;
        i = bar + 1;
    }
    return false;
}

Result<bool> check_range(const Param& p, const std::string& text, long long v) {
    if (v < p.min || (p.max != 0 && v > p.max))
        return fail(value_error(p, text, fmt::format("must be between {} and {}", p.min, p.max)));
    return true;
}

}  // namespace

const char* to_string(ParamType t) {
    switch (t) {
        case ParamType::String: return "string";
        case ParamType::Bool: return "yes|no";
        case ParamType::Int: return "integer";
        case ParamType::Number: return "number";
        case ParamType::Duration: return "time";
        case ParamType::List: return "list";
        case ParamType::Choice: return "choice";
        case ParamType::Mode: return "octal mode";
        case ParamType::Cidrs: return "address list";
    }
    return "string";
}

std::optional<double> parse_number(std::string_view text) {
    // Digits with at most one '.', an optional leading '-': no exponents, no locale.
    std::size_t i = (!text.empty() && text[0] == '-') ? 1 : 0;
    if (i == text.size() || text.size() > 32) return std::nullopt;
    bool dot = false, digit = false;
    for (std::size_t k = i; k < text.size(); ++k) {
        if (text[k] == '.' && !dot) dot = true;
        else if (std::isdigit(static_cast<unsigned char>(text[k]))) digit = true;
        else return std::nullopt;
    }
    if (!digit) return std::nullopt;
    double v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    return v;
}

std::optional<bool> parse_bool(std::string_view text) {
    const auto t = to_lower_ascii(text);
    if (t == "yes" || t == "true" || t == "1") return true;
    if (t == "no" || t == "false" || t == "0") return false;
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits == 0 || digits > 9) return std::nullopt;
    const auto n = parse_int(text.substr(0, digits));
    if (!n) return std::nullopt;
    const auto unit = text.substr(digits);
    using std::chrono::milliseconds;
    if (unit.empty() || unit == "s") return milliseconds(*n * 1000);
    if (unit == "ms") return milliseconds(*n);
    if (unit == "m") return milliseconds(*n * 60'000);
    if (unit == "h") return milliseconds(*n * 3'600'000);
    if (unit == "d") return milliseconds(*n * 86'400'000);
    if (unit == "w") return milliseconds(*n * 604'800'000);
    return std::nullopt;
}

Result<Config::Value> Config::parse_value(const Param& p, std::string text) {
    Value v;
    switch (p.type) {
        case ParamType::String:
        case ParamType::List:
            break;
        case ParamType::Bool: {
            auto b = parse_bool(text);
            if (!b) return fail(value_error(p, text, "expected yes or no"));
            v.b = *b;
            break;
        }
        case ParamType::Int: {
            auto i = parse_int(text);
            if (!i) return fail(value_error(p, text, "expected an integer"));
            if (auto r = check_range(p, text, *i); !r) return fail(r.error());
            v.i = *i;
            break;
        }
        case ParamType::Number: {
            auto n = parse_number(text);
            if (!n) return fail(value_error(p, text, "expected a number such as 5 or 6.5"));
            if (*n < static_cast<double>(p.min) || (p.max != 0 && *n > static_cast<double>(p.max)))
                return fail(value_error(p, text, fmt::format("must be between {} and {}", p.min, p.max)));
            v.n = *n;
            break;
        }
        case ParamType::Duration: {
            auto d = parse_duration(text);
            if (!d) return fail(value_error(p, text, "expected a time such as 30s, 5m, 1h, 1d"));
            // Bounds are in whole seconds; sub-second values count as their rounded-down second.
            const auto secs = std::chrono::duration_cast<std::chrono::seconds>(*d).count();
            if (d->count() > 0 && secs < p.min)
                return fail(value_error(p, text, fmt::format("must be at least {}s", p.min)));
            if (auto r = check_range(p, text, std::max<long long>(secs, p.min)); !r) return fail(r.error());
            v.d = *d;
            break;
        }
        case ParamType::Choice: {
            text = to_lower_ascii(text);
            if (!in_choices(to_lower_ascii(p.choices), text))
                return fail(value_error(p, text, fmt::format("expected one of {}", p.choices)));
            break;
        }
        case ParamType::Mode: {
            unsigned m = 0;
            auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), m, 8);
            if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || m > 07777)
                return fail(value_error(p, text, "expected an octal mode such as 0660"));
            v.i = m;
            break;
        }
        case ParamType::Cidrs: {
            auto set = net::CidrSet::parse(text);
            if (!set) return fail(value_error(p, text, set.error().message));
            v.cidrs = std::move(*set);
            break;
        }
    }
    v.text = std::move(text);
    return v;
}

Config Config::defaults(const ParamTable& table) {
    Config c;
    c.table_ = &table;
    for (const auto& p : table) {
        auto v = parse_value(p, p.default_value);
        if (!v) {
            std::fprintf(stderr, "panic: bad default for %s: %s\n", p.name.c_str(),
                         v.error().message.c_str());
            std::abort();
        }
        c.values_[p.name] = std::move(*v);
    }
    return c;
}

Result<Config> Config::load(const ParamTable& table, const LoadOptions& opts) {
    Config c = defaults(table);
    c.path_ = opts.path;
    auto entries = read_config_file(opts.path);
    if (!entries) {
        if (!(entries.error().code == ErrorCode::NotFound && opts.missing_ok)) return fail(entries.error());
        entries = std::vector<ConfigEntry>{};
    }
    if (static_cast<int>(opts.overrides.size()) > limits::kMaxOverrides)
        return fail(ErrorCode::TooLong, "too many -o overrides");
    for (const auto& o : opts.overrides) {
        const auto eq = o.find('=');
        auto parsed = parse_config_text(o, "-o");
        if (eq == std::string::npos || !parsed || parsed->size() != 1)
            return fail(ErrorCode::Invalid, fmt::format("-o {}: expected key=value", o));
        auto e = parsed->front();
        e.pos = SourcePos{"-o " + o, 0};
        entries->push_back(std::move(e));
    }
    for (auto& e : *entries) {
        auto it = std::find_if(table.begin(), table.end(), [&](const Param& p) { return p.name == e.key; });
        auto at = [&](std::string msg) {
            if (e.pos.line == 0) return Error{ErrorCode::Invalid, e.pos.file + ": " + msg, {}};
            return Error{ErrorCode::Invalid, std::move(msg), e.pos};
        };
        if (it == table.end()) return fail(at(fmt::format("unknown parameter \"{}\"", e.key)));
        auto v = parse_value(*it, e.value);
        if (!v) return fail(at(v.error().message));
        v->pos = e.pos;
        v->from_default = false;
        c.values_[e.key] = std::move(*v);
    }
    return c;
}

const Param& Config::param(std::string_view key) const {
    for (const auto& p : *table_)
        if (p.name == key) return p;
    std::fprintf(stderr, "panic: unknown config key %.*s\n", static_cast<int>(key.size()), key.data());
    std::abort();
}

const Config::Value& Config::value(std::string_view key, ParamType type) const {
    const auto& p = param(key);
    if (p.type != type) {
        std::fprintf(stderr, "panic: config key %s read as %s\n", p.name.c_str(), to_string(type));
        std::abort();
    }
    return values_.find(key)->second;
}

const std::string& Config::str(std::string_view key) const {
    const auto& p = param(key);
    return values_.find(p.name)->second.text;
}
bool Config::flag(std::string_view key) const { return value(key, ParamType::Bool).b; }
long long Config::integer(std::string_view key) const { return value(key, ParamType::Int).i; }
double Config::number(std::string_view key) const { return value(key, ParamType::Number).n; }
std::chrono::milliseconds Config::duration(std::string_view key) const {
    return value(key, ParamType::Duration).d;
}
std::vector<std::string> Config::list(std::string_view key) const {
    std::vector<std::string> out;
    for (auto item : split_list(str(key))) out.emplace_back(item);
    return out;
}
const net::CidrSet& Config::cidrs(std::string_view key) const { return value(key, ParamType::Cidrs).cidrs; }
unsigned Config::mode(std::string_view key) const {
    return static_cast<unsigned>(value(key, ParamType::Mode).i);
}

std::optional<SourcePos> Config::where(std::string_view key) const {
    param(key);
    return values_.find(key)->second.pos;
}

std::string Config::print(bool only_non_default) const {
    std::string out;
    for (const auto& p : *table_) {
        const auto& v = values_.find(p.name)->second;
        if (only_non_default && (v.from_default || v.text == p.default_value)) continue;
        out += v.text.empty() ? fmt::format("{} =\n", p.name) : fmt::format("{} = {}\n", p.name, v.text);
    }
    return out;
}

}  // namespace mw::config
