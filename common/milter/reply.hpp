// Reply: what a milter Session answers at each protocol step (continue, accept, reject or
// tempfail with an SMTP reply, discard, quarantine, skip the rest of the body). Pure value type;
// the libmilter driver turns it into an SMFIS_* status plus smfi_setreply/smfi_quarantine.
// Thread-compatible.
#pragma once

#include <string>

namespace mw::milter {

struct Reply {
    enum class Kind { Continue, Accept, Reject, Tempfail, Discard, Quarantine, Skip };

    Kind kind = Kind::Continue;
    std::string code;   // Reject/Tempfail: "550" / "451"
    std::string dsn;    // Reject/Tempfail: "5.7.1" / "4.7.1" (RFC 3463)
    std::string text;   // Reject/Tempfail: reply text; Quarantine: the reason

    static Reply cont() { return {}; }
    static Reply accept() { return {Kind::Accept, {}, {}, {}}; }
    static Reply reject(std::string text, std::string code = "550", std::string dsn = "5.7.1") {
        return {Kind::Reject, std::move(code), std::move(dsn), std::move(text)};
    }
    static Reply tempfail(std::string text, std::string code = "451", std::string dsn = "4.7.1") {
        return {Kind::Tempfail, std::move(code), std::move(dsn), std::move(text)};
    }
    static Reply discard() { return {Kind::Discard, {}, {}, {}}; }
    /// Hold the message in the MTA's hold queue; the message is otherwise accepted.
    static Reply quarantine(std::string reason) { return {Kind::Quarantine, {}, {}, std::move(reason)}; }
    /// From on_body only: the milter needs no more body (SMFIP_SKIP); elsewhere = continue.
    static Reply skip() { return {Kind::Skip, {}, {}, {}}; }

    /// Continue, Quarantine and Skip let the message go on; the others decide it.
    bool decides() const {
        return kind == Kind::Accept || kind == Kind::Reject || kind == Kind::Tempfail ||
               kind == Kind::Discard;
    }
};

}  // namespace mw::milter
