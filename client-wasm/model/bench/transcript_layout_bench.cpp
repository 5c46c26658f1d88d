// What the transcript view costs with 100,000 messages held: a full layout (a room
// switch or a resize), one streamed token at the end, a page of 200 older messages put
// in front, and finding a row. Prints figures; asserts nothing.
//
//   parley-layout-bench [messages]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "parley/client_model/transcript_layout.hpp"

namespace {

using namespace parley;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// A proportional font: each byte has its width, summed byte by byte the way ImGui's
// word-wrap measures, breaking after the last space that fits.
const char* proportional_break(const char* begin, const char* end, float width) {
  float x = 0;
  const char* last_space = nullptr;
  for (const char* s = begin; s < end; ++s) {
    x += (*s == ' ') ? 4.0f : (*s >= 'A' && *s <= 'Z') ? 9.0f : 7.0f;
    if (x > width) return last_space != nullptr ? last_space : s;
    if (*s == ' ') last_space = s + 1;
  }
  return end;
}

std::string words(std::mt19937& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s.append(2 + rng() % 8, static_cast<char>('a' + rng() % 26));
    s += ' ';
  }
  return s;
}

protocol::ChatMessage message(std::uint64_t seq, std::string text) {
  protocol::ChatMessage m;
  m.room = "lobby";
  m.seq = seq;
  m.author = seq % 3 == 0 ? "Parley" : "bob";
  m.kind = seq % 3 == 0 ? protocol::MessageKind::assistant : protocol::MessageKind::user;
  m.text = std::move(text);
  m.ts_ms = 1'700'000'000'000;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100'000;
  const float width = 700.0f;  // a laptop's transcript column
  const client::LineBreaker breaker = proportional_break;
  std::mt19937 rng(7);

  client::RoomTranscript transcript;
  std::vector<protocol::ChatMessage> all;
  all.reserve(n);
  std::size_t bytes = 0;
  for (std::uint64_t s = 1; s <= n; ++s) {
    all.push_back(message(s, words(rng, 3 + static_cast<int>(rng() % 60))));
    bytes += all.back().text.size();
  }
  // Held as scroll-back leaves it: the newest 50, then pages of 200 put in front.
  const std::uint64_t newest = std::min<std::uint64_t>(50, n);
  transcript.merge_all({all.end() - static_cast<std::ptrdiff_t>(newest), all.end()}, "ann");
  client::TranscriptLayout layout;
  layout.update(transcript, width, 1, breaker);
  double page_total_ms = 0, page_max_ms = 0;
  std::size_t pages = 0;
  for (std::uint64_t end = n - newest; end > 0;) {
    const std::uint64_t begin = end > 200 ? end - 200 : 0;
    const auto t = Clock::now();
    transcript.merge_older({all.begin() + static_cast<std::ptrdiff_t>(begin),
                            all.begin() + static_cast<std::ptrdiff_t>(end)},
                           "ann");
    layout.update(transcript, width, 1, breaker);
    const double ms = ms_since(t);
    page_total_ms += ms;
    page_max_ms = std::max(page_max_ms, ms);
    ++pages;
    end = begin;
  }

  // A full layout, as after switching rooms or resizing the window.
  auto t = Clock::now();
  layout.update(transcript, width + 1, 1, breaker);
  const double full_ms = ms_since(t);

  // A reply streaming at the end: one token per update.
  transcript.stream_started(protocol::StreamStarted{"lobby", "g", n + 1, n, "Parley", 0});
  std::string reply;
  std::vector<double> token_us;
  for (int i = 0; i < 2000; ++i) {
    const std::string piece = words(rng, 1);
    transcript.stream_delta(protocol::StreamDelta{"lobby", "g", reply.size(), piece});
    reply += piece;
    t = Clock::now();
    layout.update(transcript, width + 1, 1, breaker);
    token_us.push_back(ms_since(t) * 1000.0);
  }
  std::sort(token_us.begin(), token_us.end());

  // Finding rows the way the list clipper asks for them.
  std::uniform_int_distribution<std::size_t> pick(0, layout.row_count() - 1);
  std::size_t sink = 0;
  const int lookups = 1'000'000;
  t = Clock::now();
  for (int i = 0; i < lookups; ++i) sink += layout.row(pick(rng)).end;
  const double lookup_ns = ms_since(t) * 1e6 / lookups;

  std::printf("transcript layout, %llu messages (%.1f MB of text), %zu rows, width %.0f px\n",
              static_cast<unsigned long long>(n), static_cast<double>(bytes) / 1e6,
              layout.row_count(), static_cast<double>(width));
  std::printf("  full layout (room switch, resize):      %8.1f ms\n", full_ms);
  std::printf("  page of 200 older put in front:         %8.2f ms mean, %.2f ms worst (%zu pages)\n",
              page_total_ms / static_cast<double>(pages), page_max_ms, pages);
  std::printf("  one streamed token at the end:          %8.1f us median, %.1f us p99\n",
              token_us[token_us.size() / 2], token_us[token_us.size() * 99 / 100]);
  std::printf("    (rebuilding every row per token would cost the full layout, %.0fx more)\n",
              full_ms * 1000.0 / std::max(token_us[token_us.size() / 2], 0.001));
  std::printf("  finding a row (per clipper lookup):     %8.1f ns\n", lookup_ns);
  return sink == 42 ? 1 : 0;
}
