// PolicyAnswer: what the service hands the server for one request: the reply bytes, and the
// decision line the server logs once the reply is on its way. Logging after the send takes the
// syslog write off Postfix's wait: smtpd gets its answer first.
#pragma once

#include <string>

namespace mw::policyd {

struct PolicyAnswer {
    std::string reply;          // "action=...\n\n"
    std::string decision_line;  // logged at info after the reply; empty: nothing to log
};

}  // namespace mw::policyd
