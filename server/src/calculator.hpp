// The assistant's calculator tool: a safe evaluator of arithmetic expressions. Numbers
// (decimal, with an optional fraction and exponent), + - * / % ^ (power, right
// associative), unary minus and plus, and parentheses; nothing else is accepted — no
// names, no calls — so a message can never make it do anything but arithmetic.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parley::server {

struct Calculation {
  bool ok = false;
  double value = 0;
  std::string error;  // why not, when !ok: "division by zero", "unexpected ')' at 5", ...
  std::string shown() const;  // the value as text: integers without ".0", else 12 digits
};

class Calculator {
 public:
  static constexpr std::size_t kMaxLength = 200;
  static constexpr int kMaxDepth = 32;  // nested parentheses

  static Calculation evaluate(std::string_view expression);

  // The longest stretch of `text` that reads as arithmetic with at least one operator
  // between two numbers ("what is 12*(3+4)?" gives "12*(3+4)"), trimmed; nullopt when
  // the text holds none.
  static std::optional<std::string> find_expression(std::string_view text);
};

}  // namespace parley::server
