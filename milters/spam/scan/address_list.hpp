// The mailboxes of an address-list header value (From, To, Cc, Reply-To; RFC 5322 §3.4), as
// SpamAssassin's :addr and :name header modifiers see them: each mailbox's address and its display
// name (phrase, or the comment of "user@example.com (Name)"). Groups ("list: a@x, b@y;") give
// their members. Forgiving, as mail is: unbalanced quotes or brackets end at the end of the value.
// Bounded: at most kMaxAddresses mailboxes. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mw::spam {

struct HeaderAddress {
    std::string phrase;    // display name, unquoted; "" when none
    std::string address;   // "user@example.com"; "" when the mailbox had none
};

inline constexpr std::size_t kMaxAddresses = 1000;

std::vector<HeaderAddress> parse_address_list(std::string_view value);

}  // namespace mw::spam
