#include "milters/spam/rules/if_condition.hpp"

#include <cstdlib>
#include <vector>

#include "common/base/limits.hpp"

namespace mw::spam {
namespace {

constexpr double kPerlVersion = 5.036000;  // Debian 12's perl, for `perl_version`

bool is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_number_char(char c) { return (c >= '0' && c <= '9') || c == '.'; }

// Tokens as SA's ARITH_EXPRESSION_LEXER cuts them (numbers, names with ::, operators).
Result<std::vector<std::string>> tokenize(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        std::size_t n = 1;
        if (c == ' ' || c == '\t') { ++i; continue; }
        if (is_number_char(c)) {
            while (i + n < s.size() && is_number_char(s[i + n])) ++n;
        } else if (is_word(c)) {
            while (i + n < s.size() && (is_word(s[i + n]) || s[i + n] == ':')) ++n;
        } else if (s.substr(i, 2) == "&&" || s.substr(i, 2) == "||" || s.substr(i, 2) == "<=" ||
                   s.substr(i, 2) == ">=" || s.substr(i, 2) == "==" || s.substr(i, 2) == "!=") {
            n = 2;
        } else if (c != '(' && c != ')' && c != '!' && c != '<' && c != '>') {
            return fail(ErrorCode::Invalid, std::string("unparseable value '") + c + "'");
        }
        out.emplace_back(s.substr(i, n));
        i += n;
    }
    return out;
}

// Recursive descent: or -> and -> compare -> unary -> primary (Perl: ! above comparisons).
class Evaluator {
public:
    Evaluator(std::vector<std::string> tokens, const IfEnvironment& env)
        : tokens_(std::move(tokens)), env_(env) {}

    Result<bool> run() {
        auto v = parse_or(0);
        if (!v) return fail(v.error());
        if (pos_ != tokens_.size()) return fail(ErrorCode::Invalid, "unexpected '" + tokens_[pos_] + "'");
        return *v != 0;
    }

private:
    using Value = Result<double>;

    bool accept(std::string_view t) {
        if (pos_ < tokens_.size() && tokens_[pos_] == t) { ++pos_; return true; }
        return false;
    }

    Value parse_or(int depth) {
        if (depth > limits::kMaxSpamMetaDepth) return fail(ErrorCode::TooLong, "condition nested too deeply");
        auto left = parse_and(depth);
        while (left && accept("||")) {
            auto right = parse_and(depth);
            if (!right) return right;
            left = *left != 0 ? *left : *right;
        }
        return left;
    }

    Value parse_and(int depth) {
        auto left = parse_compare(depth);
        while (left && accept("&&")) {
            auto right = parse_compare(depth);
            if (!right) return right;
            left = *left == 0 ? *left : *right;
        }
        return left;
    }

    Value parse_compare(int depth) {
        auto left = parse_unary(depth);
        if (!left || pos_ >= tokens_.size()) return left;
        const std::string op = tokens_[pos_];
        if (op != "<" && op != ">" && op != "<=" && op != ">=" && op != "==" && op != "!=") return left;
        ++pos_;
        auto right = parse_unary(depth);
        if (!right) return right;
        const double a = *left, b = *right;
        const bool r = op == "<" ? a < b : op == ">" ? a > b : op == "<=" ? a <= b
                     : op == ">=" ? a >= b : op == "==" ? a == b : a != b;
        return r ? 1.0 : 0.0;
    }

    Value parse_unary(int depth) {
        if (accept("!")) {
            if (depth > limits::kMaxSpamMetaDepth) return fail(ErrorCode::TooLong, "condition nested too deeply");
            auto v = parse_unary(depth + 1);
            if (!v) return v;
            return *v == 0 ? 1.0 : 0.0;
        }
        return parse_primary(depth);
    }

    Value parse_primary(int depth) {
        if (pos_ >= tokens_.size()) return fail(ErrorCode::Invalid, "condition ends early");
        const std::string t = tokens_[pos_++];
        if (t == "(") {
            auto v = parse_or(depth + 1);
            if (v && !accept(")")) return fail(ErrorCode::Invalid, "missing ')'");
            return v;
        }
        if (t == "plugin" || t == "can" || t == "has") return call(t);
        if (t == "version") return env_.version;
        if (t == "perl_version") return kPerlVersion;
        if (t == "local_tests_only") return 0.0;  // we run network tests
        if (is_number_char(t[0])) return std::strtod(t.c_str(), nullptr);
        return fail(ErrorCode::Invalid, "unexpected '" + t + "'");
    }

    Value call(const std::string& fn) {
        if (!accept("(") || pos_ >= tokens_.size())
            return fail(ErrorCode::Invalid, fn + " needs (argument)");
        std::string arg = tokens_[pos_++];
        if (!accept(")")) return fail(ErrorCode::Invalid, fn + "(...) needs one name and ')'");
        if (fn == "plugin") return plugin_loaded(arg) ? 1.0 : 0.0;
        if (arg.find("::") == std::string::npos)
            return fail(ErrorCode::Invalid, "cannot find '::' in " + fn + "(" + arg + ")");
        return env_.features && env_.features->count(arg) ? 1.0 : 0.0;
    }

    bool plugin_loaded(std::string name) const {
        // Parser.pm: old module names are renamed; RaciallyCharged always counts as loaded.
        if (name == "Mail::SpamAssassin::Plugin::RaciallyCharged") return true;
        if (name == "Mail::SpamAssassin::Plugin::Dmarc") name = "Mail::SpamAssassin::Plugin::DMARC";
        if (name == "Mail::SpamAssassin::Plugin::WhiteListSubject")
            name = "Mail::SpamAssassin::Plugin::WelcomeListSubject";
        return env_.plugins && env_.plugins->count(name) > 0;
    }

    std::vector<std::string> tokens_;
    const IfEnvironment& env_;
    std::size_t pos_ = 0;
};

}  // namespace

Result<bool> evaluate_if_condition(std::string_view text, const IfEnvironment& env) {
    auto tokens = tokenize(text);
    if (!tokens) return fail(tokens.error());
    if (tokens->empty()) return fail(ErrorCode::Invalid, "empty condition");
    return Evaluator(std::move(*tokens), env).run();
}

}  // namespace mw::spam
