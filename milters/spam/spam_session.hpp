// SpamSession: the milter::Session of mailwarden-spam, one per MTA connection. It records the
// envelope (client, HELO, sender, recipients, SASL login), streams the header fields and body
// chunks into one message buffer (up to max_message_size; past it the rest is skipped and the
// message passes unscanned with an X-Spam-Checker-Status header saying why), and at end of
// message parses, scans and decides:
//   - incoming X-Spam-* fields are always removed (a sender must not pre-label its own mail);
//   - X-Spam-Flag/-Score/-Level/-Status (and -Report) are added; spam gets the subject tag;
//   - score >= reject_score: 550 5.7.1; >= quarantine_score: Postfix's hold queue;
//     authenticated/internal clients per their policy (skip, score only, scan); dry_run logs the
//     action and refuses nothing.
// One decision log line per message:  QUEUEID: spam=yes score=7.3 required=5.0 tests=... action=...
// Thread-compatible (the driver calls it from one thread at a time).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/dns/resolver.hpp"
#include "common/milter/milter_spec.hpp"
#include "common/milter/session.hpp"
#include "milters/spam/scan/compiled_rules.hpp"
#include "milters/spam/scan/scan_input.hpp"
#include "milters/spam/message_scorer.hpp"
#include "milters/spam/scan/spam_scanner.hpp"
#include "milters/spam/scorer_pool.hpp"
#include "milters/spam/spam_settings.hpp"

namespace mw::spam {

struct SpamSnapshot {
    SpamSettings settings;
    std::shared_ptr<const CompiledRules> rules;
    std::unique_ptr<ScorerPool> scorers;       // over *rules; shared by the snapshot's sessions
    std::shared_ptr<dns::Resolver> resolver;   // the milter skeleton's; the scan asks no DNS
};

/// A snapshot of these settings and rules, with its scorer pool.
std::shared_ptr<SpamSnapshot> make_spam_snapshot(SpamSettings settings, std::shared_ptr<const CompiledRules> rules);

milter::MilterSpec spam_milter_spec(const SpamSettings& settings);

class SpamSession : public milter::Session {
public:
    explicit SpamSession(std::shared_ptr<const SpamSnapshot> snapshot);

    milter::Reply on_connect(const milter::ConnectInfo& client, const milter::Macros& macros) override;
    milter::Reply on_helo(std::string_view helo, const milter::Macros& macros) override;
    milter::Reply on_mail(const std::vector<std::string>& args, const milter::Macros& macros) override;
    milter::Reply on_rcpt(const std::vector<std::string>& args, const milter::Macros& macros) override;
    milter::Reply on_header(std::string_view name, std::string_view value) override;
    milter::Reply on_eoh(const milter::Macros& macros) override;
    milter::Reply on_body(std::string_view chunk) override;
    milter::Reply on_eom(milter::MessageEdits& edits, const milter::Macros& macros) override;
    void on_abort() override;

private:
    void reset_message();
    void append(std::string_view text);
    ClientPolicy policy() const;
    void strip_incoming(milter::MessageEdits& edits) const;
    milter::Reply unscanned(milter::MessageEdits& edits, const milter::Macros& macros, std::string_view why);

    std::shared_ptr<const SpamSnapshot> snap_;
    Envelope envelope_;
    bool internal_ = false;

    // The message so far.
    std::string message_;            // header block, blank line, body; LF line ends
    std::size_t size_ = 0;           // bytes the MTA sent, also past the bound
    bool in_body_ = false;
    std::vector<std::pair<std::string, int>> incoming_spam_fields_;   // name, 1-based occurrence
    std::vector<std::pair<std::string, int>> field_counts_;
    bool has_subject_ = false;
    std::string subject_;
};

}  // namespace mw::spam
