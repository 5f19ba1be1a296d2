// SpamAssassin's HeaderEval tests that weigh most on real mail (bench/spam/
// EVAL_WEIGHTS.md ranks them on the corpus): missing To, From vs envelope domains, all-caps
// subjects, forged Outlook Message-IDs, Date far from the Received dates, similar recipients
// (freemail senders are in eval_freemail.cpp). Semantics follow SA 4.0.1's Plugin/HeaderEval.pm.
#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include "common/base/ascii.hpp"
#include "milters/spam/regex/pcre_regex.hpp"
#include "milters/spam/rules/rule_set.hpp"
#include "milters/spam/scan/eval_registry.hpp"
#include "milters/spam/scan/header_text.hpp"
#include "milters/spam/scan/rfc822_date.hpp"

namespace mw::spam {

namespace {

using Mod = HeaderTarget::Modifier;

std::string get(const ScanInput& in, std::string_view name, std::vector<Mod> mods = {}) {
    HeaderTarget t;
    t.kind = HeaderTarget::Kind::Named;
    if (name == "ToCc") t.kind = HeaderTarget::Kind::ToCc;
    if (name == "EnvelopeFrom") t.kind = HeaderTarget::Kind::EnvelopeFrom;
    if (name == "MESSAGEID") t.kind = HeaderTarget::Kind::MessageId;
    t.name = std::string(name);
    t.modifiers = std::move(mods);
    return header_text(in.message->headers, t, in.envelope.mail_from).value_or("");
}

std::vector<std::string> addresses(const ScanInput& in, std::string_view name) {
    return header_addresses(in.message->headers, name, in.envelope.mail_from);
}

std::string first_line(std::string s) {
    auto nl = s.find('\n');
    if (nl != std::string::npos) s.resize(nl);
    return s;
}

bool is_undef(const std::string& s) { return s == "undef"; }

std::optional<double> number_arg(const std::string& s) {
    if (is_undef(s)) return std::nullopt;
    try {
        return std::stod(s);
    } catch (...) {
        return std::nullopt;
    }
}

std::string two_numbers(const EvalArgs& a) {
    if (a.size() != 2) return "takes two arguments";
    for (const auto& x : a)
        if (!is_undef(x) && !number_arg(x)) return "argument is not a number: " + x;
    return "";
}

bool in_range(double v, const EvalArgs& a) {
    auto lo = number_arg(a[0]), hi = number_arg(a[1]);
    return (!lo || v >= *lo) && (!hi || v < *hi);
}

int missing_to(const ScanInput& in, const EvalArgs&) {
    return get(in, "To").empty() && get(in, "Apparently-To").empty() ? 1 : 0;
}

/// SA: the domain after the last '@', cut to its last two labels.
std::string second_level(const std::string& address) {
    auto at = address.rfind('@');
    if (at == std::string::npos) return {};
    std::string d = address.substr(at + 1);
    if (d.find('@') != std::string::npos) return {};
    auto last = d.rfind('.');
    if (last != std::string::npos && last > 0) {
        auto prev = d.rfind('.', last - 1);
        if (prev != std::string::npos && prev > 0) d = d.substr(prev + 1);
    }
    return to_lower_ascii(d);
}

int equal_from_domains(const ScanInput& in, const EvalArgs&) {
    std::string from = second_level(first_line(get(in, "From", {Mod::Addr})));
    if (from.empty()) return 0;
    std::string env = second_level(first_line(get(in, "EnvelopeFrom", {Mod::Addr})));
    if (env.empty()) return 0;
    return from != env ? 1 : 0;
}

int subject_all_caps(const ScanInput& in, const EvalArgs&) {
    std::string s = get(in, "Subject");
    while (!s.empty() && is_space_ascii(s.back())) s.pop_back();
    std::size_t b = 0;
    while (b < s.size() && is_space_ascii(s[b])) ++b;
    s.erase(0, b);
    static const auto prefix = PcreRegex::compile({"^(?:(?:Re|Fwd|Fw|Aw|Antwort|WG|SV|VB|VS|VL):\\s*)+", true});
    MatchScratch& scratch = eval_match_scratch();
    if (auto m = prefix->search(s, scratch)) s.erase(0, m->end);
    if (s.find_first_of(" \t\n\r\f\v") == std::string::npos || s.size() < 10) return 0;
    std::string letters;
    for (char c : s)
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) letters += c;
    static const auto fp_charsets = PcreRegex::compile(
        {"=\\?[-_a-z0-9]*(?:koi|jp|jis|euc|gb|big5|isoir|cp1251|windows-1251|georgianps|pt154|tis)[-_a-z0-9]*\\?",
         true});
    if (fp_charsets->search(get(in, "Subject", {Mod::Raw}), scratch)) return 0;
    if (letters.empty()) return 0;
    return std::none_of(letters.begin(), letters.end(), [](char c) { return c >= 'a' && c <= 'z'; }) ? 1 : 0;
}

int outlook_message_id(const ScanInput& in, const EvalArgs&) {
    static const auto id_re =
        PcreRegex::compile({"^<[0-9a-f]{4}([0-9a-f]{8})\\$[0-9a-f]{8}\\$[0-9a-f]{8}\\@", false});
    std::string id = get(in, "MESSAGEID");
    MatchScratch& scratch = eval_match_scratch();
    auto m = id_re->search(id, scratch);
    if (!m) return 0;
    const double token = static_cast<double>(std::stoull(id.substr(5, 8), nullptr, 16));
    constexpr double kX = 0.0023283064365387, kY = 27111902.8329849, kFudge = 250;
    auto diff_for = [&](std::optional<int64_t> t) {
        double expected = std::floor(static_cast<double>(t.value_or(0)) * kX + kY);
        return std::fabs(token - expected);
    };
    if (diff_for(parse_rfc822_date(get(in, "Date"))) < kFudge) return 0;
    static const auto rcvd_re = PcreRegex::compile({"(\\s.?\\d+ \\S\\S\\S \\d+ \\d+:\\d+:\\d+ \\S+).*?$", false});
    std::string rcvd = get(in, "Received");
    auto r = rcvd_re->search(rcvd, scratch);
    std::optional<int64_t> t;
    if (r) t = parse_rfc822_date(std::string_view(rcvd).substr(r->begin, r->end - r->begin));
    return diff_for(t) >= kFudge ? 1 : 0;
}

/// SA's date_diff: Date (or Resent-Date) minus the Received date closest to it.
std::optional<int64_t> date_diff(const ScanInput& in) {
    std::optional<int64_t> date;
    for (const char* h : {"Resent-Date", "Date"}) {
        for (auto v : header_values(in.message->headers, h))
            if (!v.empty() && (date = parse_rfc822_date(v))) break;
        if (date) break;
    }
    if (!date) return std::nullopt;
    static const auto date_re = PcreRegex::compile({"(\\s.?\\d+ \\S\\S\\S \\d+ \\d+:\\d+:\\d+ \\S+)", false});
    static const auto local_re = PcreRegex::compile(
        {"\\bfrom (?:localhost\\s|(?:\\S+ ){1,2}\\S*\\b127\\.0\\.0\\.1\\b)|qmail \\d+ invoked by uid \\d+", false});
    static const auto fetchmail_re = PcreRegex::compile({"\\bby localhost with \\w+ \\(fetchmail-[\\d.]+", false});
    MatchScratch& scratch = eval_match_scratch();
    std::vector<int64_t> times;
    if (in.received_at) times.push_back(*in.received_at);
    std::vector<std::string_view> received;
    for (auto v : header_values(in.message->headers, "Received"))
        if (v.find_first_not_of(" \t") != std::string_view::npos) received.push_back(v);
    // SA: a local hop and the fetchmail hop under it record when mail was fetched, not sent.
    if (!received.empty() && local_re->search(received[0], scratch) && received.size() > 1 &&
        fetchmail_re->search(received[1], scratch))
        received.erase(received.begin(), received.begin() + 2);
    for (auto v : received) {
        auto m = date_re->search(v, scratch);
        if (!m) continue;
        if (auto t = parse_rfc822_date(v.substr(m->begin, m->end - m->begin))) times.push_back(*t);
    }
    if (times.empty()) return std::nullopt;
    std::vector<int64_t> diffs;
    for (int64_t t : times) diffs.push_back(*date - t);
    if (diffs.size() > 1 && diffs.back() == 0) diffs.pop_back();
    return *std::min_element(diffs.begin(), diffs.end(),
                             [](int64_t a, int64_t b) { return std::llabs(a) < std::llabs(b); });
}

int shifted_date(const ScanInput& in, const EvalArgs& a) {
    if (!in.date_diff) in.date_diff = date_diff(in);
    const double diff = static_cast<double>(in.date_diff->value_or(0));
    auto lo = number_arg(a[0]), hi = number_arg(a[1]);
    return (!lo || diff >= 3600 * *lo) && (!hi || diff < 3600 * *hi) ? 1 : 0;
}

double recipients_similarity(const ScanInput& in) {
    constexpr std::size_t kSimilarCount = 5, kPrefix = 2;
    std::vector<std::string> inputs = addresses(in, "ToCc");
    if (inputs.size() < kSimilarCount) {
        auto bcc = addresses(in, "Bcc");
        inputs.insert(inputs.end(), bcc.begin(), bcc.end());
    }
    std::vector<std::string> address;
    std::string previous;
    for (const auto& cur : inputs) {
        if (cur.empty() || cur == "0") break;   // Perl's while (shift) stops on a false value
        if (to_lower_ascii(cur) != to_lower_ascii(previous)) address.push_back(previous = cur);
        if (address.size() == 256) break;
    }
    if (address.size() < kSimilarCount) return 0;
    std::vector<std::string> fqhn;
    for (const auto& a : address) {
        auto at = a.find('@');
        if (at != std::string::npos) fqhn.push_back(a.substr(at + 1));
    }
    auto at_or_empty = [](const std::vector<std::string>& v, std::size_t i) { return i < v.size() ? v[i] : std::string(); };
    double hits = 0, combinations = 0;
    for (std::size_t i = 0; i < address.size(); ++i)
        for (std::size_t j = i + 1; j < address.size(); ++j) {
            hits += address[i].substr(0, kPrefix) == address[j].substr(0, kPrefix);
            std::string fi = at_or_empty(fqhn, i), fj = at_or_empty(fqhn, j);
            hits += fi.substr(0, kPrefix) == fj.substr(0, kPrefix) && fi != fj;
            ++combinations;
        }
    return hits / combinations;
}

int similar_recipients(const ScanInput& in, const EvalArgs& a) { return in_range(recipients_similarity(in), a) ? 1 : 0; }

}  // namespace

void register_header_evals(EvalRegistry& r) {
    r.add("check_for_missing_to_header", {missing_to, no_args});
    r.add("check_equal_from_domains", {equal_from_domains, no_args});
    r.add("subject_is_all_caps", {subject_all_caps, no_args});
    r.add("check_outlook_message_id", {outlook_message_id, no_args});
    r.add("check_for_shifted_date", {shifted_date, two_numbers});
    r.add("similar_recipients", {similar_recipients, two_numbers});
}

}  // namespace mw::spam
