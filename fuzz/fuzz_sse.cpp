// The SSE parser must yield the same events and end in the same state however the
// stream is sliced: it is fed the input whole, one byte at a time, and in slices of
// pseudo-random sizes (derived from the input, so a crash reproduces). The events'
// data then goes through the OpenAI stream decoder, as openai_client.cpp does.
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "openai_stream.hpp"
#include "sse_parser.hpp"

namespace {

using namespace parley::server;

// Small enough that the fuzzer reaches the size limit.
constexpr std::size_t kMaxEventBytes = 1024;

struct Outcome {
  std::vector<SseEvent> events;
  bool failed = false;
  bool mid_event = false;
};

template <class NextSlice>
Outcome parse(std::string_view stream, NextSlice next_slice) {
  SseParser parser(kMaxEventBytes);
  Outcome o;
  while (!stream.empty()) {
    const std::size_t n = std::min(stream.size(), next_slice());
    const bool ok = parser.feed(stream.substr(0, n), o.events);
    PARLEY_FUZZ_CHECK(ok == !parser.failed(), "feed() and failed() disagree");
    stream.remove_prefix(n);
  }
  o.failed = parser.failed();
  o.mid_event = parser.mid_event();
  return o;
}

bool same(const Outcome& a, const Outcome& b) {
  if (a.failed != b.failed || a.events.size() != b.events.size()) return false;
  // A failed parser stops where the limit was crossed: its state is not compared.
  if (!a.failed && a.mid_event != b.mid_event) return false;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const SseEvent& x = a.events[i];
    const SseEvent& y = b.events[i];
    if (x.event != y.event || x.data != y.data || x.id != y.id) return false;
  }
  return true;
}

void decode_openai(const std::vector<SseEvent>& events) {
  OpenAiStreamDecoder decoder;
  for (const SseEvent& event : events) {
    const bool was_over = decoder.over();
    const StreamStep step = decoder.consume(event.data);
    if (was_over) PARLEY_FUZZ_CHECK(step.kind == StreamStep::Kind::malformed, "data after the end");
    if (step.kind != StreamStep::Kind::progress) {
      PARLEY_FUZZ_CHECK(decoder.over(), "a final step ends the stream");
      PARLEY_FUZZ_CHECK(step.kind == StreamStep::Kind::done || !step.error.empty(),
                        "a refused or malformed step says why");
    }
  }
  const bool was_over = decoder.over();
  const StreamStep last = decoder.end_of_stream();
  PARLEY_FUZZ_CHECK(last.kind == StreamStep::Kind::done || last.kind == StreamStep::Kind::malformed,
                    "end_of_stream() completes or fails the stream");
  if (last.kind == StreamStep::Kind::done) {
    PARLEY_FUZZ_CHECK(!was_over && decoder.saw_finish(), "done without a finish reason");
    const Completion& c = decoder.completion();
    PARLEY_FUZZ_CHECK(c.tool_calls.size() <= OpenAiStreamDecoder::kMaxToolCalls, "too many calls");
    for (const ToolCall& call : c.tool_calls) PARLEY_FUZZ_CHECK(!call.name.empty(), "unnamed call");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view stream = parley::fuzz::as_text(data, size);

  const Outcome whole = parse(stream, [&] { return stream.size(); });
  const Outcome bytes = parse(stream, [] { return std::size_t{1}; });
  std::uint64_t state = 1469598103934665603ull;  // FNV-1a of the input seeds the slicing
  for (std::uint8_t b : stream) state = (state ^ b) * 1099511628211ull;
  const Outcome sliced = parse(stream, [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>(state >> 59) + 1;  // 1..32 bytes
  });
  PARLEY_FUZZ_CHECK(same(whole, bytes), "whole and byte-at-a-time feeding differ");
  PARLEY_FUZZ_CHECK(same(whole, sliced), "whole and sliced feeding differ");

  for (const SseEvent& event : whole.events) {
    PARLEY_FUZZ_CHECK(event.data.size() < kMaxEventBytes, "event over the limit");
  }
  decode_openai(whole.events);
  return 0;
}
