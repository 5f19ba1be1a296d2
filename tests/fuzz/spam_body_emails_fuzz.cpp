// Fuzzes FreeMail.pm's body e-mail scan (body_emails.hpp): any bytes as one body text line, no
// crash, and its promises: blanking never grows the line, and every address found holds an '@'
// and is in the text, in order, where email_match_at matches exactly it.
#include <cstdint>
#include <string>
#include <string_view>

#include "milters/spam/scan/body_emails.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string blanked = mw::spam::blank_quoted_emails(text);
    if (blanked.size() > text.size()) __builtin_trap();
    for (const std::string_view line : {text, std::string_view(blanked)}) {
        std::size_t from = 0;
        for (const std::string& email : mw::spam::emails_in_text(line, 1000)) {
            if (email.find('@') == std::string::npos) __builtin_trap();
            // The next place the text holds it where the regex matches exactly that much.
            std::size_t pos = line.find(email, from);
            while (pos != std::string_view::npos && mw::spam::email_match_at(line, pos) != pos + email.size())
                pos = line.find(email, pos + 1);
            if (pos == std::string_view::npos) __builtin_trap();
            from = pos + email.size();
        }
    }
    return 0;
}
