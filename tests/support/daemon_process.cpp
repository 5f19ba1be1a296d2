#include "tests/support/daemon_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/daemon/listener.hpp"

namespace mw::test {

namespace {

std::vector<char*> make_argv(const std::string& binary, const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    return argv;
}

[[noreturn]] void exec_child(const std::vector<char*>& argv, int out_fd, int stdio_fd) {
    if (stdio_fd >= 0) {
        dup2(stdio_fd, 0);
        dup2(stdio_fd, 1);
    } else {
        const int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(out_fd, 1);
    }
    dup2(out_fd, 2);
    execv(argv[0], argv.data());
    _exit(127);
}

}  // namespace

DaemonProcess::DaemonProcess(Options opts) : opts_(std::move(opts)) {
    if (opts_.log_file.empty()) opts_.log_file = "/dev/null";
    const int out = open(opts_.log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) throw std::runtime_error("cannot create " + opts_.log_file);
    int pair[2] = {-1, -1};
    if (opts_.stdio && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        throw std::runtime_error("socketpair failed");
    const auto argv = make_argv(opts_.binary, opts_.args);
    pid_ = fork();
    if (pid_ == 0) exec_child(argv, out, opts_.stdio ? pair[1] : -1);
    close(out);
    if (opts_.stdio) {
        close(pair[1]);
        stdio_.reset(pair[0]);
    }
    if (opts_.wait_for_socket.empty()) return;
    const auto until = std::chrono::steady_clock::now() + opts_.start_timeout;
    while (!daemon::unix_socket_is_live(opts_.wait_for_socket)) {
        if (!running() || std::chrono::steady_clock::now() > until)
            throw std::runtime_error("daemon did not start; its log:\n" + log());
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

DaemonProcess::~DaemonProcess() {
    if (!running()) return;
    send_signal(SIGTERM);
    if (wait_exit(std::chrono::seconds(15)) == -1) {
        send_signal(SIGKILL);
        wait_exit(std::chrono::seconds(5));
    }
}

bool DaemonProcess::running() {
    if (pid_ <= 0 || status_ != -1) return false;
    int st = 0;
    if (waitpid(pid_, &st, WNOHANG) == pid_) {
        status_ = st;
        return false;
    }
    return true;
}

void DaemonProcess::send_signal(int sig) const {
    if (pid_ > 0 && status_ == -1) kill(pid_, sig);
}

int DaemonProcess::wait_exit(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() > until) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return status_;
}

std::string DaemonProcess::log() const {
    std::ifstream in(opts_.log_file);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool DaemonProcess::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (log().find(text) == std::string::npos) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

CommandResult run_command(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
    char path[] = "/tmp/mwcmdXXXXXX";
    const int fd = mkstemp(path);
    close(fd);
    std::vector<std::string> rest(args.begin() + 1, args.end());
    CommandResult r;
    {
        DaemonProcess p({args.front(), rest, "", false, path, timeout});
        const int st = p.wait_exit(timeout);
        r.exit_code = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
        r.output = p.log();
    }
    unlink(path);
    return r;
}

}  // namespace mw::test
