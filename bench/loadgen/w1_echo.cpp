// W1 echo: each connection sends into a room of its own and waits for its message to come
// back before sending the next (a closed loop). Measures messages per server CPU-second.
#include <string>
#include <vector>

#include "bench_run.hpp"
#include "clock.hpp"
#include "frame_fields.hpp"
#include "latency_samples.hpp"

namespace parley::bench {

namespace {

struct EchoState {
  std::string room;
  std::uint64_t sent = 0;
  bool ready = false;
};

// Connects `n` clients, each in a room of its own with the assistant off; true when all
// are ready.
bool setup_own_rooms(BenchRun& run, std::size_t n, const std::string& prefix,
                     std::vector<EchoState>& state,
                     std::vector<std::shared_ptr<BenchClient>>& clients) {
  state.assign(n, {});
  std::size_t ready = 0;
  clients = run.connect(n, 64, [&](BenchClient& c) {
    auto& s = state[c.index()];
    s.room = prefix + std::to_string(c.index());
    c.on_frame = [&, &s = s](BenchClient& c, std::string_view f) {
      const auto type = string_field(f, "type");
      if (type == "welcome") {
        c.send(BenchRun::join(s.room));
        c.send(BenchRun::assistant_off(s.room));
      } else if (!s.ready && (type == "room" || type == "error")) {
        s.ready = true;
        ++ready;
      }
    };
    c.send(BenchRun::hello(prefix + numbered("u", c.index())));
  });
  return run.run_until([&] { return ready == n; }, 60);
}

}  // namespace

bool run_w1_echo(BenchRun& run) {
  const auto& o = run.options();
  std::vector<EchoState> state;
  std::vector<std::shared_ptr<BenchClient>> clients;
  const std::string prefix = numbered("w1", now_ns() % 100000) + "r";
  if (!setup_own_rooms(run, o.connections, prefix, state, clients)) {
    run.report().add("error", "not every connection could join");
    return false;
  }
  LatencySamples latency;
  bool measuring = false;
  std::uint64_t echoed = 0;
  for (auto& c : clients) {
    c->on_frame = [&](BenchClient& c, std::string_view f) {
      if (string_field(f, "type") != "message") return;
      const auto at = sent_at_ns(f);
      if (!at) return;
      if (measuring) {
        latency.add((now_ns() - *at) / 1000);
        ++echoed;
      }
      auto& s = state[c.index()];
      c.send(BenchRun::send(s.room, numbered("c", ++s.sent)));
    };
    auto& s = state[c->index()];
    c->send(BenchRun::send(s.room, numbered("c", ++s.sent)));
  }
  run.run_for(1.0);  // warm up
  const auto m = run.measure(o.seconds, measuring);
  auto& r = run.report();
  r.add("connections", static_cast<double>(o.connections));
  r.add_throughput(static_cast<double>(echoed), m);
  r.add("p50_ms", latency.percentile_ms(50));
  r.add("p99_ms", latency.percentile_ms(99));
  r.add("max_ms", latency.percentile_ms(100));
  r.add("server_rss_kb", m.after.rss_kb);
  if (m.writes >= 0) r.add("write_syscalls_per_msg", echoed ? double(m.writes) / echoed : 0);
  for (auto& c : clients) c->close();
  return true;
}

// One connection, up to `window` sends in flight: how fast a single client can post.
bool run_w1_pipeline(BenchRun& run) {
  const auto& o = run.options();
  std::vector<EchoState> state;
  std::vector<std::shared_ptr<BenchClient>> clients;
  const std::string prefix = numbered("w1p", now_ns() % 100000) + "r";
  if (!setup_own_rooms(run, 1, prefix, state, clients) || !clients[0]) {
    run.report().add("error", "the connection could not join");
    return false;
  }
  auto& c = *clients[0];
  auto& s = state[0];
  LatencySamples latency;
  bool measuring = false;
  std::uint64_t echoed = 0, acked = 0, in_flight = 0;
  std::uint64_t last_ack_seq = 0;
  bool acks_in_order = true;
  auto top_up = [&] {
    while (in_flight < o.window) {
      ++in_flight;
      c.send(BenchRun::send(s.room, numbered("c", ++s.sent)));
    }
  };
  c.on_frame = [&](BenchClient&, std::string_view f) {
    const auto type = string_field(f, "type");
    if (type == "ack") {
      const auto seq = number_field(f, "seq").value_or(0);
      if (seq <= last_ack_seq) acks_in_order = false;
      last_ack_seq = seq;
      if (measuring) ++acked;
    } else if (type == "message") {
      const auto at = sent_at_ns(f);
      if (!at) return;
      --in_flight;
      if (measuring) {
        latency.add((now_ns() - *at) / 1000);
        ++echoed;
      }
      top_up();
    }
  };
  top_up();
  run.run_for(1.0);
  const auto m = run.measure(o.seconds, measuring);
  auto& r = run.report();
  r.add("window", static_cast<double>(o.window));
  r.add_throughput(static_cast<double>(echoed), m);
  r.add("p50_ms", latency.percentile_ms(50));
  r.add("p99_ms", latency.percentile_ms(99));
  if (run.is_parley()) r.add("acks_in_order", acks_in_order ? "yes" : "no");
  c.close();
  return true;
}

}  // namespace parley::bench
