#include "calculator.hpp"

#include <gtest/gtest.h>

namespace parley::server {
namespace {

std::string calc(std::string_view e) { return Calculator::evaluate(e).shown(); }

TEST(Calculator, FollowsPrecedenceAndAssociativity) {
  EXPECT_EQ(calc("12*(3+4)"), "84");
  EXPECT_EQ(calc("2 + 3 * 4"), "14");
  EXPECT_EQ(calc("(2 + 3) * 4"), "20");
  EXPECT_EQ(calc("2^3^2"), "512");
  EXPECT_EQ(calc("-2^2"), "-4");
  EXPECT_EQ(calc("10 - 4 - 3"), "3");
  EXPECT_EQ(calc("7 % 3"), "1");
  EXPECT_EQ(calc("1/3"), "0.333333333333");
  EXPECT_EQ(calc("1.5e3 + .5"), "1500.5");
  EXPECT_EQ(calc("--3"), "3");
}

TEST(Calculator, RefusesWhatIsNotArithmeticWithAReason) {
  EXPECT_EQ(calc("1/0"), "division by zero");
  EXPECT_EQ(calc("5 % 0"), "division by zero");
  EXPECT_EQ(calc("(1+2"), "a ')' is missing");
  EXPECT_EQ(calc("1+"), "the expression ends too early");
  EXPECT_EQ(calc("2 * x"), "unexpected 'x' at 5");
  EXPECT_EQ(calc("system(1)"), "unexpected 's' at 1");
  EXPECT_EQ(calc(""), "the expression is empty");
  EXPECT_EQ(calc("1.2.3"), "'1.2.3' is not a number");
  EXPECT_EQ(calc("10^400"), "the result is too large");
  EXPECT_EQ(calc(std::string(40, '(') + "1" + std::string(40, ')')), "the expression is nested too deeply");
  EXPECT_EQ(calc(std::string(300, '1')), "the expression is too long");
}

TEST(Calculator, FindsTheArithmeticInAMessage) {
  EXPECT_EQ(Calculator::find_expression("what is 12*(3+4)?"), "12*(3+4)");
  EXPECT_EQ(Calculator::find_expression("compute 2 + 2, then 10 / 4 please"), "10 / 4") << "the longest";
  EXPECT_EQ(Calculator::find_expression("(100 - 1) * 3 = ?"), "(100 - 1) * 3");
  EXPECT_FALSE(Calculator::find_expression("meet at 10 tomorrow"));
  EXPECT_FALSE(Calculator::find_expression("a -5 degree day"));
  EXPECT_FALSE(Calculator::find_expression("no numbers here"));
}

}  // namespace
}  // namespace parley::server
