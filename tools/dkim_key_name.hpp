// The --domain and --selector of the `mailwarden dkim` subcommands: DNS names that are also safe
// file names (keygen writes SELECTOR.private).
#pragma once

#include <string>

#include "common/base/result.hpp"

namespace mw::tools {

/// Drops a zone-file trailing dot from `domain`, then checks both: letters, digits, '-', '_' and
/// inner dots, at most kMaxDnsName bytes.
Result<bool> check_key_names(std::string& domain, const std::string& selector);

}  // namespace mw::tools
