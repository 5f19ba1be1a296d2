// Renders a ParamTable as a man page's CONFIGURATION PARAMETERS section (roff .IP list), so the
// man page's list of keys comes from the same table as the parser's defaults and -d.
#pragma once

#include <string>

#include "common/config/param.hpp"

namespace mw::config {

std::string render_params_man(const ParamTable& table);

}  // namespace mw::config
