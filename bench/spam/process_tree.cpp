#include "bench/spam/process_tree.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>

namespace mw::bench {

namespace {

struct StatLine {
    pid_t ppid = 0;
    unsigned long long ticks = 0;   // utime + stime + cutime + cstime
    long rss_pages = 0;
};

std::string proc_file(pid_t pid, const char* name) {
    return "/proc/" + std::to_string(pid) + "/" + name;
}

// /proc/PID/stat: comm (field 2) may hold spaces and ')': fields are counted after its last ')'.
std::optional<StatLine> read_stat(pid_t pid) {
    std::ifstream in(proc_file(pid, "stat"));
    std::string line;
    if (!std::getline(in, line)) return std::nullopt;
    const auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 > line.size()) return std::nullopt;
    std::istringstream rest(line.substr(close + 2));
    StatLine s;
    std::string field;
    for (int i = 3; i <= 24 && rest >> field; ++i) {
        if (i == 4) s.ppid = static_cast<pid_t>(std::stol(field));
        if (i >= 14 && i <= 17) s.ticks += std::stoull(field);
        if (i == 24) s.rss_pages = std::stol(field);
    }
    if (!rest) return std::nullopt;
    return s;
}

std::size_t read_pss_bytes(pid_t pid) {
    std::ifstream in(proc_file(pid, "smaps_rollup"));
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("Pss:", 0) != 0) continue;
        std::istringstream fields(line.substr(4));
        std::size_t kib = 0;
        fields >> kib;
        return kib * 1024;
    }
    return 0;
}

std::map<pid_t, pid_t> parent_links() {
    std::map<pid_t, pid_t> parent;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        pid_t pid = 0;
        const auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (err != std::errc() || end != name.data() + name.size()) continue;
        if (const auto s = read_stat(pid)) parent[pid] = s->ppid;
    }
    return parent;
}

}  // namespace

std::vector<pid_t> ProcessTree::members() const {
    const auto parent = parent_links();
    std::vector<pid_t> found;
    for (const pid_t root : roots_)
        if (parent.count(root)) found.push_back(root);
    // Breadth-first over the parent links: found grows while it is walked.
    for (std::size_t i = 0; i < found.size(); ++i)
        for (const auto& [pid, ppid] : parent)
            if (ppid == found[i] && std::find(found.begin(), found.end(), pid) == found.end()) found.push_back(pid);
    return found;
}

TreeUsage ProcessTree::usage(bool with_pss) const {
    const long tick = ::sysconf(_SC_CLK_TCK);
    const long page = ::sysconf(_SC_PAGESIZE);
    TreeUsage u;
    unsigned long long ticks = 0;
    for (const pid_t pid : members()) {
        const auto s = read_stat(pid);
        if (!s) continue;
        ++u.processes;
        ticks += s->ticks;
        u.rss_bytes += static_cast<std::size_t>(s->rss_pages) * static_cast<std::size_t>(page > 0 ? page : 4096);
        if (with_pss) u.pss_bytes += read_pss_bytes(pid);
    }
    u.cpu_seconds = static_cast<double>(ticks) / static_cast<double>(tick > 0 ? tick : 100);
    return u;
}

}  // namespace mw::bench
