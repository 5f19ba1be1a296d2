#include "milters/spam/scan/header_text.hpp"

#include <algorithm>

#include "common/base/ascii.hpp"
#include "milters/spam/scan/address_list.hpp"
#include "milters/spam/scan/relay_trust.hpp"

namespace mw::spam {

namespace {

using Mod = HeaderTarget::Modifier;

bool has(const HeaderTarget& t, Mod m) {
    return std::find(t.modifiers.begin(), t.modifiers.end(), m) != t.modifiers.end();
}

/// SA's raw_header + get_header(raw): folding (CR?LF + white space) becomes one space.
std::string unfold_raw(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
        if (c == '\n') {
            while (i + 1 < raw.size() && is_space_ascii(raw[i + 1])) ++i;
            out += ' ';
            continue;
        }
        out += c;
    }
    return out;
}

std::vector<std::string> values_of(const std::vector<HeaderField>& fields, std::string_view name, bool raw) {
    std::vector<std::string> out;
    for (const auto& f : fields) {
        if (!iequals_ascii(f.name, name)) continue;
        out.push_back(raw ? unfold_raw(f.raw) + "\n" : f.decoded + "\n");
    }
    return out;
}

std::vector<std::string> all_fields(const std::vector<HeaderField>& fields, bool raw) {
    std::vector<std::string> out;
    out.reserve(fields.size());
    for (const auto& f : fields) out.push_back(f.name + ": " + (raw ? f.raw : f.decoded) + "\n");
    return out;
}

/// SA's _get() recognizes the special names wherever they appear (also in exists:ToCc).
HeaderTarget::Kind kind_of(const HeaderTarget& t) {
    if (t.kind != HeaderTarget::Kind::Named) return t.kind;
    if (t.name == "ALL") return HeaderTarget::Kind::All;
    if (t.name == "MESSAGEID") return HeaderTarget::Kind::MessageId;
    if (iequals_ascii(t.name, "ToCc")) return HeaderTarget::Kind::ToCc;
    if (iequals_ascii(t.name, "EnvelopeFrom")) return HeaderTarget::Kind::EnvelopeFrom;
    return t.kind;
}

std::vector<std::string> collect(const std::vector<HeaderField>& fields, const HeaderTarget& t,
                                 std::string_view envelope_from) {
    const bool raw = has(t, Mod::Raw) || has(t, Mod::Addr) || has(t, Mod::Name);
    switch (kind_of(t)) {
    case HeaderTarget::Kind::All:
        return all_fields(fields, has(t, Mod::Raw));
    case HeaderTarget::Kind::EnvelopeFrom:
        if (envelope_from.empty()) return {};
        return {std::string(envelope_from) + "\n"};
    case HeaderTarget::Kind::ToCc: {
        auto out = values_of(fields, "To", raw);
        auto cc = values_of(fields, "Cc", raw);
        out.insert(out.end(), cc.begin(), cc.end());
        return out;
    }
    case HeaderTarget::Kind::MessageId: {
        std::vector<std::string> out;
        for (const char* n : {"X-Message-Id", "Resent-Message-Id", "X-Original-Message-ID", "Message-Id"})
            for (auto& v : values_of(fields, n, raw))
                if (v != "\n") out.push_back(std::move(v));
        return out;
    }
    case HeaderTarget::Kind::Named:
        break;
    }
    return values_of(fields, t.name, raw);
}

/// :addr / :name: each address (or display name) of each value, without newlines.
std::vector<std::string> addresses(const std::vector<std::string>& values, bool names) {
    std::vector<std::string> out;
    for (const auto& v : values) {
        for (auto& a : parse_address_list(v)) {
            if (names) {
                if (a.phrase.empty()) continue;
                std::string p;   // SA: white space runs become one space, outer quotes go
                for (char c : a.phrase) {
                    if (is_space_ascii(c)) { if (!p.empty() && p.back() != ' ') p += ' '; }
                    else p += c;
                }
                while (!p.empty() && p.back() == ' ') p.pop_back();
                if (p.size() >= 2 && p.front() == '\'' && p.back() == '\'') p = p.substr(1, p.size() - 2);
                out.push_back(std::move(p));
            } else if (!a.address.empty()) {
                out.push_back(std::move(a.address));
            }
        }
    }
    return out;
}

const std::string kEmptyRelays;

/// The X-Spam-Relays-* string named (case-insensitive), kEmptyRelays without an analysis,
/// nullptr for any other name.
const std::string* relay_text(std::string_view name, const RelayAnalysis* r) {
    static const std::string_view kPrefix = "X-Spam-Relays-";
    if (name.size() <= kPrefix.size() || !iequals_ascii(name.substr(0, kPrefix.size()), kPrefix)) return nullptr;
    const std::string_view which = name.substr(kPrefix.size());
    if (iequals_ascii(which, "Trusted")) return r ? &r->trusted_str : &kEmptyRelays;
    if (iequals_ascii(which, "Untrusted")) return r ? &r->untrusted_str : &kEmptyRelays;
    if (iequals_ascii(which, "Internal")) return r ? &r->internal_str : &kEmptyRelays;
    if (iequals_ascii(which, "External")) return r ? &r->external_str : &kEmptyRelays;
    return nullptr;
}

}  // namespace

bool header_target_supported(const HeaderTarget& target) {
    if (target.kind != HeaderTarget::Kind::Named) return true;
    if (target.name.rfind("ALL-", 0) == 0) return false;
    if (target.name.rfind("X-Spam-Relays-", 0) == 0 && !relay_text(target.name, nullptr)) return false;
    for (Mod m : target.modifiers)
        if (m == Mod::Host || m == Mod::Domain || m == Mod::Ip || m == Mod::Revip) return false;
    return true;
}

std::optional<std::string> header_text(const std::vector<HeaderField>& fields, const HeaderTarget& target,
                                       std::string_view envelope_from, const RelayAnalysis* relays) {
    // SA PerMsgStatus::get: the relay string, one value without a newline ("" when none); a
    // field of that name in the message itself is never read (it could be forged).
    const std::string* relay = target.kind == HeaderTarget::Kind::Named ? relay_text(target.name, relays) : nullptr;
    std::vector<std::string> values = relay ? std::vector<std::string>{*relay} : collect(fields, target, envelope_from);
    if (values.empty()) return std::nullopt;
    if (has(target, Mod::First)) values.erase(values.begin() + 1, values.end());
    if (has(target, Mod::Last)) values.erase(values.begin(), values.end() - 1);
    const bool addr = has(target, Mod::Addr), name = has(target, Mod::Name);
    if (addr || name) {
        values = addresses(values, name);
        if (values.empty()) return std::nullopt;
    }
    // SA joins with "" when values end in a newline, else with "\n" (bug 8121).
    const bool newline_ended = !values[0].empty() && values[0].back() == '\n';
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0 && !newline_ended) out += '\n';
        out += values[i];
    }
    return out;
}

std::vector<std::string> header_addresses(const std::vector<HeaderField>& fields, std::string_view name,
                                          std::string_view envelope_from) {
    HeaderTarget t;
    t.name = std::string(name);
    t.modifiers = {Mod::Addr};
    return addresses(collect(fields, t, envelope_from), false);
}

std::vector<std::string_view> header_values(const std::vector<HeaderField>& fields, std::string_view name) {
    std::vector<std::string_view> out;
    for (const auto& f : fields)
        if (iequals_ascii(f.name, name)) out.push_back(f.decoded);
    return out;
}

std::string_view last_header(const std::vector<HeaderField>& fields, std::string_view name) {
    for (auto it = fields.rbegin(); it != fields.rend(); ++it)
        if (iequals_ascii(it->name, name)) return it->decoded;
    return {};
}

}  // namespace mw::spam
