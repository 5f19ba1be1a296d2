// Not a test: `relays_dump FILE...` prints our X-Spam-Relays-* strings for each message, in the
// form of SpamAssassin's "-D metadata" lines, for the agreement check against `spamassassin -D`.
// `relays_dump --lines` parses one Received value per stdin line instead (SKIP, UNPARSEABLE or
// the relay string), to compare with SA's parse_received_line over a whole corpus.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "milters/spam/scan/received_relays.hpp"

namespace {

int dump_lines() {
    std::string line;
    while (std::getline(std::cin, line)) {
        auto p = mw::spam::parse_received(line);
        if (p.kind == mw::spam::ReceivedKind::Unparseable) fmt::print("UNPARSEABLE\n");
        else if (p.kind == mw::spam::ReceivedKind::Skipped) fmt::print("SKIP\n");
        else fmt::print("{} priv={} nordns={}\n", mw::spam::relay_as_string(p.relay), p.relay.ip_private ? 1 : 0,
                        p.relay.no_reverse_dns ? 1 : 0);
    }
    return 0;
}

}  // namespace

#include "milters/spam/mime/header_block.hpp"
#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/scan/relay_trust.hpp"

int main(int argc, char** argv) {
    if (argc == 2 && std::string(argv[1]) == "--lines") return dump_lines();
    mw::spam::mime_library_init();
    for (int i = 1; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (raw.rfind("From ", 0) == 0) raw.erase(0, raw.find('\n') + 1);   // mbox separator
        auto block = mw::spam::parse_header_block(raw);
        auto a = mw::spam::analyze_relays(block.fields, {});
        fmt::print("X-Spam-Relays-Trusted: {}\nX-Spam-Relays-Untrusted: {}\n", a.trusted_str, a.untrusted_str);
        fmt::print("X-Spam-Relays-Internal: {}\nX-Spam-Relays-External: {}\n", a.internal_str, a.external_str);
    }
    return 0;
}
