// SuiteResolver: the OpenSPF suites' view of DNS on top of a FakeResolver, as pyspf's
// testspf.py emulates pydns: empty labels in a name are dropped, a label longer than 63
// characters fails the query, and names under "error." that are not in the zone time out.
// Test-only; thread-safe as FakeResolver is.
#pragma once

#include <optional>

#include "tests/support/fake_resolver.hpp"

namespace mw::test {

class SuiteResolver : public dns::Resolver {
public:
    FakeResolver& zone() { return zone_; }
    /// Names present in the zone data (lower case), for the "error." rule.
    void add_known(const std::string& name) { known_.push_back(name); }

    QueryId submit(const dns::Question& q, Deadline deadline, Callback done) override;

private:
    FakeResolver zone_;
    std::vector<std::string> known_;
};

}  // namespace mw::test
