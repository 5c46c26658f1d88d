// The calculator on any text, as the assistant uses it: find an expression in a message,
// evaluate it, show the result. A result is finite or an error with a reason; a found
// expression is a piece of the message.
#include <cmath>
#include <string>

#include "calculator.hpp"
#include "fuzz_check.hpp"

namespace {

using parley::server::Calculation;
using parley::server::Calculator;

void check(const Calculation& c) {
  if (c.ok) {
    PARLEY_FUZZ_CHECK(std::isfinite(c.value), "a result is finite");
    PARLEY_FUZZ_CHECK(!c.shown().empty(), "a result shows as text");
  } else {
    PARLEY_FUZZ_CHECK(!c.error.empty(), "a refusal says why");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = parley::fuzz::as_text(data, size);
  check(Calculator::evaluate(text));
  if (const auto found = Calculator::find_expression(text)) {
    PARLEY_FUZZ_CHECK(!found->empty() && text.find(*found) != std::string_view::npos,
                      "the expression found is a piece of the text");
    check(Calculator::evaluate(*found));
  }
  return 0;
}
