#include "common/daemon/signal_watcher.hpp"

#include <pthread.h>
#include <signal.h>


namespace mw::daemon {

namespace {

sigset_t daemon_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

// SIGUSR2 wakes the watcher thread from its wait when the SignalWatcher is destroyed.
constexpr int kWakeSignal = SIGUSR2;

sigset_t watched_signals() {
    sigset_t set = daemon_signals();
    sigaddset(&set, kWakeSignal);
    return set;
}

}  // namespace

void block_daemon_signals() {
    const sigset_t set = daemon_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

SignalWatcher::SignalWatcher(std::function<void()> on_reload, std::function<void()> on_stop)
    : on_reload_(std::move(on_reload)), on_stop_(std::move(on_stop)) {
    // The thread starts with every watched signal blocked (it inherits this thread's mask), so
    // the wake signal can never run its default action, even before run() waits for it.
    const sigset_t set = watched_signals();
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &set, &old);
    thread_ = std::thread([this] { run(); });
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

SignalWatcher::~SignalWatcher() {
    quit_ = true;
    // Wakes the wait at once (a stdio child exits right after EOF); if the thread is not
    // waiting yet, the signal stays pending and ends its first wait.
    pthread_kill(thread_.native_handle(), kWakeSignal);
    thread_.join();
}

void SignalWatcher::run() {
    const sigset_t set = watched_signals();
    while (!quit_) {
        const int sig = sigwaitinfo(&set, nullptr);
        if (quit_) break;
        if (sig == SIGUSR1) {
            on_reload_();
        } else if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
            on_stop_();
        }
    }
}

}  // namespace mw::daemon
