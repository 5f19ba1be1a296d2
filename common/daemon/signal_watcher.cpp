#include "common/daemon/signal_watcher.hpp"

#include <pthread.h>
#include <signal.h>

#include <ctime>

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

}  // namespace

void block_daemon_signals() {
    const sigset_t set = daemon_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

SignalWatcher::SignalWatcher(std::function<void()> on_reload, std::function<void()> on_stop)
    : on_reload_(std::move(on_reload)), on_stop_(std::move(on_stop)), thread_([this] { run(); }) {}

SignalWatcher::~SignalWatcher() {
    quit_ = true;
    thread_.join();
}

void SignalWatcher::run() {
    const sigset_t set = daemon_signals();
    // A short timed wait lets the destructor stop the thread without sending it a signal.
    const timespec tick{0, 200'000'000};
    while (!quit_) {
        const int sig = sigtimedwait(&set, nullptr, &tick);
        if (sig == SIGUSR1) {
            on_reload_();
        } else if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
            on_stop_();
        }
    }
}

}  // namespace mw::daemon
