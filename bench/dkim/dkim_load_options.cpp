#include "bench/dkim/dkim_load_options.hpp"

#include "bench/flag_number.hpp"

#include <limits>
#include <string_view>

namespace mw::bench {

namespace {

Result<bool> set_number(DkimLoadOptions& o, std::string_view a, std::string_view v) {
    using O = DkimLoadOptions;
    auto take = [&](auto result, auto& field) -> Result<bool> {
        if (!result) return fail(result.error());
        field = *result;
        return true;
    };
    if (a == "--pid") return take(flag_number<pid_t>(a, v, 1, std::numeric_limits<pid_t>::max()), o.server_pid);
    if (a == "--size")
        return take(flag_number<std::size_t>(a, v, MessageShape::kMinSize, MessageShape::kMaxSize), o.shape.size);
    if (a == "--conns") return take(flag_number<unsigned>(a, v, 1, O::kMaxConns), o.conns);
    if (a == "--messages") return take(flag_number<std::uint64_t>(a, v, 0, O::kMaxMessages), o.messages);
    if (a == "--seconds") return take(flag_number<double>(a, v, 0.1, O::kMaxSeconds), o.seconds);
    if (a == "--warmup") return take(flag_number<unsigned>(a, v, 0, O::kMaxWarmup), o.warmup);
    if (a == "--per-session") return take(flag_number<unsigned>(a, v, 1, O::kMaxPerSession), o.per_session);
    if (a == "--expect") return take(flag_number<unsigned>(a, v, 0, O::kMaxExpect), o.expect);
    return fail(ErrorCode::Invalid, "unknown option " + std::string(a));
}

Result<bool> set_option(DkimLoadOptions& o, std::string_view a, std::string_view v) {
    if (a == "--name") o.name = v;
    else if (a == "--unix") o.unix_path = v;
    else if (a == "--from") o.shape.from = v;
    else if (a == "--presign") o.presign_path = v;
    else if (a == "--mode" && v == "sign") o.mode = LoadMode::Sign;
    else if (a == "--mode" && v == "verify") o.mode = LoadMode::Verify;
    else if (a == "--mode") return fail(ErrorCode::Invalid, "--mode wants sign or verify");
    else return set_number(o, a, v);
    return true;
}

}  // namespace

Result<DkimLoadOptions> parse_dkim_load_options(int argc, char** argv) {
    DkimLoadOptions o;
    for (int i = 1; i < argc; i += 2) {
        const std::string_view a = argv[i];
        if (i + 1 >= argc) return fail(ErrorCode::Invalid, std::string(a) + " needs a value");
        if (auto s = set_option(o, a, argv[i + 1]); !s) return fail(s.error());
    }
    if (o.unix_path.empty()) return fail(ErrorCode::Invalid, "--unix PATH is required");
    if (o.shape.from.find('@') == std::string::npos) return fail(ErrorCode::Invalid, "--from wants local@domain");
    if (!o.presign_path.empty() && o.mode != LoadMode::Verify)
        return fail(ErrorCode::Invalid, "--presign goes with --mode verify");
    return o;
}

}  // namespace mw::bench
