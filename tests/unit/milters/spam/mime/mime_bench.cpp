// mime_bench DIR...: parses every *.eml under the given directories N times and prints the
// rate; "-v" lists messages without URIs. Not a test: a measuring tool for the report.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "milters/spam/mime/message_parser.hpp"

int main(int argc, char** argv) {
    bool verbose = false;
    std::vector<std::pair<std::string, std::string>> msgs;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "-v") {
            verbose = true;
            continue;
        }
        for (const auto& e : std::filesystem::directory_iterator(argv[i])) {
            std::ifstream in(e.path(), std::ios::binary);
            std::ostringstream ss;
            ss << in.rdbuf();
            msgs.emplace_back(e.path().string(), ss.str());
        }
    }
    if (verbose) {  // the slowest messages, one parse each
        std::vector<std::pair<double, std::string>> times;
        for (const auto& [path, raw] : msgs) {
            const auto t = std::chrono::steady_clock::now();
            (void)mw::spam::parse_message(raw);
            times.emplace_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count(), path);
        }
        std::sort(times.rbegin(), times.rend());
        for (std::size_t i = 0; i < 10 && i < times.size(); ++i)
            std::printf("%8.0f us %s\n", times[i].first * 1e6, times[i].second.c_str());
    }
    constexpr int kRounds = 3;
    std::size_t bytes = 0, no_uri = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < kRounds; ++r) {
        for (const auto& [path, raw] : msgs) {
            const auto m = mw::spam::parse_message(raw);
            bytes += raw.size();
            if (r == 0 && m.uris.empty()) {
                ++no_uri;
                if (verbose) std::printf("no uri: %s\n", path.c_str());
            }
        }
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double n = static_cast<double>(msgs.size()) * kRounds;
    std::printf("%zu messages x %d: %.0f msgs/s, %.1f us/msg, %.1f MB/s, %zu without uri\n",
                msgs.size(), kRounds, n / s, s * 1e6 / n, static_cast<double>(bytes) / s / 1e6, no_uri);
    return 0;
}
