#include "milters/spam/scan/eval_registry.hpp"

namespace mw::spam {

const EvalRegistry& EvalRegistry::builtin() {
    static const EvalRegistry registry = [] {
        EvalRegistry r;
        register_header_evals(r);
        register_mime_evals(r);
        register_auth_evals(r);
        register_relay_evals(r);
        return r;
    }();
    return registry;
}

std::string no_args(const EvalArgs& a) { return a.empty() ? "" : "takes no arguments"; }
std::string any_args(const EvalArgs&) { return ""; }

}  // namespace mw::spam
