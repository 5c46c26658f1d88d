// Recovery under fire: several real clients (the shared client Session over real
// WebSockets) chat while the assistant streams, their connections are cut at random
// moments, the server is killed mid-reply and restarted; afterwards every client's view
// of the room equals the server's history — same positions, no gap, no duplicate — and
// every message sent was stored exactly once.
#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "chat_steps.hpp"
#include "server_process.hpp"
#include "session_client.hpp"

namespace parley::itest {
namespace {

using client::Entry;
using protocol::ChatMessage;
using protocol::MessageStatus;

struct Crowd {
  boost::asio::io_context ioc;
  std::vector<std::unique_ptr<SessionClient>> clients;

  // Steps every client for `ms` of wall time, calling `each` between rounds.
  void run_for(std::int64_t ms, const std::function<void()>& each = {}) {
    const std::int64_t until = steady_ms() + ms;
    while (steady_ms() < until) round(each);
  }
  void round(const std::function<void()>& each) {
    ioc.run_for(std::chrono::milliseconds(5));
    if (ioc.stopped()) ioc.restart();
    for (auto& c : clients) c->step(steady_ms());
    if (each) each();
  }
  // Runs until `done` holds, failing after `deadline_ms`.
  bool run_until(const std::function<bool()>& done, std::int64_t deadline_ms) {
    const std::int64_t until = steady_ms() + deadline_ms;
    while (!done()) {
      if (steady_ms() > until) return false;
      round({});
    }
    return true;
  }
};

bool settled(const SessionClient& c, std::uint64_t head) {
  const auto& s = c.session();
  if (!c.connected() || s.position() != head) return false;
  for (const Entry& e : s.transcript().entries()) {
    if (e.pending() || e.status == MessageStatus::streaming) return false;
  }
  return true;
}

// The client's transcript must be the server's shown history, entry for entry.
void expect_same_as_server(const SessionClient& c, const std::vector<ChatMessage>& stored) {
  const auto& entries = c.session().transcript().entries();
  ASSERT_EQ(entries.size(), stored.size()) << c.session().user();
  for (std::size_t i = 0; i < stored.size(); ++i) {
    SCOPED_TRACE(c.session().user() + " at seq " + std::to_string(stored[i].seq));
    EXPECT_EQ(entries[i].seq, stored[i].seq);
    EXPECT_EQ(entries[i].author, stored[i].author);
    EXPECT_EQ(entries[i].text, stored[i].text);
    EXPECT_EQ(entries[i].status, stored[i].status);
  }
}

std::uint64_t head_of(std::uint16_t port) { return full_history(port, "lobby").head_seq; }

// Every event of the room, 1..head, exactly once, and each text sent stored once.
void expect_complete_history(const protocol::Joined& all, const std::vector<std::string>& sent) {
  for (std::size_t i = 0; i < all.history.size(); ++i) {
    ASSERT_EQ(all.history[i].seq, i + 1) << "gap or duplicate in the stored history";
  }
  std::map<std::string, int> stored;
  for (const auto& m : all.history)
    if (m.kind == protocol::MessageKind::user) ++stored[m.text];
  for (const auto& text : sent) EXPECT_EQ(stored[text], 1) << "'" << text << "' stored";
  EXPECT_EQ(stored.size(), sent.size());
}

TEST(Recovery, RandomCutsWhileChattingLoseNothingAndDoubleNothing) {
  ServerProcess::Options options;
  options.assistant_delay_ms = 3;
  options.checkpoint_ms = 20;
  ServerProcess server(options);
  const std::uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);

  Crowd crowd;
  for (const char* name : {"ann", "bob", "cat"}) {
    crowd.clients.push_back(std::make_unique<SessionClient>(
        crowd.ioc, [&] { return server.port(); }, name, rng()));
  }
  ASSERT_TRUE(crowd.run_until([&] {
    for (auto& c : crowd.clients) if (!c->connected()) return false;
    return true;
  }, 10000));

  std::vector<std::string> sent;
  const int per_client = 8;
  std::vector<int> count(crowd.clients.size(), 0);
  std::uniform_int_distribution<int> pick(0, 99);
  crowd.run_until([&] {
    for (std::size_t i = 0; i < crowd.clients.size(); ++i) {
      auto& c = *crowd.clients[i];
      const int dice = pick(rng);
      if (dice < 4 && count[i] < per_client) {
        std::string text = c.session().user();
        text += " says ";
        text += std::to_string(count[i]++);
        c.session().send(text, steady_ms());
        sent.push_back(text);
        if (pick(rng) < 30) c.cut();  // right after a send
      } else if (dice < 6) {
        c.cut();  // anywhere: mid-stream, mid-resume, mid-send
      }
    }
    for (int n : count) if (n < per_client) return false;
    return true;
  }, 60000);

  // Calm: let everything land, then compare each view with the store.
  ASSERT_TRUE(crowd.run_until([&] {
    const std::uint64_t head = head_of(server.port());
    for (auto& c : crowd.clients) if (!settled(*c, head)) return false;
    return true;
  }, 30000)) << "the clients did not converge";
  std::size_t cuts = 0;
  for (auto& c : crowd.clients) cuts += c->cuts();
  EXPECT_GE(cuts, 5u) << "the test must actually cut connections";
  const protocol::Joined all = full_history(server.port(), "lobby");
  expect_complete_history(all, sent);
  const auto stored = shown(all.history);
  for (auto& c : crowd.clients) expect_same_as_server(*c, stored);
  std::printf("recovery: %zu messages, %zu cuts, %llu events\n", sent.size(), cuts,
              static_cast<unsigned long long>(all.head_seq));
}

TEST(Recovery, ServerKilledMidStreamAndRestarted) {
  ServerProcess::Options options;
  options.assistant_delay_ms = 60;
  options.checkpoint_ms = 20;
  ServerProcess server(options);
  Crowd crowd;
  for (const char* name : {"ann", "bob"}) {
    crowd.clients.push_back(std::make_unique<SessionClient>(
        crowd.ioc, [&] { return server.port(); }, name, 7));
  }
  ASSERT_TRUE(crowd.run_until([&] {
    return crowd.clients[0]->connected() && crowd.clients[1]->connected();
  }, 10000));
  auto& ann = *crowd.clients[0];
  auto& bob = *crowd.clients[1];
  ann.session().send("a long question", steady_ms());
  // Wait until bob has seen a good part of the reply stream in.
  ASSERT_TRUE(crowd.run_until([&] {
    for (const Entry& e : bob.session().transcript().entries())
      if (e.status == MessageStatus::streaming && e.text.size() > 20) return true;
    return false;
  }, 10000));

  server.stop(SIGKILL);
  // While the server is down, bob writes: it waits in his outbox.
  crowd.run_until([&] { return !bob.connected(); }, 10000);
  bob.session().send("written while the server was down", steady_ms());
  crowd.run_for(100);
  EXPECT_EQ(bob.session().transcript().find_client_id("bob-1")->delivery,
            client::Delivery::sending);

  server.set_assistant_delay_ms(2);
  server.start();
  ASSERT_TRUE(crowd.run_until([&] {
    const std::uint64_t head = head_of(server.port());
    return settled(ann, head) && settled(bob, head);
  }, 30000)) << "the clients did not converge after the restart";

  const protocol::Joined all = full_history(server.port(), "lobby");
  expect_complete_history(all, {"a long question", "written while the server was down"});
  const auto stored = shown(all.history);
  ASSERT_GE(stored.size(), 3u);
  EXPECT_EQ(stored[1].status, MessageStatus::interrupted) << "the cut reply is kept";
  EXPECT_FALSE(stored[1].text.empty()) << "with its checkpointed text";
  expect_same_as_server(ann, stored);
  expect_same_as_server(bob, stored);
}

TEST(Recovery, LongGapIsPagedThroughInBoundedPages) {
  ServerProcess::Options options;
  options.assistant_delay_ms = 0;
  ServerProcess server(options);
  Crowd crowd;
  crowd.clients.push_back(std::make_unique<SessionClient>(
      crowd.ioc, [&] { return server.port(); }, "ann", 3));
  auto& ann = *crowd.clients[0];
  ASSERT_TRUE(crowd.run_until([&] { return ann.connected(); }, 10000));
  ann.cut();
  // Ann's client is not stepped while another client writes 450 messages (with the
  // replies and their ends, 1350 events): she is away for all of it.
  auto bob = connect_as(server.port(), "bob");
  join(*bob, "lobby", 0);
  // In batches, reading as it goes: a client that never reads is closed as a slow
  // consumer (1008) once its queue holds 4096 frames.
  for (int batch = 0; batch < 45; ++batch) {
    for (int i = 0; i < 10; ++i) {
      std::string id = "bulk-";
      id += std::to_string(batch * 10 + i);
      bob->send(protocol::Send{"lobby", id, "bulk"});
    }
    std::size_t completed = 0;
    while (completed < 10) {
      const protocol::Message m = bob->read();
      if (std::holds_alternative<protocol::StreamCompleted>(m)) ++completed;
    }
  }
  ASSERT_TRUE(crowd.run_until([&] { return settled(ann, head_of(server.port())); }, 30000));
  EXPECT_EQ(ann.session().position(), 1350u);
  EXPECT_EQ(ann.session().resume_pages(), 3u) << "1350 events in pages of 500";
  expect_same_as_server(ann, shown(full_history(server.port(), "lobby").history));

  // The pages themselves, from a raw client resuming from 0: none over 500 events.
  auto raw = connect_as(server.port(), "raw");
  const protocol::Joined first = join(*raw, "lobby", 0);
  std::size_t pages = 0;
  const protocol::Joined all = resume_all(*raw, "lobby", first.epoch, 0, 0, &pages);
  EXPECT_EQ(all.history.size(), 1350u);
  EXPECT_EQ(pages, 3u) << "500 + 500 + 350";
}

// Scroll-back with the real client Session: starting from the newest 50 events it
// fetches older pages until the first message while new messages keep arriving, and
// ends holding exactly the server's history.
TEST(Recovery, ScrollingBackFetchesOlderPagesUpToTheFirstMessage) {
  ServerProcess::Options options;
  options.assistant_delay_ms = 0;
  ServerProcess server(options);
  auto bob = connect_as(server.port(), "bob");
  join(*bob, "lobby", 0);
  auto write = [&](int from, int count) {
    for (int i = from; i < from + count; ++i) {
      std::string id = "old-";
      id += std::to_string(i);
      bob->send(protocol::Send{"lobby", id, "message " + id});
      bob->read_until<protocol::StreamCompleted>();
    }
  };
  write(0, 120);  // 360 events with the replies and their ends

  Crowd crowd;
  crowd.clients.push_back(std::make_unique<SessionClient>(
      crowd.ioc, [&] { return server.port(); }, "ann", 5));
  auto& ann = *crowd.clients[0];
  ASSERT_TRUE(crowd.run_until([&] { return ann.connected(); }, 10000));
  EXPECT_GT(ann.session().floor(), 300u) << "only the newest events at first";
  std::size_t pages = 0;
  bool wrote_more = false;
  ASSERT_TRUE(crowd.run_until(
      [&] {
        if (!ann.session().has_older() && !ann.session().loading_older()) return true;
        if (!ann.session().loading_older()) {
          ann.session().load_older(100);
          if (ann.session().loading_older()) ++pages;
        }
        if (pages == 2 && !wrote_more) {
          wrote_more = true;
          write(1000, 5);  // live events while scrolling back
        }
        return false;
      },
      30000));
  EXPECT_GE(pages, 4u) << "about 310 older events in pages of 100";
  ASSERT_TRUE(crowd.run_until([&] { return settled(ann, head_of(server.port())); }, 10000));
  EXPECT_EQ(ann.session().floor(), 1u);
  expect_same_as_server(ann, shown(full_history(server.port(), "lobby").history));
}

}  // namespace
}  // namespace parley::itest
