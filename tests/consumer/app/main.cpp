// Encodes and decodes a Send through the installed library; exit 0 when it round-trips.
#include <iostream>
#include <parley/codec.hpp>
#include <parley/error_codes.hpp>
#include <parley/validation.hpp>
#include <variant>

int main() {
  namespace protocol = parley::protocol;
  const protocol::Send send{.room = "lobby", .client_id = "c-1", .text = "héllo"};
  const std::string wire = protocol::encode(send);
  std::cout << wire << '\n';

  const protocol::DecodeResult r = protocol::decode(wire);
  if (!r.ok()) {
    std::cerr << "decode failed: " << r.error.code << ": " << r.error.message << '\n';
    return 1;
  }
  if (*r.value != protocol::Message(send)) {
    std::cerr << "decoded message differs from the one encoded\n";
    return 1;
  }
  if (!parley::validation::check_text(send.text)) {
    std::cerr << "validation refused valid text\n";
    return 1;
  }
  if (protocol::decode("[]").error.code != parley::error_codes::bad_json) {
    std::cerr << "a JSON array was not refused as bad_json\n";
    return 1;
  }
  return 0;
}
