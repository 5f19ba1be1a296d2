// ScorerPool: the MessageScorers of one rules snapshot, lent to sessions one message at a time.
// A scorer's scratch space (Hyperscan scratch for every pattern database, PCRE2 match data and
// JIT stack) costs about 1.4 ms of CPU to set up, as much as scoring a typical message, and
// Postfix opens a milter connection per SMTP session: made per connection, it was a third of the
// milter's CPU per message. Lent per message, the scorers alive are bounded by the messages
// being scored at once (libmilter's busy workers), not by the open connections.
// Bound: at most max_idle scorers are kept idle; one returned beyond that is freed.
// Thread-safety: acquire() and the return of a lease may run on any threads at once.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "common/base/limits.hpp"
#include "milters/spam/message_scorer.hpp"
#include "milters/spam/scan/compiled_rules.hpp"

namespace mw::spam {

class ScorerPool {
public:
    /// `rules` must outlive the pool and every lease.
    explicit ScorerPool(const CompiledRules& rules, std::size_t max_idle = limits::kMaxIdleSpamScorers);

    /// A scorer for one message; it goes back to the pool when the lease ends.
    class Lease {
    public:
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        MessageScorer& operator*() const { return *scorer_; }
        MessageScorer* operator->() const { return scorer_.get(); }

    private:
        friend class ScorerPool;
        Lease(ScorerPool& pool, std::unique_ptr<MessageScorer> scorer) : pool_(&pool), scorer_(std::move(scorer)) {}
        ScorerPool* pool_;
        std::unique_ptr<MessageScorer> scorer_;
    };

    Lease acquire();
    std::size_t idle() const;

private:
    void give_back(std::unique_ptr<MessageScorer> scorer);

    const CompiledRules& rules_;
    const std::size_t max_idle_;
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<MessageScorer>> idle_;
};

}  // namespace mw::spam
