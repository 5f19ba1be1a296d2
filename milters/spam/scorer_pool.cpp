#include "milters/spam/scorer_pool.hpp"

#include <utility>

namespace mw::spam {

ScorerPool::ScorerPool(const CompiledRules& rules, std::size_t max_idle) : rules_(rules), max_idle_(max_idle) {}

ScorerPool::Lease ScorerPool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto scorer = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(scorer));
        }
    }
    // Made outside the lock: the scratch is allocated on first use, not here, but a scorer is
    // still a few allocations nobody else should wait for.
    return Lease(*this, std::make_unique<MessageScorer>(rules_));
}

std::size_t ScorerPool::idle() const {
    std::lock_guard lock(mutex_);
    return idle_.size();
}

void ScorerPool::give_back(std::unique_ptr<MessageScorer> scorer) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < max_idle_) idle_.push_back(std::move(scorer));
}

ScorerPool::Lease::~Lease() {
    if (scorer_) pool_->give_back(std::move(scorer_));
}

}  // namespace mw::spam
