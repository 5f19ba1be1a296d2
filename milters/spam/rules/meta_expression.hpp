// MetaExpression: a SpamAssassin meta rule's expression (`(A && !B) || C`, `(A + B + C) > 1`,
// `A * 2 >= B`), parsed once into a small postfix program and evaluated with each referenced
// rule's hit count. Operators as Perl: ! && || + - * / < > <= >= == != and parentheses;
// numbers; rule names. Rules that are unknown or cannot run count as 0 (SA's behaviour) and are
// listed by references() so lint can report them. Bounded: expression length and depth.
// Thread-safety: immutable after parse; evaluate() is const.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"

namespace mw::spam {

class MetaExpression {
public:
    /// `resolve` maps a rule name to an id the caller understands (e.g. its rule index), or
    /// returns -1 when the name is unknown (the reference then always evaluates to 0).
    static Result<MetaExpression> parse(std::string_view text,
                                        const std::function<int(std::string_view)>& resolve);

    /// `hits(id)` gives the hit count of rule `id`. Result as Perl would compute it (0 = false).
    double evaluate(const std::function<double(int)>& hits) const;

    /// Every rule name the expression mentions, with the id resolve gave it.
    const std::vector<std::pair<std::string, int>>& references() const { return references_; }

    struct Op {
        enum class Kind : uint8_t { Number, Rule, Not, Neg, And, Or, Add, Sub, Mul, Div,
                                    Lt, Gt, Le, Ge, Eq, Ne };
        Kind kind;
        double number = 0;   // Number
        int rule = -1;       // Rule
    };

private:
    friend class MetaParser;    // builds program_ and references_ (meta_expression.cpp)
    std::vector<Op> program_;   // postfix order
    std::vector<std::pair<std::string, int>> references_;
};

}  // namespace mw::spam
