// LibmilterDriver: runs one milter (MilterSpec + SessionFactory) on Sendmail's libmilter. The
// pure API here hides libmilter; libmilter_driver.cpp is the only file including its headers.
//
// What it does about libmilter's habits (measured with Debian's libmilter 8.17):
// - Callbacks run on a worker pool, one connection's callbacks possibly on different threads:
//   each connection's Session lives behind smfi_setpriv, never in thread-local state.
// - Every callback runs in try/catch: an exception answers the spec's failure action (tempfail or
//   accept) and the connection keeps answering it; nothing crosses into C.
// - Option negotiation asks for exactly the spec's steps, no-reply steps, macros
//   (smfi_setsymlist) and actions. A verdict given at a no-reply step is held and delivered at
//   the next step that replies.
// - smfi_opensocket() would silently take over the socket of a running instance: open() first
//   refuses a unix socket a live process listens on, then removes a stale file, then applies
//   socket_mode / socket_owner.
// - libmilter's own signal thread stops the milter on SIGTERM, SIGHUP (!) and SIGINT, and its
//   pool then stops serving sessions in progress. serve() therefore runs the signal loop on the
//   main thread, which Linux prefers for process-directed signals: SIGTERM/SIGHUP/SIGINT start a
//   drain (new messages get 451 4.3.2, messages in flight finish, bounded by a deadline), then
//   smfi_stop(). SIGUSR1 calls the daemon's reload. A signal arriving while the loop is busy may
//   still reach libmilter's thread, which then stops at once (documented in the man pages).
// - One milter per process (libmilter is global state): a second driver is refused.
// Thread-safety: open()/serve() from main(); counters and begin_drain() from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "common/base/deadline.hpp"
#include "common/base/result.hpp"
#include "common/daemon/listen_spec.hpp"
#include "common/milter/milter_spec.hpp"
#include "common/milter/session.hpp"

namespace mw::milter {

struct DriverOptions {
    daemon::ListenSpec listen;
    unsigned socket_mode = 0660;
    std::string socket_owner;                     // "user:group", applied when root
    int backlog = 128;
    std::chrono::seconds io_timeout{0};           // libmilter's read/write timeout; 0 = its default
    std::chrono::milliseconds drain_timeout{10'000};
};

class LibmilterDriver {
public:
    /// Throws std::logic_error if another driver exists in this process.
    LibmilterDriver(MilterSpec spec, std::shared_ptr<SessionFactory> factory);
    ~LibmilterDriver();
    LibmilterDriver(const LibmilterDriver&) = delete;
    LibmilterDriver& operator=(const LibmilterDriver&) = delete;

    /// Registers the milter and opens its socket (start-up; call before dropping privileges).
    Result<bool> open(const DriverOptions& opts);

    /// Serves until SIGTERM/SIGHUP/SIGINT (then drains) or libmilter stops on its own.
    /// Call from main() after daemon::block_daemon_signals(). Returns false if libmilter failed.
    Result<bool> serve(std::function<void()> on_reload);

    /// Stops accepting new messages and waits for those in flight, at most until `deadline`;
    /// then stops libmilter. Returns the number of messages still in flight (0 = clean).
    std::size_t drain_and_stop(Deadline deadline);

    std::size_t connections() const;
    std::size_t messages_in_flight() const;

private:
    DriverOptions opts_;
};

}  // namespace mw::milter
