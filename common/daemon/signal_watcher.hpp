// Turns signals into calls on one dedicated thread, so that handlers may do real work (reload a
// config, start a drain) without async-signal-safety limits. block_daemon_signals() must run in
// main() before any other thread starts, so that every thread inherits the mask.
// SIGUSR1 -> on_reload; SIGTERM, SIGINT, SIGHUP -> on_stop (as libmilter treats SIGHUP).
// SIGPIPE is ignored (a peer that went away is an ordinary write error). The destructor wakes
// the thread with SIGUSR2 (blocked in that thread only), so it returns at once.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace mw::daemon {

void block_daemon_signals();

class SignalWatcher {
public:
    SignalWatcher(std::function<void()> on_reload, std::function<void()> on_stop);
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

private:
    void run();

    std::function<void()> on_reload_;
    std::function<void()> on_stop_;
    std::atomic<bool> quit_{false};
    std::thread thread_;
};

}  // namespace mw::daemon
