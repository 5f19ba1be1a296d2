// SnapshotSessionFactory<Snapshot>: a SessionFactory holding the daemon's current configuration
// snapshot (shared_ptr<const Snapshot>). Each new connection's Session is built from the snapshot
// current at connect time and keeps it for its whole life; swap() (the daemon's SIGUSR1 reload)
// changes what NEW connections get, never a connection in progress. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <utility>

#include "common/milter/session.hpp"

namespace mw::milter {

template <typename Snapshot>
class SnapshotSessionFactory : public SessionFactory {
public:
    using Make = std::function<std::unique_ptr<Session>(std::shared_ptr<const Snapshot>)>;

    SnapshotSessionFactory(std::shared_ptr<const Snapshot> initial, Make make)
        : snapshot_(std::move(initial)), make_(std::move(make)) {}

    std::unique_ptr<Session> create() override { return make_(current()); }

    /// Installs a new snapshot for connections that start from now on.
    void swap(std::shared_ptr<const Snapshot> next) {
        std::lock_guard lock(mu_);
        snapshot_ = std::move(next);
    }

    std::shared_ptr<const Snapshot> current() const {
        std::lock_guard lock(mu_);
        return snapshot_;
    }

private:
    mutable std::mutex mu_;
    std::shared_ptr<const Snapshot> snapshot_;
    Make make_;
};

}  // namespace mw::milter
