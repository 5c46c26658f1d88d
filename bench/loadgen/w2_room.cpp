// W2 one big room: `room_size` members, one of them publishing `rate` messages per second
// (an open loop: sends go out on schedule whether or not earlier ones came back). Every
// member measures the latency of every message; undelivered = expected - received.
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "bench_run.hpp"
#include "clock.hpp"
#include "frame_fields.hpp"
#include "latency_samples.hpp"

namespace parley::bench {

bool run_w2_room(BenchRun& run) {
  const auto& o = run.options();
  const std::size_t n = o.room_size;
  const std::string room = numbered("w2r", now_ns() % 1000000);
  auto& r = run.report();
  r.add("room_size", static_cast<double>(n));
  r.add("rate", o.rate);

  // The first member creates the room and turns the assistant off before the rest join.
  std::size_t ready = 0;
  std::uint64_t join_frames = 0;
  std::vector<char> joined(n, 0);
  auto on_setup = [&](BenchClient& c, std::string_view f) {
    ++join_frames;
    const auto type = string_field(f, "type");
    if (type == "welcome") {
      c.send(BenchRun::join(room));
      if (c.index() == 0) c.send(BenchRun::assistant_off(room));
    } else if (!joined[c.index()] &&
               ((c.index() == 0 && (type == "room" || type == "error")) ||
                (c.index() != 0 && type == "joined"))) {
      joined[c.index()] = 1;
      ++ready;
    }
  };
  auto hello = [&](BenchClient& c) {
    c.on_frame = on_setup;
    c.send(BenchRun::hello(numbered("w2u", c.index())));
  };
  auto first = run.connect(1, 1, hello);
  if (!first[0] || !run.run_until([&] { return ready == 1; }, 30)) {
    r.add("error", "the publisher could not join");
    return false;
  }
  const auto join_before = run.server_stats();
  const auto join_t0 = now_ns();
  auto rest = run.connect(n - 1, 200, hello, 1);
  std::vector<std::shared_ptr<BenchClient>> clients{first[0]};
  clients.insert(clients.end(), rest.begin(), rest.end());
  if (!run.run_until([&] { return ready == n; }, 120)) {
    r.add("error", "only " + std::to_string(ready) + " members joined");
    return false;
  }
  // Presence changes still flowing after the last joined frame are part of the joins' cost.
  std::uint64_t seen = join_frames;
  for (;;) {
    run.run_for(0.3);
    if (join_frames == seen) break;
    seen = join_frames;
  }
  const auto join_after = run.server_stats();
  r.add("join_s", (now_ns() - join_t0) / 1e9 - 0.3);
  r.add("join_frames", static_cast<double>(join_frames));
  r.add("join_server_cpu_s", join_after.cpu_seconds - join_before.cpu_seconds);

  LatencySamples latency;
  std::uint64_t received = 0, sent = 0, closed = 0;
  for (auto& c : clients) {
    if (!c) continue;
    c->on_frame = [&](BenchClient&, std::string_view f) {
      if (string_field(f, "type") != "message") return;
      if (const auto at = sent_at_ns(f)) {
        latency.add((now_ns() - *at) / 1000);
        ++received;
      }
    };
    c->on_closed = [&](BenchClient&) { ++closed; };
  }
  auto& publisher = *clients[0];
  boost::asio::steady_timer tick(run.ioc());
  const auto t0 = now_ns();
  const auto end = t0 + static_cast<std::uint64_t>(o.seconds * 1e9);
  std::function<void()> publish = [&] {
    const auto now = now_ns();
    const auto due = static_cast<std::uint64_t>((std::min(now, end) - t0) / 1e9 * o.rate);
    while (sent < due && publisher.is_open()) publisher.send(BenchRun::send(room, numbered("p", ++sent)));
    if (now >= end) return;
    tick.expires_after(std::chrono::milliseconds(1));
    tick.async_wait([&](boost::system::error_code ec) {
      if (!ec) publish();
    });
  };
  SyscallCounter syscalls;
  if (o.count_syscalls) syscalls.start(run.server().pid());
  const auto before = run.server_stats();
  publish();
  run.run_until([&] { return now_ns() >= end; }, o.seconds + 5);
  const auto after = run.server_stats();
  const long long writes = o.count_syscalls ? syscalls.stop() : -1;
  const double wall = (now_ns() - t0) / 1e9;
  // Up to 10 s for what is still in flight; what has not arrived then is undelivered.
  const std::uint64_t expected_at_send = sent * n;
  run.run_until([&] { return received >= sent * (n - closed); }, 10);
  const double cpu = after.cpu_seconds - before.cpu_seconds;
  r.add("sent_per_s", sent / wall);
  r.add("deliveries_per_s", static_cast<double>(received) / wall);
  r.add("undelivered", static_cast<double>(expected_at_send - std::min(received, expected_at_send)));
  r.add("closed", static_cast<double>(closed));
  r.add("server_cpu_pct", 100 * cpu / wall);
  r.add("p50_ms", latency.percentile_ms(50));
  r.add("p99_ms", latency.percentile_ms(99));
  r.add("max_ms", latency.percentile_ms(100));
  r.add("server_rss_kb", after.rss_kb);
  if (writes >= 0) r.add("write_syscalls_per_delivery", received ? double(writes) / received : 0);
  for (auto& c : clients)
    if (c) c->close();
  return true;
}

}  // namespace parley::bench
