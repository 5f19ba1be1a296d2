#include "tests/support/libspf2_checker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>
#include <cstring>
#include <optional>
#include <set>

// libspf2's headers need the socket types above first, and not all of them say extern "C".
extern "C" {
#include <spf2/spf.h>
#include <spf2/spf_dns_zone.h>
}

#include "common/net/ip_address.hpp"

namespace mw::test {

namespace detail {
void free_spf_server(SPF_server_struct* server) { SPF_server_free(server); }
}  // namespace detail

namespace {

using ZoneHandle = CHandle<SPF_dns_server_t, &SPF_dns_free>;
using RequestHandle = CHandle<SPF_request_t, &SPF_request_free>;
using ResponseHandle = CHandle<SPF_response_t, &SPF_response_free>;

// libspf2 prints "Warning: N errors in response" and the like to stderr; the outcome's problem
// field carries what the tests need, so its chatter is dropped.
void quiet(const char*, int, const char*) {}

void silence_libspf2() {
    SPF_warning_handler = quiet;
    SPF_info_handler = quiet;
    SPF_debug_handler = quiet;
}

std::optional<ns_type> zone_type(dns::RrType t) {
    switch (t) {
        case dns::RrType::A: return ns_t_a;
        case dns::RrType::AAAA: return ns_t_aaaa;
        case dns::RrType::MX: return ns_t_mx;
        case dns::RrType::TXT: return ns_t_txt;
        case dns::RrType::PTR: return ns_t_ptr;
        default: return std::nullopt;
    }
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

Result<ZoneHandle> build_zone(const std::vector<ZoneRecord>& records) {
    ZoneHandle zone(SPF_dns_zone_new(nullptr, "mw-test-zone", 0));
    if (!zone) return fail(ErrorCode::Internal, "SPF_dns_zone_new failed");
    std::set<std::string> names;
    for (const auto& r : records) {
        auto type = zone_type(r.type);
        if (!type) return fail(ErrorCode::Unsupported, "zone type " + std::string(dns::to_string(r.type)));
        if (SPF_dns_zone_add_str(zone.get(), r.name.c_str(), *type, NETDB_SUCCESS, r.data.c_str()) !=
            SPF_E_SUCCESS) {
            return fail(ErrorCode::Invalid, "libspf2 zone rejects " + r.name + " " + r.data);
        }
        names.insert(lower(r.name));
    }
    // The zone layer answers NXDOMAIN for anything it lacks, even a type missing at a name that
    // exists; libspf2 asks for type SPF (99) first and takes NXDOMAIN there as "no record", so
    // each name also gets a catch-all NODATA, added last so the real records match first.
    for (const auto& name : names) {
        if (SPF_dns_zone_add_str(zone.get(), name.c_str(), ns_t_any, NO_DATA, nullptr) != SPF_E_SUCCESS)
            return fail(ErrorCode::Internal, "libspf2 zone rejects NODATA for " + name);
    }
    return zone;
}

SPF_errcode_t set_client(SPF_request_t* request, const net::IpAddress& client) {
    const auto ip = client.unmapped();
    if (ip.is_v4()) {
        in_addr a{};
        std::memcpy(&a, ip.bytes(), 4);
        return SPF_request_set_ipv4(request, a);
    }
    in6_addr a{};
    std::memcpy(&a, ip.bytes(), 16);
    return SPF_request_set_ipv6(request, a);
}

// libspf2 leaves the result at SPF_RESULT_INVALID when it finds no record or cannot compile
// the one it found; its messages tell which.
spf::SpfResult unset_result(SPF_response_t* response, SPF_errcode_t err) {
    if (err == SPF_E_DNS_ERROR) return spf::SpfResult::TempError;
    for (int i = 0; i < SPF_response_messages(response); ++i) {
        SPF_error_t* e = SPF_response_message(response, i);
        if (SPF_error_errorp(e) && SPF_error_code(e) != SPF_E_NOT_SPF) return spf::SpfResult::PermError;
    }
    return spf::SpfResult::None;
}

spf::SpfResult map_result(SPF_response_t* response, SPF_errcode_t err) {
    switch (SPF_response_result(response)) {
        case SPF_RESULT_NEUTRAL: return spf::SpfResult::Neutral;
        case SPF_RESULT_PASS: return spf::SpfResult::Pass;
        case SPF_RESULT_FAIL: return spf::SpfResult::Fail;
        case SPF_RESULT_SOFTFAIL: return spf::SpfResult::SoftFail;
        case SPF_RESULT_NONE: return spf::SpfResult::None;
        case SPF_RESULT_TEMPERROR: return spf::SpfResult::TempError;
        case SPF_RESULT_PERMERROR: return spf::SpfResult::PermError;
        case SPF_RESULT_INVALID: break;
    }
    return unset_result(response, err);
}

std::string messages(SPF_response_t* response) {
    std::string out;
    for (int i = 0; i < SPF_response_messages(response); ++i) {
        if (!out.empty()) out += "; ";
        out += SPF_error_message(SPF_response_message(response, i));
    }
    return out;
}

}  // namespace

Result<std::unique_ptr<Libspf2Checker>> Libspf2Checker::create(const std::vector<ZoneRecord>& zone,
                                                               const std::string& receiver) {
    silence_libspf2();
    auto z = build_zone(zone);
    if (!z) return fail(z.error());
    ServerHandle server(SPF_server_new_dns(z->get(), 0));
    if (!server) return fail(ErrorCode::Internal, "SPF_server_new_dns failed");
    z->release();   // the server frees its resolver
    if (SPF_server_set_rec_dom(server.get(), receiver.c_str()) != SPF_E_SUCCESS)
        return fail(ErrorCode::Internal, "SPF_server_set_rec_dom failed");
    return std::unique_ptr<Libspf2Checker>(new Libspf2Checker(std::move(server)));
}

spf::SpfOutcome Libspf2Checker::check(const spf::SpfRequest& req, Deadline) {
    spf::SpfOutcome out;
    RequestHandle request(SPF_request_new(server_.get()));
    if (!request || set_client(request.get(), req.client) != SPF_E_SUCCESS) {
        out.result = spf::SpfResult::TempError;
        out.problem = "libspf2 request setup failed";
        return out;
    }
    if (!req.helo.empty()) SPF_request_set_helo_dom(request.get(), req.helo.c_str());
    // HELO identity: check_host(helo) with sender postmaster@helo, which env_from = helo gives.
    const std::string& from = req.identity == spf::Identity::Helo ? req.helo : req.sender;
    SPF_request_set_env_from(request.get(), from.c_str());

    SPF_response_t* raw = nullptr;
    const SPF_errcode_t err = SPF_request_query_mailfrom(request.get(), &raw);
    ResponseHandle response(raw);
    if (!response) {
        out.result = spf::SpfResult::TempError;
        out.problem = "libspf2 returned no response";
        return out;
    }
    out.result = map_result(response.get(), err);
    out.problem = messages(response.get());
    if (request->env_from) out.sender = request->env_from;
    if (request->env_from_dp) out.domain = request->env_from_dp;
    out.dns_lookups = response->num_dns_mech;
    return out;
}

}  // namespace mw::test
