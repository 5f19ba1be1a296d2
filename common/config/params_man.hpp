// Renders a ParamTable as a man page's CONFIGURATION PARAMETERS section (roff .IP list) or as a
// commented sample config, so both list the keys of the same table as the parser and -d.
#pragma once

#include <string>

#include "common/config/param.hpp"

namespace mw::config {

std::string render_params_man(const ParamTable& table);

/// Renders the table as a commented sample config: each key's summary as a comment, then
/// "#key = default", so etc/NAME.conf lists every key with its default (checked by a test).
std::string render_params_conf(const ParamTable& table);

}  // namespace mw::config
