// Milter protocol packets, encoded and decoded without I/O: framing (4-byte big-endian length,
// command byte, payload), the MTA's commands (SMFIC_*) and the milter's replies (SMFIR_*,
// including the option-negotiation reply with its macro lists). Decoders are strict: a packet
// over limits::kMaxMilterPacket, a string without its NUL, a wrong field count, a bad reply code
// or header name is an error, never a guess. Used by milter_client and fuzzed
// (tests/fuzz/milter_reply_fuzz.cpp). Pure; thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/base/limits.hpp"
#include "common/base/result.hpp"
#include "common/milter/protocol.hpp"
#include "common/milter/session.hpp"

namespace mw::milter {

struct Packet {
    char command = 0;
    std::string payload;
};

/// Frames one packet. Precondition: payload.size() < limits::kMaxMilterPacket.
std::string encode_packet(char command, std::string_view payload);

/// Bounded push decoder of framed packets from a byte stream.
class PacketReader {
public:
    explicit PacketReader(std::size_t max_packet = limits::kMaxMilterPacket) : max_(max_packet) {}
    void feed(std::string_view bytes) { buffer_.append(bytes); }
    /// The next complete packet, nullopt if more bytes are needed, or an error for a length of
    /// zero or over the bound (the stream is then unusable).
    Result<std::optional<Packet>> next();
    std::size_t buffered() const { return buffer_.size(); }

private:
    std::string buffer_;
    std::size_t max_;
};

using MacroList = std::vector<std::pair<std::string, std::string>>;

// ---- MTA -> milter commands -------------------------------------------------------------
std::string encode_optneg(uint32_t version, uint32_t actions, uint32_t protocol);
/// SMFIC_MACRO for the command `stage` ('C', 'H', 'M', 'R', 'T', 'L', 'N', 'E').
std::string encode_macros(char stage, const MacroList& macros);
std::string encode_connect(const ConnectInfo& client);
std::string encode_helo(std::string_view helo);
/// SMFIC_MAIL / SMFIC_RCPT: the address then ESMTP parameters.
std::string encode_args(char command, const std::vector<std::string>& args);
std::string encode_header(std::string_view name, std::string_view value);
std::string encode_body(std::string_view chunk);
/// Commands without payload: EOH, end of body, DATA, ABORT, QUIT.
std::string encode_empty(char command);

/// Splits a payload of NUL-terminated strings (at most limits::kMaxMilterStrings).
Result<std::vector<std::string>> decode_strings(std::string_view payload);
Result<MacroList> decode_macros(std::string_view payload);
Result<ConnectInfo> decode_connect(std::string_view payload);

// ---- milter -> MTA replies --------------------------------------------------------------
struct OptNeg {
    uint32_t version = 0;
    uint32_t actions = 0;
    uint32_t protocol = 0;
    /// Macro lists the milter asked for, per wire::MacroStage (nullopt: MTA default).
    std::array<std::optional<std::vector<std::string>>, wire::kMacroStages> macros;
};
std::string encode_optneg_reply(const OptNeg& o);
Result<OptNeg> decode_optneg(const Packet& p);

struct Response {
    enum class Kind {
        Continue, Accept, Reject, Tempfail, Discard, ReplyCode, Skip, Progress, ConnFail,
        Shutdown, AddHeader, InsertHeader, ChangeHeader, ReplaceBody, Quarantine, ChangeFrom,
        AddRcpt, DelRcpt
    };
    Kind kind = Kind::Continue;
    std::string name;    // headers; ChangeFrom/AddRcpt/DelRcpt: the address
    std::string value;   // headers; ChangeFrom/AddRcpt: ESMTP args
    std::string text;    // ReplyCode: "550 5.7.1 text"; Quarantine: reason; ReplaceBody: data
    uint32_t index = 0;  // InsertHeader / ChangeHeader

    /// True for the replies that end a step (all but edits and progress).
    bool is_final() const;
};
std::string encode_response(const Response& r);
Result<Response> decode_response(const Packet& p);

/// "550 5.7.1 text" shape: 3 digits starting 4 or 5, then end, space or '-'.
bool valid_reply_code(std::string_view text);
/// RFC 5322 field name: printable ASCII except ':', 1..998 bytes.
bool valid_header_name(std::string_view name);

}  // namespace mw::milter
