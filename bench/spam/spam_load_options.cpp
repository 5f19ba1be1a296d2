#include "bench/spam/spam_load_options.hpp"

#include "bench/flag_number.hpp"

#include <limits>
#include <string_view>

namespace mw::bench {

namespace {

Result<bool> set_number(SpamLoadOptions& o, std::string_view a, std::string_view v) {
    using O = SpamLoadOptions;
    auto take = [](auto result, auto& field) -> Result<bool> {
        if (!result) return fail(result.error());
        field = *result;
        return true;
    };
    if (a == "--conns") return take(flag_number<unsigned>(a, v, 1, O::kMaxConns), o.conns);
    if (a == "--warmup") return take(flag_number<unsigned>(a, v, 0, O::kMaxWarmup), o.warmup);
    if (a == "--limit") return take(flag_number<unsigned>(a, v, 0, O::kMaxLimit), o.limit);
    if (a == "--pid") {
        auto pid = flag_number<pid_t>(a, v, 1, std::numeric_limits<pid_t>::max());
        if (!pid) return fail(pid.error());
        o.server_pids.push_back(*pid);
        return true;
    }
    return fail(ErrorCode::Invalid, "unknown option " + std::string(a));
}

Result<bool> set_option(SpamLoadOptions& o, std::string_view a, std::string_view v) {
    if (a == "--name") o.name = v;
    else if (a == "--unix") o.unix_path = v;
    else if (a == "--corpus") o.corpus_dir = v;
    else if (a == "--verdicts") o.verdicts_path = v;
    else return set_number(o, a, v);
    return true;
}

}  // namespace

Result<SpamLoadOptions> parse_spam_load_options(int argc, char** argv) {
    SpamLoadOptions o;
    for (int i = 1; i < argc; i += 2) {
        const std::string_view a = argv[i];
        if (i + 1 >= argc) return fail(ErrorCode::Invalid, std::string(a) + " needs a value");
        if (auto s = set_option(o, a, argv[i + 1]); !s) return fail(s.error());
    }
    if (o.unix_path.empty()) return fail(ErrorCode::Invalid, "--unix PATH is required");
    if (o.corpus_dir.empty()) return fail(ErrorCode::Invalid, "--corpus DIR is required");
    return o;
}

}  // namespace mw::bench
