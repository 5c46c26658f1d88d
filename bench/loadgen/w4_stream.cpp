// W4 streaming: `rooms` rooms, each with `viewers` members; in each room the first member
// asks the built-in assistant and asks again when a reply completes, so `rooms` replies
// stream at once. The server should run with --assistant-delay-ms 20 (50 tokens/s).
// Added delay of a delta = its gap after the previous delta of the same reply at the same
// viewer, minus the nominal gap: what the server's queues added on top of the pacing.
#include <string>
#include <vector>

#include "bench_run.hpp"
#include "clock.hpp"
#include "frame_fields.hpp"
#include "latency_samples.hpp"

namespace parley::bench {

bool run_w4_stream(BenchRun& run) {
  const auto& o = run.options();
  auto& r = run.report();
  const std::size_t n = o.rooms * o.viewers;
  const std::uint64_t nominal_ns = 20'000'000;
  const std::string prefix = numbered("w4", now_ns() % 100000) + "r";
  std::size_t ready = 0;
  std::vector<char> joined(n, 0);
  struct Viewer {
    std::uint64_t last_delta_ns = 0;
  };
  std::vector<Viewer> viewers(n);
  auto room_of = [&](std::size_t i) { return prefix + std::to_string(i / o.viewers); };
  auto setup = [&](BenchClient& c) {
    c.on_frame = [&](BenchClient& c, std::string_view f) {
      if (string_field(f, "type") == "welcome") {
        c.send(BenchRun::join(room_of(c.index())));
      } else if (!joined[c.index()] && string_field(f, "type") == "joined") {
        joined[c.index()] = 1;
        ++ready;
      }
    };
    c.send(BenchRun::hello(numbered("w4u", c.index())));
  };
  // Owners first (they create the rooms), then everyone else.
  std::vector<std::shared_ptr<BenchClient>> clients(n);
  for (std::size_t room = 0; room < o.rooms; ++room) {
    auto one = run.connect(1, 1, setup, room * o.viewers);
    clients[room * o.viewers] = one[0];
  }
  if (!run.run_until([&] { return ready == o.rooms; }, 60)) {
    r.add("error", "rooms could not be created");
    return false;
  }
  for (std::size_t room = 0; room < o.rooms; ++room) {
    auto rest = run.connect(o.viewers - 1, 200, setup, room * o.viewers + 1);
    for (std::size_t k = 0; k + 1 < o.viewers; ++k) clients[room * o.viewers + 1 + k] = rest[k];
  }
  if (!run.run_until([&] { return ready == n; }, 120)) {
    r.add("error", "only " + std::to_string(ready) + " viewers joined");
    return false;
  }
  LatencySamples added;
  bool measuring = false;
  std::uint64_t deltas = 0, completed = 0, asked = 0;
  auto ask = [&](BenchClient& c) {
    ++asked;
    c.send(BenchRun::send(room_of(c.index()), numbered("a", asked),
                          R"(,"options":{"max_tokens":100})"));
  };
  for (auto& c : clients) {
    if (!c) continue;
    c->on_frame = [&](BenchClient& c, std::string_view f) {
      const auto type = string_field(f, "type");
      auto& v = viewers[c.index()];
      if (type == "stream_delta") {
        const auto now = now_ns();
        if (measuring) {
          ++deltas;
          if (v.last_delta_ns)
            added.add(now - v.last_delta_ns > nominal_ns ? (now - v.last_delta_ns - nominal_ns) / 1000 : 0);
        }
        v.last_delta_ns = now;
      } else if (type == "stream_started") {
        v.last_delta_ns = 0;
      } else if (type == "stream_completed") {
        v.last_delta_ns = 0;
        if (c.index() % o.viewers == 0) {
          if (measuring) ++completed;
          ask(c);
        }
      }
    };
  }
  for (std::size_t room = 0; room < o.rooms; ++room)
    if (clients[room * o.viewers]) ask(*clients[room * o.viewers]);
  run.run_for(2.0);  // every reply under way
  const auto m = run.measure(o.seconds, measuring);
  const double wall = m.wall_s, cpu = m.cpu_s;
  r.add("replies_at_once", static_cast<double>(o.rooms));
  r.add("viewers", static_cast<double>(o.viewers));
  r.add("deltas_per_s", deltas / wall);
  r.add("replies_completed", static_cast<double>(completed));
  r.add("server_cpu_pct", 100 * cpu / wall);
  r.add("us_cpu_per_delta", deltas ? 1e6 * cpu / deltas : 0);
  r.add("added_delay_p50_ms", added.percentile_ms(50));
  r.add("added_delay_p99_ms", added.percentile_ms(99));
  r.add("server_rss_kb", m.after.rss_kb);
  if (m.writes >= 0) r.add("write_syscalls_per_delta", deltas ? double(m.writes) / deltas : 0);
  for (auto& c : clients)
    if (c) c->close();
  return true;
}

}  // namespace parley::bench
