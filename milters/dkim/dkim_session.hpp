// DkimSession: the milter::Session of mailwarden-dkim, one per MTA connection.
// Per message it decides (at end of headers) between:
// - signing, when the message is outbound: {daemon_name} equals originating_daemon_name, or the
//   client authenticated ({auth_type} / {auth_authen}), or the client is in internal_hosts; the
//   keys are those the signing table (or the one-domain shortcut) gives for the From: address;
// - verifying every DKIM-Signature otherwise (RFC 6376 §6): keys are fetched through the shared
//   dns::Resolver within verify_time (a timeout is temperror, the message goes on), and ONE
//   Authentication-Results field (RFC 8601) with a dkim= result per signature is prepended.
// Either way, incoming Authentication-Results fields claiming our authserv-id are removed
// (RFC 8601 §5). The body is streamed into the signer/verifier (bounded memory); the header
// block is bounded by kMaxDkimMessageHeaders and kMaxDkimHeaderBytes (beyond: no DKIM, logged).
// Inbound results may then reject, tempfail, hold or discard per the on_* actions (verify_actions.hpp),
// which dry_run turns into log fields. One decision log line per message (log::DecisionLine), plus OpenDKIM's "DKIM-Signature field
// added (s=, d=)" line when signing. Thread-compatible: the driver calls it from one thread at a
// time; the snapshot it holds is immutable and shared.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/base/result.hpp"
#include "common/dns/answer_cache.hpp"
#include "common/dns/resolver.hpp"
#include "common/log/decision_line.hpp"
#include "common/milter/milter_spec.hpp"
#include "common/milter/session.hpp"
#include "milters/dkim/dkim_settings.hpp"
#include "milters/dkim/dkim_signer.hpp"
#include "milters/dkim/dkim_verifier.hpp"
#include "milters/dkim/message_header.hpp"

namespace mw::dkim {

/// What every session of one configuration generation shares.
struct DkimSnapshot {
    DkimSettings settings;
    std::shared_ptr<dns::Resolver> resolver;
    /// Key records in front of the resolver (nullptr: none); shared by the sessions.
    std::shared_ptr<dns::AnswerCache> key_cache;
    /// Seconds since the epoch (t=, x=); tests fix it.
    std::function<std::uint64_t()> now;
};

/// The protocol steps, macros and actions mailwarden-dkim negotiates.
milter::MilterSpec dkim_milter_spec(milter::FailureAction on_failure);

class DkimSession : public milter::Session {
public:
    explicit DkimSession(std::shared_ptr<const DkimSnapshot> snapshot);
    ~DkimSession() override;

    milter::Reply on_connect(const milter::ConnectInfo& client, const milter::Macros& macros) override;
    milter::Reply on_mail(const std::vector<std::string>& args, const milter::Macros& macros) override;
    milter::Reply on_header(std::string_view name, std::string_view value) override;
    milter::Reply on_eoh(const milter::Macros& macros) override;
    milter::Reply on_body(std::string_view chunk) override;
    milter::Reply on_eom(milter::MessageEdits& edits, const milter::Macros& macros) override;
    void on_abort() override;

private:
    enum class Mode { None, Sign, Verify };

    void reset();
    /// Why the message counts as outbound, or nullopt when it is inbound.
    std::optional<std::string> outbound_reason(const milter::Macros& macros) const;
    void start_signing(std::string_view queue_id);
    milter::Reply finish_signing(milter::MessageEdits& edits, std::string_view queue_id);
    milter::Reply finish_verifying(milter::MessageEdits& edits, std::string_view queue_id);
    milter::Reply act_on(const std::vector<VerifyResult>& results, log::DecisionLine& line) const;
    /// The single From: address ("local@domain"), or why there is none.
    Result<std::string> author() const;
    KeyLookup fetch_keys() const;
    void remove_forged_results(milter::MessageEdits& edits) const;
    milter::Reply failure(std::string_view queue_id, std::string_view what);

    std::shared_ptr<const DkimSnapshot> snap_;
    bool internal_client_ = false;
    std::vector<MessageHeader> headers_;
    std::size_t header_bytes_ = 0;
    bool headers_overflow_ = false;
    std::vector<int> forged_results_;   // 1-based indexes among Authentication-Results fields
    int results_seen_ = 0;
    Mode mode_ = Mode::None;
    std::string author_domain_;         // Mode::Verify: the From: domain, empty without one
    std::string skip_reason_;           // Mode::None: why (logged)
    std::vector<SigningKey> keys_;
    std::unique_ptr<MessageSigner> signer_;
    std::unique_ptr<MessageVerifier> verifier_;
};

}  // namespace mw::dkim
