// Loads an OpenSPF test suite (the YAML files python3-spf ships: rfc7208-tests.yml,
// rfc4408-tests.yml) into scenarios: a FakeResolver with the zone data, and the tests that run
// against it. Zone data is read as pyspf's testspf.py reads it: SPF records stand in for TXT
// when a name has no TXT entry, "TIMEOUT" (alone or as a value) times queries out, "NONE"
// suppresses records, CNAMEs are followed. Test-only; throws YAML::Exception on a bad file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/conformance/suite_resolver.hpp"

namespace mw::test {

struct SpfSuiteTest {
    std::string name;
    std::string spec;                     // RFC section the test cites
    std::string helo;
    std::string host;
    std::string mailfrom;
    std::vector<std::string> results;     // acceptable results, first preferred
    std::optional<std::string> explanation;
};

struct SpfSuiteScenario {
    std::string description;
    std::unique_ptr<SuiteResolver> resolver;
    std::vector<SpfSuiteTest> tests;
};

/// Reads every YAML document of `path`.
std::vector<SpfSuiteScenario> load_spf_suite(const std::string& path);

}  // namespace mw::test
