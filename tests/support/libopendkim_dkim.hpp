// LibOpenDkim: OpenDKIM's libopendkim (Debian libopendkim-dev 2.11) as a second DKIM
// implementation for interop tests and benchmarks: sign one message, verify one message.
//
// One DKIM_LIB per object, shared by every thread that calls sign()/verify() (each call has its
// own DKIM handle). Key lookups never use libopendkim's built-in resolver (its state is shared
// across threads): the dkim_dns_set_query_start/_waitreply/_cancel hooks send them to the
// mw::dns::Resolver given here (FakeResolver in tests: an in-memory map, no network), the reply
// re-encoded as a DNS message (txt_reply_packet.hpp). dkim_dns_set_close/_init/_nslist are set
// too: the default close would free our service handle, the default init would start res_*.
// A resolver Timeout becomes DKIM_DNS_EXPIRED, other failures DKIM_DNS_ERROR (libopendkim:
// KEYFAIL, i.e. temperror); NXDOMAIN and NODATA become "no key".
//
// Known libopendkim 2.11 defects (see tests/interop/opendkim_interop_test.py): Ed25519
// signatures with simple header canonicalization are invalid (rejected by dkimpy and by us);
// Ed25519 signing leaks memory per message.
//
// Thread-safe: sign() and verify() may run concurrently on one object. Test-only code.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/dns/resolver.hpp"
#include "milters/dkim/canonicalization.hpp"
#include "milters/dkim/key_record.hpp"

namespace mw::test {

struct OdkSignRequest {
    std::string domain;
    std::string selector;
    std::string private_key_pem;  // RSA or Ed25519, PEM
    dkim::KeyType algorithm = dkim::KeyType::Rsa;  // rsa-sha256 or ed25519-sha256
    dkim::Canonicalization canon{dkim::Canon::Relaxed, dkim::Canon::Relaxed};
};

/// libopendkim's verdict on one DKIM-Signature field.
struct OdkSignatureResult {
    bool passed = false;           // signature and body hash both verified (DKIM_SIG_CHECK)
    bool body_hash_matched = false;
    std::string domain;
    std::string selector;
    int sig_error = 0;             // DKIM_SIGERROR_*; 0 = none
    std::string error;             // its text, e.g. "signature verification failed"
};

class LibOpenDkim {
public:
    /// Key queries go to `resolver`, each answered by `dns_timeout`. `sign_time` is the t= of
    /// every signature made (fixed, so signed messages do not depend on the clock). Throws
    /// std::runtime_error when dkim_init() fails (start-up only).
    LibOpenDkim(dns::Resolver& resolver, std::chrono::milliseconds dns_timeout,
                std::uint64_t sign_time = 1700000000);
    ~LibOpenDkim();
    LibOpenDkim(const LibOpenDkim&) = delete;
    LibOpenDkim& operator=(const LibOpenDkim&) = delete;

    /// The DKIM-Signature field for `message` (RFC 5322 text, CRLF or LF), "DKIM-Signature: ..."
    /// folded with CRLF and ending in CRLF, ready to prepend.
    Result<std::string> sign(std::string_view message, const OdkSignRequest& request) const;

    /// One result per DKIM-Signature field libopendkim found (empty: none). Fails only when
    /// libopendkim could not process the message at all.
    Result<std::vector<OdkSignatureResult>> verify(std::string_view message) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mw::test
