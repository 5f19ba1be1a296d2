// The header data a DKIM signature covers (RFC 6376 §3.7 and §5.4.2): for each name in h=, the
// last instance of that field not yet used (bottom-up; a name with none left adds nothing), each
// canonicalized, then the DKIM-Signature field itself with its b= value emptied and no final
// CRLF. Bounded by kMaxDkimHeaderBytes. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "milters/dkim/canonicalization.hpp"
#include "milters/dkim/message_header.hpp"

namespace mw::dkim {

struct HeaderHashInput {
    const std::vector<MessageHeader>* headers = nullptr;
    const std::vector<std::string>* signed_names = nullptr;  // h=
    std::optional<std::size_t> skip;    // index of the DKIM-Signature being verified
    std::string_view signature_name;    // "DKIM-Signature" as written
    std::string_view signature_value;   // raw value, b= value already emptied
    Canon canon = Canon::Relaxed;
};

Result<std::string> header_hash_data(const HeaderHashInput& in);

/// The raw DKIM-Signature value with the value of its b= tag (and the FWS around it) removed,
/// every other byte kept, so simple canonicalization still sees the field as written.
std::string strip_b_value(std::string_view signature_value);

}  // namespace mw::dkim
