// The milter wire protocol, version 6, as constants: command and reply codes, protocol (SMFIP_*)
// and action (SMFIF_*) bits, macro stages. Our own copy of libmilter's mfdef.h values, so that the
// MTA-side client and the pure session code need no libmilter header; libmilter_driver.cpp
// static_asserts that they match. Packet layout: 4-byte big-endian length (command byte included),
// one command byte, payload. Pure constants; thread-safe.
#pragma once

#include <cstdint>

namespace mw::milter::wire {

inline constexpr uint32_t kVersion = 6;
inline constexpr uint32_t kMinVersion = 2;

// MTA -> milter commands (SMFIC_*).
inline constexpr char kAbort = 'A';
inline constexpr char kBody = 'B';
inline constexpr char kConnect = 'C';
inline constexpr char kMacro = 'D';
inline constexpr char kBodyEob = 'E';
inline constexpr char kHelo = 'H';
inline constexpr char kQuitNewConnection = 'K';
inline constexpr char kHeader = 'L';
inline constexpr char kMail = 'M';
inline constexpr char kEoh = 'N';
inline constexpr char kOptNeg = 'O';
inline constexpr char kQuit = 'Q';
inline constexpr char kRcpt = 'R';
inline constexpr char kData = 'T';
inline constexpr char kUnknown = 'U';

// milter -> MTA replies (SMFIR_*).
inline constexpr char kAddRcpt = '+';
inline constexpr char kDelRcpt = '-';
inline constexpr char kAddRcptPar = '2';
inline constexpr char kShutdown = '4';
inline constexpr char kAccept = 'a';
inline constexpr char kReplBody = 'b';
inline constexpr char kContinue = 'c';
inline constexpr char kDiscard = 'd';
inline constexpr char kChgFrom = 'e';
inline constexpr char kConnFail = 'f';
inline constexpr char kAddHeader = 'h';
inline constexpr char kInsHeader = 'i';
inline constexpr char kSetSymList = 'l';
inline constexpr char kChgHeader = 'm';
inline constexpr char kProgress = 'p';
inline constexpr char kQuarantine = 'q';
inline constexpr char kReject = 'r';
inline constexpr char kSkip = 's';
inline constexpr char kTempfail = 't';
inline constexpr char kReplyCode = 'y';

// Address families in SMFIC_CONNECT.
inline constexpr char kFamilyUnknown = 'U';
inline constexpr char kFamilyUnix = 'L';
inline constexpr char kFamilyInet = '4';
inline constexpr char kFamilyInet6 = '6';

// Protocol bits (SMFIP_*): "do not send step X", "no reply for step X", extras.
inline constexpr uint32_t kNoConnect = 0x00000001;
inline constexpr uint32_t kNoHelo = 0x00000002;
inline constexpr uint32_t kNoMail = 0x00000004;
inline constexpr uint32_t kNoRcpt = 0x00000008;
inline constexpr uint32_t kNoBody = 0x00000010;
inline constexpr uint32_t kNoHeaders = 0x00000020;
inline constexpr uint32_t kNoEoh = 0x00000040;
inline constexpr uint32_t kNoReplyHeader = 0x00000080;
inline constexpr uint32_t kNoUnknown = 0x00000100;
inline constexpr uint32_t kNoData = 0x00000200;
inline constexpr uint32_t kSkipFlag = 0x00000400;
inline constexpr uint32_t kRcptRejected = 0x00000800;
inline constexpr uint32_t kNoReplyConnect = 0x00001000;
inline constexpr uint32_t kNoReplyHelo = 0x00002000;
inline constexpr uint32_t kNoReplyMail = 0x00004000;
inline constexpr uint32_t kNoReplyRcpt = 0x00008000;
inline constexpr uint32_t kNoReplyData = 0x00010000;
inline constexpr uint32_t kNoReplyUnknown = 0x00020000;
inline constexpr uint32_t kNoReplyEoh = 0x00040000;
inline constexpr uint32_t kNoReplyBody = 0x00080000;
inline constexpr uint32_t kHeaderLeadingSpace = 0x00100000;
inline constexpr uint32_t kAllProtocol = 0x001FFFFF;   // SMFI_CURR_PROT

// Action bits (SMFIF_*).
inline constexpr uint32_t kActAddHeaders = 0x00000001;
inline constexpr uint32_t kActChangeBody = 0x00000002;
inline constexpr uint32_t kActAddRcpt = 0x00000004;
inline constexpr uint32_t kActDelRcpt = 0x00000008;
inline constexpr uint32_t kActChangeHeaders = 0x00000010;
inline constexpr uint32_t kActQuarantine = 0x00000020;
inline constexpr uint32_t kActChangeFrom = 0x00000040;
inline constexpr uint32_t kActAddRcptPar = 0x00000080;
inline constexpr uint32_t kActSetSymList = 0x00000100;
inline constexpr uint32_t kAllActions = 0x000001FF;    // SMFI_CURR_ACTS

// Macro stages (SMFIM_*), as used by SMFIR_SETSYMLIST / the option-negotiation reply.
enum class MacroStage : uint32_t { Connect = 0, Helo = 1, Mail = 2, Rcpt = 3, Data = 4, Eom = 5, Eoh = 6 };
inline constexpr int kMacroStages = 7;

inline constexpr std::size_t kBodyChunk = 65535;      // MILTER_CHUNK_SIZE
inline constexpr std::size_t kOptNegLength = 12;      // version, actions, protocol

}  // namespace mw::milter::wire
