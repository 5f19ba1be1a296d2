// dkim_verify_compare: CPU time per verified message, OpenDKIM's libopendkim (one DKIM_LIB, key
// queries answered from memory through the common resolver hooks) against our MessageVerifier
// (KeyLookup from the same in-memory resolver), RSA-2048 and Ed25519, 3 KB and 100 KB messages,
// relaxed/relaxed. Single thread, then 4 threads sharing the one DKIM_LIB (and 4 threads on
// ours), a quarter of those messages tampered: every verdict is checked, a wrong one is counted
// and makes the exit status 1. CPU time is CLOCK_PROCESS_CPUTIME_ID (all threads).
//
//   dkim_verify_compare [ITERATIONS]     the table; ITERATIONS per 3 KB case (default 2000),
//                                        a tenth of it (at least 20) per 100 KB case
//   dkim_verify_compare leak-verify N    only N libopendkim verifications per case (valgrind)
//   dkim_verify_compare leak-sign N      only N libopendkim signings per key (valgrind)
#include <time.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "tests/interop/interop_corpus.hpp"
#include "tests/support/fake_resolver.hpp"
#include "tests/support/libopendkim_dkim.hpp"

using namespace mw;
using namespace mw::test;

namespace {

constexpr int kDefaultIterations = 2000;
constexpr int kThreads = 4;
constexpr int kTamperEvery = 4;  // threaded runs: every 4th message is tampered
constexpr dkim::Canonicalization kCanon{dkim::Canon::Relaxed, dkim::Canon::Relaxed};

using Verify = std::function<bool(const std::string&)>;

struct Case {
    std::string alg;
    std::string size;
    int iterations;
    std::string good;
    std::string bad;
};

struct Outcome {
    double cpu_us = 0;
    double wall_us = 0;
    int wrong = 0;
};

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double wall_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

int verify_loop(const Verify& verify, const Case& c, bool mix_tampered) {
    int wrong = 0;
    for (int i = 0; i < c.iterations; ++i) {
        const bool bad = mix_tampered && i % kTamperEvery == kTamperEvery - 1;
        if (verify(bad ? c.bad : c.good) == bad) ++wrong;
    }
    return wrong;
}

Outcome measure(const Verify& verify, const Case& c, int threads) {
    std::atomic<int> wrong{0};
    const double cpu0 = cpu_seconds(), wall0 = wall_seconds();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] { wrong += verify_loop(verify, c, threads > 1); });
    for (auto& th : pool) th.join();
    const double n = static_cast<double>(c.iterations) * threads;
    return {(cpu_seconds() - cpu0) * 1e6 / n, (wall_seconds() - wall0) * 1e6 / n, wrong.load()};
}

std::vector<Case> make_cases(int iterations) {
    std::vector<Case> cases;
    for (const auto& key : interop_keys())
        for (const auto& [label, bytes] : {std::pair{"3KB", 3 * 1024}, std::pair{"100KB", 100 * 1024}}) {
            const auto msg = ours_sign(generated_message(static_cast<std::size_t>(bytes)), key, kCanon);
            const int n = bytes > 3 * 1024 ? std::max(iterations / 10, 20) : iterations;
            cases.push_back({key.type == dkim::KeyType::Rsa ? "rsa-2048" : "ed25519", label, n, msg, tampered(msg)});
        }
    return cases;
}

void install_keys(FakeResolver& dns) {
    for (const auto& k : interop_keys()) dns.add_txt(k.selector + "._domainkey." + kInteropDomain, k.record);
}

int print_table(int iterations) {
    FakeResolver dns;
    install_keys(dns);
    const LibOpenDkim odk(dns, std::chrono::seconds(5));
    const Verify odk_verify = [&](const std::string& m) {
        const auto r = odk.verify(m);
        return r && r->size() == 1 && r->front().passed;
    };
    const auto lookup = resolver_key_lookup(dns);
    const Verify ours = [&](const std::string& m) {
        const auto r = ours_verify(m, lookup);
        return r.size() == 1 && r.front().status == dkim::VerifyStatus::Pass;
    };
    std::printf("%-12s %-9s %-6s %7s %6s %12s %12s %6s\n", "verifier", "alg", "size", "threads",
                "iters", "cpu_us/msg", "wall_us/msg", "wrong");
    int wrong = 0;
    for (const auto& c : make_cases(iterations))
        for (const int threads : {1, kThreads})
            for (const auto& [name, fn] : {std::pair{"libopendkim", &odk_verify}, std::pair{"mailwarden", &ours}}) {
                const auto o = measure(*fn, c, threads);
                wrong += o.wrong;
                std::printf("%-12s %-9s %-6s %7d %6d %12.1f %12.1f %6d\n", name, c.alg.c_str(), c.size.c_str(),
                            threads, c.iterations * threads, o.cpu_us, o.wall_us, o.wrong);
            }
    return wrong == 0 ? 0 : 1;
}

int leak_verify(int n) {
    FakeResolver dns;
    install_keys(dns);
    const LibOpenDkim odk(dns, std::chrono::seconds(5));
    int wrong = 0;
    for (auto c : make_cases(n)) {
        c.iterations = n;
        wrong += verify_loop([&](const std::string& m) {
            const auto r = odk.verify(m);
            return r && r->size() == 1 && r->front().passed;
        }, c, false);
    }
    std::printf("%d libopendkim verifications per case, %d wrong\n", n, wrong);
    return wrong == 0 ? 0 : 1;
}

int leak_sign(int n) {
    FakeResolver dns;
    const LibOpenDkim odk(dns, std::chrono::seconds(5));
    const auto msg = generated_message(3 * 1024);
    int failed = 0;
    for (const auto& key : interop_keys())
        for (int i = 0; i < n; ++i)
            if (!odk.sign(msg, {kInteropDomain, key.selector, key.pem, key.type, kCanon})) ++failed;
    std::printf("%d libopendkim signings per key, %d failed\n", n, failed);
    return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "leak-verify" && argc == 3) return leak_verify(std::atoi(argv[2]));
    if (mode == "leak-sign" && argc == 3) return leak_sign(std::atoi(argv[2]));
    const int iterations = argc > 1 ? std::atoi(argv[1]) : kDefaultIterations;
    if (argc > 2 || iterations <= 0) {
        std::fprintf(stderr, "usage: dkim_verify_compare [ITERATIONS] | leak-verify N | leak-sign N\n");
        return 2;
    }
    return print_table(iterations);
}
