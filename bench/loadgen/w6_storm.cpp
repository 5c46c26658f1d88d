// W6 recovery storm: `connections` clients in `rooms` rooms note their position and go
// away; `behind` messages are posted into every room; the server restarts; every client
// reconnects at once and resumes from its position. Measures the time until the last one
// holds every event, and checks there is no gap and no duplicate.
#include <boost/asio/steady_timer.hpp>
#include <string>
#include <vector>

#include "bench_run.hpp"
#include "clock.hpp"
#include "frame_fields.hpp"

namespace parley::bench {

namespace {

struct Position {
  std::string epoch;
  std::uint64_t head = 0;  // the last seq the client holds
  std::uint64_t target = 0;
  bool done = false;
};

// Reads every `"seq":N` of the history array in a joined frame, in order.
std::vector<std::uint64_t> history_seqs(std::string_view f) {
  std::vector<std::uint64_t> out;
  const auto start = f.find("\"history\":[");
  if (start == std::string_view::npos) return out;
  for (auto at = f.find("\"seq\":", start); at != std::string_view::npos; at = f.find("\"seq\":", at + 6)) {
    auto v = number_field(f.substr(at), "seq");
    if (v) out.push_back(*v);
  }
  return out;
}

}  // namespace

bool run_w6_storm(BenchRun& run) {
  const auto& o = run.options();
  auto& r = run.report();
  const std::size_t n = o.connections;
  const std::string prefix = numbered("w6", now_ns() % 100000) + "r";
  auto room_of = [&](std::size_t i) { return prefix + std::to_string(i % o.rooms); };
  std::vector<Position> pos(n);

  // 1. The publisher creates every room with the assistant off.
  std::size_t answered = 0;
  auto pub = run.connect(1, 1, [&](BenchClient& c) {
    c.on_frame = [&](BenchClient& c, std::string_view f) {
      const auto type = string_field(f, "type");
      if (type == "welcome") {
        for (std::size_t k = 0; k < o.rooms; ++k) {
          c.send(BenchRun::join(prefix + std::to_string(k)));
          c.send(BenchRun::assistant_off(prefix + std::to_string(k)));
        }
      } else if (type == "room") {
        ++answered;
      }
    };
    c.send(BenchRun::hello("w6pub"));
  });
  if (!pub[0] || !run.run_until([&] { return answered == o.rooms; }, 60)) {
    r.add("error", "the rooms could not be made");
    return false;
  }
  // It goes away while the clients join: thousands of presence changes would pile up in a
  // connection nobody reads.
  pub[0]->close();
  // 2. Every client joins its room and notes the position.
  std::size_t ready = 0;
  auto clients = run.connect(n, 500, [&](BenchClient& c) {
    c.on_frame = [&](BenchClient& c, std::string_view f) {
      const auto type = string_field(f, "type");
      if (type == "welcome") {
        c.send(BenchRun::join(room_of(c.index())));
      } else if (type == "joined") {
        pos[c.index()].epoch = std::string(string_field(f, "epoch"));
        pos[c.index()].head = number_field(f, "head_seq").value_or(0);
        ++ready;
      }
    };
    c.send(BenchRun::hello(numbered("w6u", c.index())));
  });
  if (!run.run_until([&] { return ready == n; }, 120)) {
    r.add("error", "only " + std::to_string(ready) + " clients joined");
    return false;
  }
  for (auto& c : clients)
    if (c) c->close();
  // 3. `behind` messages into every room while they are away, from a fresh connection.
  std::uint64_t echoed = 0;
  std::size_t rejoined = 0;
  pub = run.connect(1, 1, [&](BenchClient& c) {
    c.on_frame = [&](BenchClient& c, std::string_view f) {
      const auto type = string_field(f, "type");
      if (type == "welcome") {
        for (std::size_t k = 0; k < o.rooms; ++k) c.send(BenchRun::join(numbered(prefix.c_str(), k)));
      } else if (type == "joined" && ++rejoined == o.rooms) {
        for (std::size_t m = 0; m < o.behind; ++m)
          for (std::size_t k = 0; k < o.rooms; ++k)
            c.send(BenchRun::send(numbered(prefix.c_str(), k), numbered("b", m)));
      } else if (type == "ack") {
        ++echoed;
      }
    };
    c.send(BenchRun::hello("w6pub"));
  });
  if (!pub[0] || !run.run_until([&] { return echoed == o.behind * o.rooms; }, 120)) {
    r.add("error", "the messages could not be posted");
    return false;
  }
  pub[0]->close();
  for (std::size_t i = 0; i < n; ++i) pos[i].target = pos[i].head + o.behind;
  run.run_for(0.2);

  // 4. Restart, then everyone at once.
  const auto r0 = now_ns();
  run.server().stop();
  if (!run.server().start()) {
    r.add("error", "the server did not come back");
    return false;
  }
  r.add("restart_s", (now_ns() - r0) / 1e9);
  const double rss_before = run.server_stats().rss_kb;
  double rss_peak = rss_before;
  boost::asio::steady_timer sampler(run.ioc());
  bool sampling = true;
  std::function<void()> sample = [&] {
    rss_peak = std::max(rss_peak, run.server_stats().rss_kb);
    if (!sampling) return;
    sampler.expires_after(std::chrono::milliseconds(50));
    sampler.async_wait([&](boost::system::error_code ec) {
      if (!ec) sample();
    });
  };
  sample();
  std::size_t resumed = 0, gaps = 0, duplicates = 0, resets = 0;
  const auto t0 = now_ns();
  auto again = run.connect(n, 1000, [&](BenchClient& c) {
    c.on_frame = [&](BenchClient& c, std::string_view f) {
      auto& p = pos[c.index()];
      const auto type = string_field(f, "type");
      if (type == "welcome") {
        c.send(BenchRun::resume(room_of(c.index()), p.epoch, p.head));
      } else if (type == "joined" && !p.done) {
        if (string_field(f, "resume") == "reset") ++resets;
        for (auto seq : history_seqs(f)) {
          if (seq <= p.head) ++duplicates;
          else if (seq != p.head + 1) ++gaps, p.head = seq;
          else p.head = seq;
        }
        if (f.find("\"more\":true") != std::string_view::npos) {
          c.send(BenchRun::resume(room_of(c.index()), p.epoch, p.head));
        } else {
          if (p.head != p.target) ++gaps;
          p.done = true;
          ++resumed;
        }
      }
    };
    c.send(BenchRun::hello(numbered("w6u", c.index())));
  });
  run.run_until([&] { return resumed == n; }, 120);
  const double storm = (now_ns() - t0) / 1e9;
  sampling = false;
  r.add("clients", static_cast<double>(n));
  r.add("rooms", static_cast<double>(o.rooms));
  r.add("behind", static_cast<double>(o.behind));
  r.add("resumed", static_cast<double>(resumed));
  r.add("all_resumed_s", storm);
  r.add("gaps", static_cast<double>(gaps));
  r.add("duplicates", static_cast<double>(duplicates));
  r.add("resets", static_cast<double>(resets));
  r.add("kb_per_connection_storm", (rss_peak - rss_before) / double(n));
  for (auto& c : again)
    if (c) c->close();
  return resumed == n && gaps == 0 && duplicates == 0;
}

}  // namespace parley::bench
