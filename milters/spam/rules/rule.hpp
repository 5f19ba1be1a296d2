// Rule: one SpamAssassin test as the rule files define it (header, body, rawbody, full, uri,
// mimeheader, meta, and eval: forms of header/body/rawbody/full/uri), with its score, description,
// tflags and priority merged in from their own lines. Pure value type.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "common/base/error.hpp"
#include "milters/spam/regex/regex_spec.hpp"

namespace mw::spam {

enum class RuleType { Header, Body, Rawbody, Full, Uri, Mimeheader, Meta };

/// Which text a header or mimeheader rule looks at (SA Conf.pm "header" docs).
struct HeaderTarget {
    enum class Kind {
        Named,      // one header by name (all instances joined by "\n")
        All,        // ALL: the whole header block
        ToCc,       // ToCc: To and Cc together
        MessageId,  // MESSAGEID: Message-Id, Resent-Message-Id, X-Message-Id...
        EnvelopeFrom,  // EnvelopeFrom
    };
    enum class Modifier { None, Raw, Addr, Name, Host, Domain, Ip, Revip, First, Last };
    Kind kind = Kind::Named;
    std::string name;                  // Named: header name as written in the rule
    std::vector<Modifier> modifiers;   // ":raw", ":addr", ":name", ... in order
};

/// An eval: test, e.g. eval:check_for_missing_to_header() or eval:check_from_in_list('x').
struct EvalCall {
    std::string function;              // "check_for_missing_to_header"
    std::vector<std::string> args;     // unquoted arguments, in order
};

struct RuleFlags {
    bool net = false, nice = false, learn = false, userconf = false, noautolearn = false;
    bool multiple = false;
    int maxhits = 0;                   // 0 = unbounded (with multiple)
    bool publish = false, autolearn_force = false;
};

struct Rule {
    std::string name;
    RuleType type = RuleType::Body;

    // Pattern tests (everything but Meta and eval:).
    std::optional<RegexSpec> regex;
    bool negated = false;              // header X !~ /re/
    std::optional<std::string> if_unset;  // header X =~ /re/ [if-unset: TEXT]
    HeaderTarget target;               // Header, Mimeheader
    bool exists_test = false;          // header NAME exists:Hdr (target.name = Hdr)

    std::optional<EvalCall> eval;      // eval: tests
    std::string meta;                  // Meta: the expression text

    // From score / describe / tflags / priority lines.
    bool score_given = false;
    std::array<double, 4> scores{};    // score sets 0..3 (SA: [bayes][net] = set index)
    std::string description;
    RuleFlags flags;
    int priority = 0;

    SourcePos defined_at;
};

}  // namespace mw::spam
