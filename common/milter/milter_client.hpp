// MilterClient: the MTA side of milter protocol version 6, as Postfix 3.7 speaks it, without
// libmilter: option negotiation (honouring the milter's SMFIP_NO* steps, SMFIP_NR_* no-reply
// steps, SMFIP_SKIP and its macro lists), SMFIC_MACRO before each stage with Postfix's default
// macro lists (postconf -d milter_*_macros), connect, HELO, MAIL, RCPT, DATA, headers (folds as
// "\n", leading space only with SMFIP_HDR_LEADSPC), end of headers, body chunks of at most 65535
// bytes, end of message, and the edit replies that follow it. Replies are read with deadlines
// (SMFIR_PROGRESS extends them) and strict bounds (packet_codec.hpp, limits.hpp). Used by
// `mailwarden milter-test` and the daemon tests. One client per connection; not thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/base/result.hpp"
#include "common/base/unique_fd.hpp"
#include "common/daemon/listen_spec.hpp"
#include "common/milter/mail_message.hpp"
#include "common/milter/macros.hpp"
#include "common/milter/packet_codec.hpp"

namespace mw::milter {

using MacroLists = std::array<std::vector<std::string>, wire::kMacroStages>;

/// Postfix 3.7's defaults for milter_{connect,helo,mail,rcpt,data,end_of_data,end_of_header}_macros.
MacroLists postfix_default_macros();

struct ClientOptions {
    std::chrono::milliseconds connect_timeout{30'000};   // Postfix milter_connect_timeout
    std::chrono::milliseconds command_timeout{30'000};   // milter_command_timeout
    std::chrono::milliseconds content_timeout{300'000};  // milter_content_timeout
    uint32_t actions = wire::kAllActions;                // offered to the milter
    uint32_t protocol = wire::kAllProtocol;
    MacroLists macros = postfix_default_macros();
};

enum class Verdict { Continue, Accept, Reject, Tempfail, Discard };
const char* to_string(Verdict v);

/// What a milter answered to one step.
struct StepReply {
    bool replied = false;     // false: a no-reply step (or a step the milter turned off)
    Response response;        // when replied
    Verdict verdict() const;
};

struct EomReply {
    Response final;
    std::vector<Response> edits;   // in the order received
};

class MilterClient {
public:
    static Result<MilterClient> open(const daemon::ListenSpec& where, ClientOptions opts = {});

    /// SMFIC_OPTNEG; fails if the milter wants actions or steps we did not offer.
    Result<OptNeg> negotiate();
    const OptNeg& negotiated() const { return negotiated_; }
    bool leading_space() const { return (negotiated_.protocol & wire::kHeaderLeadingSpace) != 0; }

    /// Macro values the "MTA" knows; each stage sends those on its list that are set.
    Macros& macros() { return macros_; }

    Result<StepReply> connect(const ConnectInfo& client);
    Result<StepReply> helo(const std::string& name);
    Result<StepReply> mail(const std::vector<std::string>& args);
    Result<StepReply> rcpt(const std::vector<std::string>& args);
    Result<StepReply> data();
    Result<StepReply> header(const std::string& name, const std::string& value);
    Result<StepReply> eoh();
    /// One chunk (at most wire::kBodyChunk bytes).
    Result<StepReply> body(std::string_view chunk);
    Result<EomReply> eom();
    Result<bool> abort();
    Result<bool> quit();

private:
    MilterClient(UniqueFd fd, ClientOptions opts) : fd_(std::move(fd)), opts_(std::move(opts)) {}

    Result<StepReply> step(uint32_t no_step, uint32_t no_reply, std::optional<wire::MacroStage> stage,
                           char stage_cmd, const std::string& packet,
                           std::chrono::milliseconds timeout);
    Result<bool> send_macros(wire::MacroStage stage, char stage_cmd);
    Result<bool> send(const std::string& bytes);
    Result<Packet> read_packet(std::chrono::milliseconds timeout);
    Result<Response> read_final(std::chrono::milliseconds timeout, std::vector<Response>* edits);
    Result<bool> check_edit(const Response& r, std::size_t count, std::size_t& body_bytes) const;

    UniqueFd fd_;
    ClientOptions opts_;
    OptNeg negotiated_;
    MacroLists lists_;
    Macros macros_;
    PacketReader reader_;
};

}  // namespace mw::milter
