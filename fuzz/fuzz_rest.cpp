// Every REST endpoint's reading of its request: the JSON bodies of create room, send and
// publish, sign-in and account creation, and the history query string. Nothing throws;
// a refusal is a 400 with a code and a message that names a field; what is accepted is
// within the protocol's bounds.
#include <string>

#include "fuzz_check.hpp"
#include "parley/validation.hpp"
#include "rest_requests.hpp"

namespace {

using namespace parley::server;

template <class T>
const T* accepted(const RestParse<T>& r) {
  if (const auto* e = std::get_if<RestError>(&r)) {
    PARLEY_FUZZ_CHECK(e->status == 400, "a refused body is a 400");
    PARLEY_FUZZ_CHECK(e->code == "bad_json" || e->code == "bad_field" || e->code == "bad_utf8",
                      "a refused body says bad_json, bad_field or bad_utf8");
    PARLEY_FUZZ_CHECK(!e->message.empty(), "a refusal says why");
    return nullptr;
  }
  return &std::get<T>(r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = parley::fuzz::as_text(data, size);
  const auto credentials = parse_credentials(text);
  accepted(credentials);
  const auto room = parse_create_room(text);
  accepted(room);
  const auto send_parse = parse_send(text, "lobby");
  if (const auto* send = accepted(send_parse)) {
    PARLEY_FUZZ_CHECK(send->room == "lobby", "the room is the path's, whatever the body says");
  }
  const auto page_parse = parse_page_query(text);
  if (const auto* page = accepted(page_parse)) {
    PARLEY_FUZZ_CHECK(page->limit >= 1 && page->limit <= parley::validation::kMaxHistoryLimit,
                      "an accepted limit is 1..200");
    PARLEY_FUZZ_CHECK(!(page->after && page->before), "never both after and before");
  }
  return 0;
}
