#include "calculator.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace parley::server {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Calculation run() {
    Calculation c;
    if (s_.size() > Calculator::kMaxLength) return fail("the expression is too long");
    skip();
    if (pos_ == s_.size()) return fail("the expression is empty");
    const double v = sum();
    if (!error_.empty()) return fail(error_);
    skip();
    if (pos_ != s_.size()) return fail(unexpected());
    if (!std::isfinite(v)) return fail("the result is too large");
    c.ok = true;
    c.value = v;
    return c;
  }

 private:
  static Calculation fail(std::string why) {
    Calculation c;
    c.error = std::move(why);
    return c;
  }
  std::string unexpected() const {
    if (pos_ >= s_.size()) return "the expression ends too early";
    return std::string("unexpected '") + s_[pos_] + "' at " + std::to_string(pos_ + 1);
  }
  void skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool take(char c) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  double set_error(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return 0;
  }

  // sum := product (('+' | '-') product)*
  double sum() {
    double v = product();
    while (error_.empty()) {
      if (take('+')) v += product();
      else if (take('-')) v -= product();
      else break;
    }
    return v;
  }
  // product := unary (('*' | '/' | '%') unary)*
  double product() {
    double v = unary();
    while (error_.empty()) {
      if (take('*')) {
        v *= unary();
      } else if (take('/')) {
        const double d = unary();
        if (d == 0) return set_error("division by zero");
        v /= d;
      } else if (take('%')) {
        const double d = unary();
        if (d == 0) return set_error("division by zero");
        v = std::fmod(v, d);
      } else {
        break;
      }
    }
    return v;
  }
  // unary := ('-' | '+') unary | power
  double unary() {
    if (++depth_ > Calculator::kMaxDepth) return set_error("the expression is nested too deeply");
    double v;
    if (take('-')) v = -unary();
    else if (take('+')) v = unary();
    else v = power();
    --depth_;
    return v;
  }
  // power := atom ('^' unary)?   (right associative: 2^3^2 = 2^9)
  double power() {
    const double base = atom();
    if (error_.empty() && take('^')) return std::pow(base, unary());
    return base;
  }
  // atom := number | '(' sum ')'
  double atom() {
    skip();
    if (take('(')) {
      if (++depth_ > Calculator::kMaxDepth) return set_error("the expression is nested too deeply");
      const double v = sum();
      --depth_;
      if (!error_.empty()) return 0;
      if (!take(')')) return set_error(pos_ >= s_.size() ? "a ')' is missing" : unexpected());
      return v;
    }
    const std::size_t start = pos_;
    while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.'))
      ++pos_;
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E') && pos_ > start) {
      std::size_t p = pos_ + 1;
      if (p < s_.size() && (s_[p] == '+' || s_[p] == '-')) ++p;
      if (p < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p]))) {
        pos_ = p;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      }
    }
    if (pos_ == start) return set_error(unexpected());
    const std::string number(s_.substr(start, pos_ - start));
    char* end = nullptr;
    const double v = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size()) return set_error("'" + number + "' is not a number");
    return v;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::string error_;
};

bool arithmetic_char(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '+' || c == '-' ||
         c == '*' || c == '/' || c == '%' || c == '^' || c == '(' || c == ')' || c == ' ';
}

bool is_operator(char c) { return c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '^'; }

}  // namespace

std::string Calculation::shown() const {
  if (!ok) return error;
  if (std::fabs(value) < 1e15 && value == std::floor(value)) {
    return std::to_string(static_cast<long long>(value));
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", value);
  return buf;
}

Calculation Calculator::evaluate(std::string_view expression) { return Parser(expression).run(); }

std::optional<std::string> Calculator::find_expression(std::string_view text) {
  std::optional<std::string> best;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!arithmetic_char(text[i]) || text[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && arithmetic_char(text[j])) ++j;
    std::string run(text.substr(i, j - i));
    while (!run.empty() && (run.back() == ' ' || is_operator(run.back()) || run.back() == '.'))
      run.pop_back();
    // An operator between two digits (not only a sign, a date's dashes still count: the
    // calculator says what it makes of them).
    bool digit_before = false, op_after_digit = false, digit_after_op = false;
    for (char c : run) {
      if (std::isdigit(static_cast<unsigned char>(c))) {
        if (op_after_digit) digit_after_op = true;
        digit_before = true;
      } else if (is_operator(c) && digit_before) {
        op_after_digit = true;
      }
    }
    if (digit_after_op && (!best || run.size() > best->size())) best = run;
    i = j;
  }
  return best;
}

}  // namespace parley::server
