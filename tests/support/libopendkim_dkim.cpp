#include "tests/support/libopendkim_dkim.hpp"

#include <sys/time.h>

#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

// dkim.h declares _Bool parameters and includes <stdbool.h> only under HAVE_STDBOOL_H; GCC's
// <stdbool.h> maps _Bool to bool in C++.
#include <stdbool.h>  // NOLINT(modernize-deprecated-headers)
#include <opendkim/dkim.h>

#include "common/base/c_handle.hpp"
#include "tests/interop/eml_message.hpp"
#include "tests/support/txt_reply_packet.hpp"

namespace mw::test {
namespace {

using DkimLib = CHandle<DKIM_LIB, dkim_close>;
using DkimHandle = CHandle<DKIM, dkim_free>;

constexpr int kTypeTxt = 16;
constexpr size_t kSignatureFieldNameWidth = sizeof "DKIM-Signature: " - 1;
const auto kMessageId = reinterpret_cast<const unsigned char*>("mailwarden-test");

unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

/// One key query in flight: the resolver's callback fills it, waitreply reads it. Shared with
/// the callback, which may come after libopendkim cancelled the query.
struct PendingQuery {
    std::string qname;
    unsigned char* buf = nullptr;  // libopendkim's reply buffer, valid until cancel
    size_t buflen = 0;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    dns::Answer answer;
};

/// The handle libopendkim holds as its "DNS service": the common resolver plus the queries
/// started and not yet cancelled (owned here, so nothing leaks when libopendkim forgets one).
struct DnsService {
    dns::Resolver& resolver;
    std::chrono::milliseconds timeout;
    std::mutex mu;
    std::map<void*, std::shared_ptr<PendingQuery>> queries;

    std::shared_ptr<PendingQuery> find(void* qh) {
        std::lock_guard lock(mu);
        const auto it = queries.find(qh);
        return it == queries.end() ? nullptr : it->second;
    }
};

int query_start(void* srv, int type, unsigned char* query, unsigned char* buf, size_t buflen,
                void** qh) {
    auto& service = *static_cast<DnsService*>(srv);
    if (type != kTypeTxt || query == nullptr || buf == nullptr) return DKIM_DNS_INVALID;
    auto pending = std::make_shared<PendingQuery>();
    pending->qname = reinterpret_cast<const char*>(query);
    pending->buf = buf;
    pending->buflen = buflen;
    {
        std::lock_guard lock(service.mu);
        service.queries[pending.get()] = pending;
    }
    *qh = pending.get();
    service.resolver.submit({pending->qname, dns::RrType::TXT}, Deadline::after(service.timeout),
                            [pending](dns::Answer answer) {
                                std::lock_guard lock(pending->mu);
                                pending->answer = std::move(answer);
                                pending->done = true;
                                pending->cv.notify_all();
                            });
    return DKIM_DNS_SUCCESS;
}

int query_cancel(void* srv, void* qh) {
    auto& service = *static_cast<DnsService*>(srv);
    std::lock_guard lock(service.mu);
    service.queries.erase(qh);
    return DKIM_DNS_SUCCESS;
}

bool wait_done(PendingQuery& q, const timeval* timeout) {
    std::unique_lock lock(q.mu);
    if (timeout == nullptr) {  // the resolver answers by its own deadline in any case
        q.cv.wait(lock, [&] { return q.done; });
        return true;
    }
    const auto limit = std::chrono::seconds(timeout->tv_sec) + std::chrono::microseconds(timeout->tv_usec);
    return q.cv.wait_for(lock, limit, [&] { return q.done; });
}

int query_waitreply(void* srv, void* qh, timeval* timeout, size_t* bytes_out, int* error,
                    int* dnssec) {
    auto pending = static_cast<DnsService*>(srv)->find(qh);
    if (!pending) return DKIM_DNS_INVALID;
    if (error != nullptr) *error = 0;
    if (dnssec != nullptr) *dnssec = DKIM_DNSSEC_UNKNOWN;
    if (!wait_done(*pending, timeout)) return DKIM_DNS_EXPIRED;
    std::lock_guard lock(pending->mu);
    if (pending->answer.rcode == dns::Rcode::Timeout) return DKIM_DNS_EXPIRED;
    auto wire = encode_txt_reply(pending->qname, pending->answer, pending->buflen);
    if (!wire) return DKIM_DNS_ERROR;
    std::memcpy(pending->buf, wire->data(), wire->size());
    if (bytes_out != nullptr) *bytes_out = wire->size();
    return DKIM_DNS_SUCCESS;
}

int refuse_builtin_init(void**) { return -1; }  // never start libopendkim's own resolver
void keep_service_on_close(void*) {}            // the service belongs to LibOpenDkim
int ignore_nslist(void*, const char*) { return 0; }

struct FeedStatus {
    DKIM_STAT eoh = DKIM_STAT_OK;
    DKIM_STAT eom = DKIM_STAT_OK;
};

FeedStatus feed_message(DKIM* dkim, std::string_view message) {
    auto msg = EmlMessage::parse(message);
    for (const auto& h : msg.headers) {
        std::string field = h.name + ":" + h.value;
        dkim_header(dkim, bytes(field), field.size());
    }
    FeedStatus st;
    st.eoh = dkim_eoh(dkim);
    if (st.eoh == DKIM_STAT_NOSIG) return st;
    if (!msg.body.empty()) dkim_body(dkim, bytes(msg.body), msg.body.size());
    st.eom = dkim_eom(dkim, nullptr);
    return st;
}

Error odk_error(DKIM* dkim, const char* what, DKIM_STAT st) {
    const char* detail = dkim != nullptr ? dkim_geterror(dkim) : nullptr;
    return Error{ErrorCode::Internal,
                 std::string(what) + ": " + dkim_getresultstr(st) +
                     (detail != nullptr ? std::string(" (") + detail + ")" : std::string()),
                 {}};
}

std::string text_or_empty(const unsigned char* s) {
    return s == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(s));
}

OdkSignatureResult signature_result(DKIM_SIGINFO* sig) {
    OdkSignatureResult r;
    r.body_hash_matched = dkim_sig_getbh(sig) == DKIM_SIGBH_MATCH;
    r.passed = (dkim_sig_getflags(sig) & DKIM_SIGFLAG_PASSED) != 0 && r.body_hash_matched;
    r.domain = text_or_empty(dkim_sig_getdomain(sig));
    r.selector = text_or_empty(dkim_sig_getselector(sig));
    r.sig_error = dkim_sig_geterror(sig);
    const char* text = dkim_sig_geterrorstr(r.sig_error);
    r.error = text == nullptr ? std::string() : text;
    return r;
}

dkim_canon_t odk_canon(dkim::Canon c) {
    return c == dkim::Canon::Simple ? DKIM_CANON_SIMPLE : DKIM_CANON_RELAXED;
}

}  // namespace

struct LibOpenDkim::Impl {
    DnsService service;  // declared first: outlives `lib`, which points at it
    DkimLib lib;

    Impl(dns::Resolver& resolver, std::chrono::milliseconds timeout)
        : service{resolver, timeout, {}, {}}, lib(dkim_init(nullptr, nullptr)) {}
};

LibOpenDkim::LibOpenDkim(dns::Resolver& resolver, std::chrono::milliseconds dns_timeout,
                         std::uint64_t sign_time)
    : impl_(std::make_unique<Impl>(resolver, dns_timeout)) {
    DKIM_LIB* lib = impl_->lib.get();
    if (lib == nullptr) throw std::runtime_error("dkim_init() failed");
    dkim_dns_set_query_service(lib, &impl_->service);
    dkim_dns_set_query_start(lib, query_start);
    dkim_dns_set_query_cancel(lib, query_cancel);
    dkim_dns_set_query_waitreply(lib, query_waitreply);
    dkim_dns_set_init(lib, refuse_builtin_init);
    dkim_dns_set_close(lib, keep_service_on_close);
    dkim_dns_set_nslist(lib, ignore_nslist);
    uint64_t fixed = sign_time;
    auto seconds = static_cast<unsigned int>(
        std::chrono::duration_cast<std::chrono::seconds>(dns_timeout).count() + 1);
    if (dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_FIXEDTIME, &fixed, sizeof fixed) != DKIM_STAT_OK ||
        dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_TIMEOUT, &seconds,
                     sizeof seconds) != DKIM_STAT_OK)
        throw std::runtime_error("dkim_options() failed");
}

LibOpenDkim::~LibOpenDkim() = default;

Result<std::string> LibOpenDkim::sign(std::string_view message, const OdkSignRequest& req) const {
    std::string key = req.private_key_pem, selector = req.selector, domain = req.domain;
    const auto alg = req.algorithm == dkim::KeyType::Rsa ? DKIM_SIGN_RSASHA256 : DKIM_SIGN_ED25519SHA256;
    DKIM_STAT st = DKIM_STAT_OK;
    DkimHandle dkim(dkim_sign(impl_->lib.get(), kMessageId, nullptr, bytes(key), bytes(selector),
                              bytes(domain), odk_canon(req.canon.header), odk_canon(req.canon.body),
                              alg, -1, &st));
    if (!dkim) return fail(odk_error(nullptr, "dkim_sign", st));
    const auto fed = feed_message(dkim.get(), message);
    if (fed.eoh != DKIM_STAT_OK || fed.eom != DKIM_STAT_OK)
        return fail(odk_error(dkim.get(), "signing", fed.eoh != DKIM_STAT_OK ? fed.eoh : fed.eom));
    unsigned char* value = nullptr;  // owned by the handle
    size_t len = 0;
    st = dkim_getsighdr_d(dkim.get(), kSignatureFieldNameWidth, &value, &len);
    if (st != DKIM_STAT_OK) return fail(odk_error(dkim.get(), "dkim_getsighdr_d", st));
    const std::string field = "DKIM-Signature: " + std::string(reinterpret_cast<char*>(value), len) + "\r\n";
    return dkim::to_crlf(field);
}

Result<std::vector<OdkSignatureResult>> LibOpenDkim::verify(std::string_view message) const {
    DKIM_STAT st = DKIM_STAT_OK;
    DkimHandle dkim(dkim_verify(impl_->lib.get(), kMessageId, nullptr, &st));
    if (!dkim) return fail(odk_error(nullptr, "dkim_verify", st));
    if (feed_message(dkim.get(), message).eoh == DKIM_STAT_NOSIG) return std::vector<OdkSignatureResult>{};
    DKIM_SIGINFO** sigs = nullptr;  // owned by the handle
    int count = 0;
    st = dkim_getsiglist(dkim.get(), &sigs, &count);
    if (st != DKIM_STAT_OK) return fail(odk_error(dkim.get(), "dkim_getsiglist", st));
    std::vector<OdkSignatureResult> results;
    for (int i = 0; i < count; ++i) results.push_back(signature_result(sigs[i]));
    return results;
}

}  // namespace mw::test
