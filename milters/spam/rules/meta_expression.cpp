#include "milters/spam/rules/meta_expression.hpp"

#include <array>
#include <cstdlib>

#include "common/base/limits.hpp"

namespace mw::spam {
namespace {

using Kind = MetaExpression::Op::Kind;

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct Token {
    enum class Type { Number, Name, Op, End } type = Type::End;
    std::string_view text;
};

// Binary operators by Perl precedence level, lowest first: || && (== !=) (< > <= >=) (+ -) (* /).
struct Binary {
    std::string_view text;
    Kind kind;
    int level;
};
constexpr std::array<Binary, 12> kBinary{{
    {"||", Kind::Or, 0}, {"&&", Kind::And, 1}, {"==", Kind::Eq, 2}, {"!=", Kind::Ne, 2},
    {"<=", Kind::Le, 3}, {">=", Kind::Ge, 3}, {"<", Kind::Lt, 3}, {">", Kind::Gt, 3},
    {"+", Kind::Add, 4}, {"-", Kind::Sub, 4}, {"*", Kind::Mul, 5}, {"/", Kind::Div, 5}}};
constexpr int kLevels = 6;

const Binary* binary_for(const Token& t, int level) {
    if (t.type != Token::Type::Op) return nullptr;
    for (const auto& b : kBinary)
        if (b.level == level && b.text == t.text) return &b;
    return nullptr;
}

bool is_comparison(int level) { return level == 2 || level == 3; }

class Lexer {
public:
    explicit Lexer(std::string_view s) : s_(s) {}

    Result<Token> next() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
        if (pos_ >= s_.size()) return Token{};
        const char c = s_[pos_];
        std::size_t n = 1;
        Token::Type type = Token::Type::Op;
        if (is_digit(c) || (c == '.' && pos_ + 1 < s_.size() && is_digit(s_[pos_ + 1]))) {
            type = Token::Type::Number;
            while (pos_ + n < s_.size() && (is_digit(s_[pos_ + n]) || s_[pos_ + n] == '.')) ++n;
        } else if (is_alpha(c)) {
            type = Token::Type::Name;
            while (pos_ + n < s_.size() && (is_alpha(s_[pos_ + n]) || is_digit(s_[pos_ + n]))) ++n;
        } else if (is_two_char(s_.substr(pos_, 2))) {
            n = 2;
        } else if (std::string_view("()!<>+-*/").find(c) == std::string_view::npos) {
            // SA refuses :: -> $ @ % ; { } outright; ^ ?: are Perl we do not evaluate.
            return fail(ErrorCode::Invalid, std::string("invalid meta token '") + c + "'");
        }
        Token t{type, s_.substr(pos_, n)};
        pos_ += n;
        return t;
    }

private:
    static bool is_two_char(std::string_view t) {
        return t == "||" || t == "&&" || t == "==" || t == "!=" || t == "<=" || t == ">=";
    }
    std::string_view s_;
    std::size_t pos_ = 0;
};

// Perl semantics: && and || yield an operand, comparisons and ! yield 1 or "" (0).
bool apply(Kind kind, double a, double b, double& out) {
    switch (kind) {
        case Kind::And: out = a == 0 ? a : b; return true;
        case Kind::Or: out = a != 0 ? a : b; return true;
        case Kind::Add: out = a + b; return true;
        case Kind::Sub: out = a - b; return true;
        case Kind::Mul: out = a * b; return true;
        case Kind::Div:
            if (b == 0) return false;  // Perl dies: SA's meta sub fails, the rule does not hit
            out = a / b;
            return true;
        case Kind::Lt: out = a < b; return true;
        case Kind::Gt: out = a > b; return true;
        case Kind::Le: out = a <= b; return true;
        case Kind::Ge: out = a >= b; return true;
        case Kind::Eq: out = a == b; return true;
        case Kind::Ne: out = a != b; return true;
        default: return false;
    }
}

// Runs the postfix program; false when Perl would die (division by zero).
bool execute(const std::vector<MetaExpression::Op>& program, const std::function<double(int)>& hits,
             double& result) {
    std::array<double, limits::kMaxSpamMetaStack> stack{};
    std::size_t top = 0;
    for (const auto& op : program) {
        switch (op.kind) {
            case Kind::Number: stack[top++] = op.number; break;
            case Kind::Rule: stack[top++] = op.rule < 0 ? 0.0 : hits(op.rule); break;
            case Kind::Not: stack[top - 1] = stack[top - 1] == 0 ? 1.0 : 0.0; break;
            case Kind::Neg: stack[top - 1] = -stack[top - 1]; break;
            default:
                --top;
                if (!apply(op.kind, stack[top - 1], stack[top], stack[top - 1])) return false;
        }
    }
    result = top == 1 ? stack[0] : 0;
    return true;
}

}  // namespace

// Recursive descent over the precedence table, emitting postfix ops.
class MetaParser {
public:
    MetaParser(std::string_view text, const std::function<int(std::string_view)>& resolve)
        : lexer_(text), resolve_(resolve) {}

    Result<MetaExpression> run() {
        if (auto ok = advance(); !ok) return fail(ok.error());
        if (auto ok = parse_level(0, 0); !ok) return fail(ok.error());
        if (current_.type != Token::Type::End)
            return fail(ErrorCode::Invalid, "unexpected '" + std::string(current_.text) + "'");
        if (auto ok = check_stack(); !ok) return fail(ok.error());
        // SA's is_meta_valid runs the expression with every rule at 0 and refuses it if it dies.
        double ignored = 0;
        if (!execute(expr_.program_, [](int) { return 0.0; }, ignored))
            return fail(ErrorCode::Invalid, "division by zero possible");
        return std::move(expr_);
    }

private:
    Result<void> advance() {
        auto t = lexer_.next();
        if (!t) return fail(t.error());
        current_ = *t;
        return {};
    }

    void emit(Kind kind, double number = 0, int rule = -1) {
        expr_.program_.push_back(MetaExpression::Op{kind, number, rule});
    }

    Result<void> parse_level(int level, int depth) {
        if (depth > limits::kMaxSpamMetaDepth) return fail(ErrorCode::TooLong, "meta nested too deeply");
        if (level == kLevels) return parse_unary(depth);
        if (auto ok = parse_level(level + 1, depth); !ok) return ok;
        bool compared = false;
        while (const Binary* op = binary_for(current_, level)) {
            // Perl: comparisons do not chain (a < b < c is a syntax error before 5.32).
            if (compared) return fail(ErrorCode::Invalid, "comparison operators do not chain");
            compared = is_comparison(level);
            if (auto ok = advance(); !ok) return ok;
            if (auto ok = parse_level(level + 1, depth); !ok) return ok;
            emit(op->kind);
        }
        return {};
    }

    Result<void> parse_unary(int depth) {
        if (current_.type == Token::Type::Op &&
            (current_.text == "!" || current_.text == "-" || current_.text == "+")) {
            const std::string_view op = current_.text;
            if (depth > limits::kMaxSpamMetaDepth) return fail(ErrorCode::TooLong, "meta nested too deeply");
            if (auto ok = advance(); !ok) return ok;
            if (auto ok = parse_unary(depth + 1); !ok) return ok;
            if (op == "!") emit(Kind::Not);
            else if (op == "-") emit(Kind::Neg);
            return {};
        }
        return parse_primary(depth);
    }

    Result<void> parse_primary(int depth) {
        const Token t = current_;
        if (t.type == Token::Type::End) return fail(ErrorCode::Invalid, "meta expression ends early");
        if (auto ok = advance(); !ok) return ok;
        if (t.type == Token::Type::Number) return number(t.text);
        if (t.type == Token::Type::Name) return name(t.text);
        if (t.text != "(") return fail(ErrorCode::Invalid, "unexpected '" + std::string(t.text) + "'");
        if (auto ok = parse_level(0, depth + 1); !ok) return ok;
        if (current_.type != Token::Type::Op || current_.text != ")")
            return fail(ErrorCode::Invalid, "missing ')'");
        return advance();
    }

    Result<void> number(std::string_view text) {
        // SA's is_meta_valid accepts \d+(\.\d+)? only.
        if (text.find('.') != text.rfind('.') || text.back() == '.' || text.front() == '.')
            return fail(ErrorCode::Invalid, "invalid number '" + std::string(text) + "'");
        emit(Kind::Number, std::strtod(std::string(text).c_str(), nullptr));
        return {};
    }

    Result<void> name(std::string_view text) {
        if (text.size() > 128) return fail(ErrorCode::Invalid, "rule name too long");
        const int id = resolve_(text);
        expr_.references_.emplace_back(std::string(text), id);
        emit(Kind::Rule, 0, id);
        return {};
    }

    // Largest evaluation stack, so evaluate() can use a fixed array.
    Result<void> check_stack() const {
        std::size_t depth = 0, most = 0;
        for (const auto& op : expr_.program_) {
            if (op.kind == Kind::Number || op.kind == Kind::Rule) most = std::max(most, ++depth);
            else if (op.kind != Kind::Not && op.kind != Kind::Neg) --depth;
        }
        if (most > limits::kMaxSpamMetaStack) return fail(ErrorCode::TooLong, "meta expression too complex");
        return {};
    }

    Lexer lexer_;
    const std::function<int(std::string_view)>& resolve_;
    Token current_;
    MetaExpression expr_;
};

Result<MetaExpression> MetaExpression::parse(std::string_view text,
                                             const std::function<int(std::string_view)>& resolve) {
    if (text.size() > limits::kMaxSpamMetaLength)
        return fail(ErrorCode::TooLong, "meta expression longer than kMaxSpamMetaLength");
    // Bug 8061: "meta NAME ()" declares a rule set by other means; it evaluates to 0.
    std::string squeezed;
    for (char c : text)
        if (c != ' ' && c != '\t') squeezed += c;
    if (squeezed == "()") return MetaParser("0", resolve).run();
    return MetaParser(text, resolve).run();
}

double MetaExpression::evaluate(const std::function<double(int)>& hits) const {
    double result = 0;
    return execute(program_, hits, result) ? result : 0;
}

}  // namespace mw::spam
