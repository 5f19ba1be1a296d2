#include "bench/load_options.hpp"

#include <charconv>
#include <string_view>

namespace mw::bench {

namespace {

template <typename T>
Result<T> number(std::string_view flag, std::string_view text, T lo, T hi) {
    T v{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
        return fail(ErrorCode::Invalid, std::string(flag) + ": bad value '" + std::string(text) + "'");
    return v;
}

// Applies one "--flag value" pair.
Result<bool> apply(LoadOptions& o, std::string_view flag, std::string_view v) {
    auto set = [](auto& field, auto parsed) -> Result<bool> {
        if (!parsed) return fail(parsed.error());
        field = *parsed;
        return true;
    };
    if (flag == "--name") return o.name = v, true;
    if (flag == "--unix") return o.unix_path = v, true;
    if (flag == "--child-stderr") return o.child_stderr = v, true;
    if (flag == "--pid") return set(o.server_pid, number<pid_t>(flag, v, 1, 1 << 30));
    if (flag == "--dns-pid") return set(o.dns_pid, number<pid_t>(flag, v, 1, 1 << 30));
    if (flag == "--conns") return set(o.conns, number<unsigned>(flag, v, 1, LoadOptions::kMaxConns));
    if (flag == "--requests") return set(o.requests, number<std::uint64_t>(flag, v, 0, 1ull << 40));
    if (flag == "--seconds") return set(o.seconds, number<double>(flag, v, 0.1, LoadOptions::kMaxSeconds));
    if (flag == "--seed") return set(o.seed, number<std::uint64_t>(flag, v, 0, ~0ull));
    if (flag == "--warmup") return set(o.warmup, number<unsigned>(flag, v, 0, 100000));
    if (flag == "--first-answer")
        return set(o.first_answer, number<unsigned>(flag, v, 1, LoadOptions::kMaxSpawns));
    if (flag == "--mix") {
        if (v != "warm" && v != "cold") return fail(ErrorCode::Invalid, "--mix: warm or cold");
        o.mix = v == "warm" ? CacheMode::Warm : CacheMode::Cold;
        return true;
    }
    return fail(ErrorCode::Invalid, "unknown flag " + std::string(flag));
}

}  // namespace

Result<LoadOptions> parse_load_options(int argc, char** argv) {
    LoadOptions o;
    int i = 1;
    for (; i < argc; i += 2) {
        const std::string_view flag = argv[i];
        if (flag == "--spawn") break;
        if (i + 1 >= argc) return fail(ErrorCode::Invalid, std::string(flag) + " needs a value");
        if (auto ok = apply(o, flag, argv[i + 1]); !ok) return fail(ok.error());
    }
    for (++i; i < argc; ++i) o.spawn_argv.emplace_back(argv[i]);
    if (o.spawn_argv.empty() == o.unix_path.empty())
        return fail(ErrorCode::Invalid, "give exactly one of --unix PATH or --spawn PROGRAM ARGS...");
    if (!o.unix_path.empty() && o.server_pid < 0)
        return fail(ErrorCode::Invalid, "--unix needs --pid (the server whose CPU is measured)");
    if (o.first_answer > 0 && o.spawn_argv.empty())
        return fail(ErrorCode::Invalid, "--first-answer needs --spawn");
    return o;
}

}  // namespace mw::bench
