#include "milters/dkim/dkim_settings.hpp"

#include <pwd.h>
#include <unistd.h>

#include <vector>

#include <fmt/format.h>

#include "common/base/ascii.hpp"
#include "common/daemon/daemon_startup.hpp"
#include "common/daemon/listen_spec.hpp"

namespace mw::dkim {

namespace {

bool set(const config::Config& c, std::string_view key) { return !c.str(key).empty(); }

// The uid of the `user` account when we run as root (and will drop to it): keys it owns are
// as safe as root's, and only they stay readable on reload.
std::optional<uid_t> service_uid(const config::Config& c) {
    if (::geteuid() != 0 || c.str("user").empty()) return std::nullopt;
    passwd pw{};
    passwd* found = nullptr;
    std::vector<char> buf(16 * 1024);
    if (::getpwnam_r(c.str("user").c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found)
        return std::nullopt;
    return found->pw_uid;
}

// A table's own errors carry its FILE:LINE; one without (a missing file) gets the key's.
Error at_key(const config::Config& c, std::string_view key, const Error& e) {
    return e.pos ? e : daemon::config_error(c, key, e.message);
}

Result<bool> load_tables(const config::Config& c, DkimSettings& s) {
    if (set(c, "key_table") != set(c, "signing_table"))
        return fail(daemon::config_error(c, set(c, "key_table") ? "key_table" : "signing_table",
                                         "key_table and signing_table must be set together"));
    if (!set(c, "key_table")) return true;
    auto keys = KeyTable::load(c.str("key_table"));
    if (!keys) return fail(at_key(c, "key_table", keys.error()));
    auto table = SigningTable::load(c.str("signing_table"));
    if (!table) return fail(at_key(c, "signing_table", table.error()));
    if (auto ok = table->check_keys(*keys); !ok) return fail(ok.error());
    auto store = KeyStore::load(*keys, {c.flag("require_safe_keys"), service_uid(c)});
    if (!store) return fail(at_key(c, "key_table", store.error()));
    s.signing_table = std::move(*table);
    s.key_store = std::move(*store);
    return true;
}

Result<bool> load_shortcut(const config::Config& c, DkimSettings& s) {
    const bool any = set(c, "domain") || set(c, "selector") || set(c, "key_file");
    if (!any) return true;
    const char* given = set(c, "domain") ? "domain" : set(c, "selector") ? "selector" : "key_file";
    for (const char* key : {"domain", "selector", "key_file"})
        if (!set(c, key))
            return fail(daemon::config_error(c, given, fmt::format("{} is not set: domain, selector and "
                                                                   "key_file go together", key)));
    if (s.signing_table)
        return fail(daemon::config_error(c, "domain", "use either domain/selector/key_file or the tables"));
    if (!is_dns_name(c.str("selector")))
        return fail(daemon::config_error(c, "selector", "not a valid selector: " + c.str("selector")));
    for (const auto& d : c.list("domain")) {
        if (!is_dns_name(d)) return fail(daemon::config_error(c, "domain", "not a domain name: " + d));
        s.shortcut_domains.push_back(to_lower_ascii(d));
    }
    auto key = load_private_key(c.str("key_file"), c.flag("require_safe_keys"), service_uid(c));
    if (!key) return fail(daemon::config_error(c, "key_file", key.error().message));
    s.shortcut_key = SigningKey{"", c.str("selector"), std::move(*key)};
    return true;
}

SignerOptions signer_options(const config::Config& c) {
    SignerOptions o;
    o.canon = parse_canonicalization(c.str("canonicalization")).value_or(o.canon);
    if (!c.list("sign_headers").empty()) o.headers = c.list("sign_headers");
    o.oversign = c.list("oversign_headers");
    const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(c.duration("signature_ttl"));
    if (ttl.count() > 0) o.expire_after = static_cast<std::uint64_t>(ttl.count());
    return o;
}

Result<VerifyActions> verify_actions(const config::Config& c) {
    VerifyActions a;
    for (const auto& d : c.list("action_domains")) {
        if (!is_dns_name(d)) return fail(daemon::config_error(c, "action_domains", "not a domain name: " + d));
        a.domains.push_back(to_lower_ascii(d));
    }
    // The table's Choice type has checked the words already.
    a.on_fail = parse_result_action(c.str("on_fail")).value_or(ResultAction::Accept);
    a.on_permerror = parse_result_action(c.str("on_permerror")).value_or(ResultAction::Accept);
    a.on_temperror = parse_result_action(c.str("on_temperror")).value_or(ResultAction::Accept);
    a.on_none = parse_result_action(c.str("on_none")).value_or(ResultAction::Accept);
    return a;
}

}  // namespace

std::vector<SigningKey> DkimSettings::keys_for(std::string_view author) const {
    std::vector<SigningKey> out;
    if (signing_table && key_store) {
        for (const auto& name : signing_table->find_all(author))
            if (const SigningKey* k = key_store->find(name)) out.push_back(*k);
        return out;
    }
    const auto at = author.rfind('@');
    if (!shortcut_key || at == std::string_view::npos) return out;
    const std::string domain = to_lower_ascii(author.substr(at + 1));
    for (const auto& d : shortcut_domains) {
        if (d != domain) continue;
        SigningKey k = *shortcut_key;
        k.domain = d;
        out.push_back(std::move(k));
    }
    return out;
}

Result<DkimSettings> load_dkim_settings(const config::Config& c) {
    DkimSettings s;
    s.authserv_id = daemon::authserv_id(c);
    s.internal_hosts = c.cidrs("internal_hosts");
    s.originating_daemon_name = c.str("originating_daemon_name");
    s.signer = signer_options(c);
    s.verify_time = c.duration("verify_time");
    s.failure_action = c.str("failure_action") == "accept" ? milter::FailureAction::Accept
                                                           : milter::FailureAction::Tempfail;
    s.dry_run = c.flag("dry_run");
    auto actions = verify_actions(c);
    if (!actions) return fail(actions.error());
    s.actions = std::move(*actions);
    if (auto r = load_tables(c, s); !r) return fail(r.error());
    if (auto r = load_shortcut(c, s); !r) return fail(r.error());
    return s;
}

Result<bool> check_dkim_config(const config::Config& c) {
    auto spec = daemon::ListenSpec::parse(c.str("listen"), false);
    if (!spec) return fail(daemon::config_error(c, "listen", spec.error().message));
    auto s = load_dkim_settings(c);
    if (!s) return fail(s.error());
    return true;
}

}  // namespace mw::dkim
