// mailwarden-dnsbl: the DNS-list and access-table milter. The skeleton (flags, config, socket,
// privileges, reload) is run_milter_daemon()'s; the per-message work lives in DnsblSession.
#include "common/milter/milter_daemon.hpp"
#include "milters/dnsbl/dnsbl_session.hpp"
#include "milters/dnsbl/dnsbl_settings.hpp"
#include "milters/dnsbl/params.hpp"

namespace mw::dnsbl {
namespace {

const daemon::DaemonDescription kDaemon{"dnsbl", "DNS list and sender/client access milter", &dnsbl_params(),
                                        check_dnsbl_config};

// Tables are read here, as root at start-up.
Result<std::shared_ptr<DnsblSnapshot>> load(const config::Config& c) {
    auto settings = load_dnsbl_settings(c);
    if (!settings) return fail(settings.error());
    auto snap = std::make_shared<DnsblSnapshot>();
    snap->settings = std::move(*settings);
    return snap;
}

milter::MilterDaemonParts<DnsblSnapshot> parts() {
    milter::MilterDaemonParts<DnsblSnapshot> p;
    p.description = &kDaemon;
    p.version = MW_VERSION;
    p.load = load;
    p.attach = attach_checker;
    p.spec = [](const DnsblSnapshot& s) { return dnsbl_milter_spec(s.settings); };
    p.session = [](std::shared_ptr<const DnsblSnapshot> s) { return std::make_unique<DnsblSession>(std::move(s)); };
    return p;
}

}  // namespace
}  // namespace mw::dnsbl

int main(int argc, char** argv) { return mw::milter::milter_daemon_main(mw::dnsbl::parts(), argc, argv); }
