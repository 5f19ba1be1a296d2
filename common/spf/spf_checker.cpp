#include "common/spf/spf_checker.hpp"

namespace mw::spf {

const char* to_string(SpfResult r) {
    switch (r) {
        case SpfResult::None: return "none";
        case SpfResult::Neutral: return "neutral";
        case SpfResult::Pass: return "pass";
        case SpfResult::Fail: return "fail";
        case SpfResult::SoftFail: return "softfail";
        case SpfResult::TempError: return "temperror";
        case SpfResult::PermError: return "permerror";
    }
    return "permerror";
}

const char* to_string(Identity id) {
    switch (id) {
        case Identity::Helo: return "helo";
        case Identity::MailFrom: return "mailfrom";
    }
    return "mailfrom";
}

}  // namespace mw::spf
