// W3 idle connections: signed in (after `welcome`) and silent. The server's resident memory
// is read at `connections` and at `connections_max`; the difference per connection is the
// marginal cost of one idle connection.
#include <sys/resource.h>

#include <string>
#include <vector>

#include "bench_run.hpp"
#include "clock.hpp"
#include "frame_fields.hpp"

namespace parley::bench {

bool run_w3_idle(BenchRun& run) {
  const auto& o = run.options();
  auto& r = run.report();
  std::size_t welcomed = 0;
  auto hello = [&](BenchClient& c) {
    c.on_frame = [&](BenchClient&, std::string_view f) {
      if (string_field(f, "type") == "welcome") ++welcomed;
    };
    c.send(BenchRun::hello(numbered("w3u", c.index())));
  };
  auto settle_rss = [&] {
    // Memory settles once the last handshakes' buffers are released.
    run.run_for(1.0);
    return run.server_stats().rss_kb;
  };
  const double rss0 = settle_rss();
  auto first = run.connect(o.connections, 500, hello);
  run.run_until([&] { return welcomed >= o.connections; }, 60);
  const std::size_t step1 = welcomed;
  const double rss1 = settle_rss();
  auto second = run.connect(o.connections_max - o.connections, 500, hello, o.connections);
  run.run_until([&] { return welcomed >= o.connections_max; }, 120);
  const std::size_t step2 = welcomed;
  const double rss2 = settle_rss();
  r.add("rss_empty_kb", rss0);
  r.add("connections_1", static_cast<double>(step1));
  r.add("rss_1_kb", rss1);
  r.add("connections_2", static_cast<double>(step2));
  r.add("rss_2_kb", rss2);
  r.add("kb_per_connection", step2 > step1 ? (rss2 - rss1) / double(step2 - step1) : 0);
  for (auto& c : first)
    if (c) c->close();
  for (auto& c : second)
    if (c) c->close();
  if (step2 < o.connections_max) {
    r.add("error", "only " + std::to_string(step2) + " connections were welcomed");
    return false;
  }
  return true;
}

}  // namespace parley::bench
