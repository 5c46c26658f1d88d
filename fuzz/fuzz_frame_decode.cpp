// protocol::decode on any bytes must return a value or an error, never crash. What
// decodes must survive a round trip: its encoding decodes again to the same message type,
// and from then on encoding is stable (decoding may normalise, e.g. drop a field the
// encoder never writes, but only once).
#include <string>

#include "fuzz_check.hpp"
#include "parley/codec.hpp"

using namespace parley::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const DecodeResult first = decode(parley::fuzz::as_text(data, size));
  if (!first.ok()) {
    PARLEY_FUZZ_CHECK(!first.error.code.empty(), "a refused frame has an error code");
    return 0;
  }
  const std::string encoded = encode(*first.value);
  const DecodeResult second = decode(encoded);
  PARLEY_FUZZ_CHECK(second.ok(), encoded + " -> " + second.error.message);
  PARLEY_FUZZ_CHECK(second.value->index() == first.value->index(), encoded);

  const std::string again = encode(*second.value);
  PARLEY_FUZZ_CHECK(again == encoded, encoded + " != " + again);
  const DecodeResult third = decode(again);
  PARLEY_FUZZ_CHECK(third.ok() && *third.value == *second.value, again);
  return 0;
}
