#include "bench/dnsbl/dnsbl_load_options.hpp"

#include <string_view>

namespace mw::bench {

namespace {

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(',', start), text.size());
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

Result<bool> apply(DnsblLoadOptions& o, std::string_view flag, const std::string& v) {
    try {
        if (flag == "--name") o.name = v;
        else if (flag == "--milter") o.milter = v, o.mode = DnsblLoadMode::Milter;
        else if (flag == "--sequential") o.zones = split_commas(v), o.mode = DnsblLoadMode::Sequential;
        else if (flag == "--parallel") o.zones = split_commas(v), o.mode = DnsblLoadMode::Parallel;
        else if (flag == "--dns") o.dns = v;
        else if (flag == "--timeout-ms") o.timeout = std::chrono::milliseconds(std::stoi(v));
        else if (flag == "--seconds") o.seconds = std::stod(v);
        else if (flag == "--conns") o.conns = std::stoi(v);
        else if (flag == "--mix") o.cold = v == "cold";
        else if (flag == "--seed") o.seed = static_cast<uint32_t>(std::stoul(v));
        else if (flag == "--warmup") o.warmup = std::stoi(v);
        else if (flag == "--pid") o.pid = std::stoi(v);
        else return fail(ErrorCode::Invalid, "unknown option " + std::string(flag));
    } catch (const std::exception&) {
        return fail(ErrorCode::Invalid, "bad value for " + std::string(flag) + ": " + v);
    }
    return true;
}

}  // namespace

Result<DnsblLoadOptions> parse_dnsbl_load_options(const std::vector<std::string>& args) {
    DnsblLoadOptions o;
    for (std::size_t i = 0; i < args.size(); i += 2) {
        if (i + 1 >= args.size()) return fail(ErrorCode::Invalid, args[i] + " needs a value");
        if (auto ok = apply(o, args[i], args[i + 1]); !ok) return fail(ok.error());
    }
    if (o.mode == DnsblLoadMode::Milter && o.milter.empty()) return fail(ErrorCode::Invalid, "--milter, --sequential or --parallel is required");
    if (o.mode != DnsblLoadMode::Milter && o.zones.empty()) return fail(ErrorCode::Invalid, "no zones");
    if (o.conns < 1 || o.conns > 1024 || o.seconds <= 0) return fail(ErrorCode::Invalid, "bad --conns or --seconds");
    return o;
}

}  // namespace mw::bench
