#include "tests/conformance/suite_resolver.hpp"

#include <algorithm>
#include <cctype>

namespace mw::test {

namespace {

// Drops empty labels and lower-cases; nullopt when a label is over 63 characters.
std::optional<std::string> normalise(std::string_view name) {
    std::string out;
    std::size_t start = 0;
    while (start <= name.size()) {
        auto end = name.find('.', start);
        if (end == std::string_view::npos) end = name.size();
        const auto label = name.substr(start, end - start);
        if (label.size() > 63) return std::nullopt;
        if (!label.empty()) {
            if (!out.empty()) out += '.';
            for (unsigned char c : label) out += static_cast<char>(std::tolower(c));
        }
        start = end + 1;
    }
    return out;
}

}  // namespace

dns::Resolver::QueryId SuiteResolver::submit(const dns::Question& q, Deadline deadline,
                                             Callback done) {
    const auto name = normalise(q.name);
    const bool unknown = name && std::find(known_.begin(), known_.end(), *name) == known_.end();
    if (!name || (unknown && name->rfind("error.", 0) == 0)) {
        dns::Answer a;
        a.rcode = dns::Rcode::Timeout;
        a.why = name ? "suite: error. name" : "suite: label too long";
        done(std::move(a));
        return 0;
    }
    return zone_.submit(dns::Question{*name, q.type}, deadline, std::move(done));
}

}  // namespace mw::test
