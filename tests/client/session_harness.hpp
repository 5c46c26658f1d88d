// A Session wired to a simulated transport and clock. Frames the session writes are
// decoded back into protocol messages so tests can assert on them by type.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "parley/client_session.hpp"
#include "parley/codec.hpp"

namespace parley::client::testing {

namespace p = parley::protocol;

inline p::ChatMessage chat(std::uint64_t seq, std::string author, std::string text,
                           std::string client_id = "",
                           p::MessageKind kind = p::MessageKind::user,
                           p::MessageStatus status = p::MessageStatus::complete) {
  p::ChatMessage m;
  m.room = "lobby";
  m.seq = seq;
  m.author = std::move(author);
  m.kind = kind;
  m.text = std::move(text);
  m.client_id = std::move(client_id);
  m.status = status;
  m.ts_ms = 1'700'000'000'000 + static_cast<std::int64_t>(seq);
  if (kind == p::MessageKind::assistant) m.gen_id = "g" + std::to_string(seq);
  return m;
}

struct Harness {
  std::int64_t now = 1'000'000;
  int ids = 0;
  // Appending (not "c" + ...) sidesteps a GCC 12 -Wrestrict false positive.
  std::string next_id() {
    std::string id = "c";
    id += std::to_string(++ids);
    return id;
  }
  double random = 0.5;
  Session session{SessionOptions{}, [this] { return next_id(); },
                  [this] { return random; }};
  std::vector<p::Message> written;  // every frame the session wrote, decoded

  void pump() {
    for (const std::string& frame : session.take_outbox()) {
      p::DecodeResult r = p::decode(frame);
      ASSERT_TRUE(r.ok()) << frame << ": " << r.error.message;
      written.push_back(std::move(*r.value));
    }
  }
  void feed(const p::Message& m) {
    session.on_frame(now, p::encode(m));
    pump();
  }
  void advance(std::int64_t ms) {
    now += ms;
    session.tick(now);
    pump();
  }

  template <class T>
  std::vector<T> written_of() const {
    std::vector<T> out;
    for (const p::Message& m : written) {
      if (const T* t = std::get_if<T>(&m)) out.push_back(*t);
    }
    return out;
  }

  // Opens the transport and answers hello and join the way the server does.
  void open_and_join(std::vector<p::ChatMessage> history = {}, std::uint32_t heartbeat_ms = 15000,
                     std::string epoch = "e1", std::uint32_t max_text_bytes = 8000) {
    ASSERT_TRUE(session.take_connect_request(now));
    session.on_connected(now);
    pump();
    ASSERT_FALSE(written.empty());
    ASSERT_TRUE(std::holds_alternative<p::Hello>(written.back()));
    feed(p::Welcome{session.user(), "parley/test", heartbeat_ms, 65536, max_text_bytes});
    ASSERT_TRUE(std::holds_alternative<p::Join>(written.back()));
    std::uint64_t head = history.empty() ? 0 : history.back().seq;
    feed(p::Joined{"lobby", epoch, head, std::move(history), p::Resume::none, false});
    ASSERT_EQ(session.connection(), ConnectionState::connected);
  }

  void sign_in_and_join(const std::string& name = "ann",
                        std::vector<p::ChatMessage> history = {}) {
    ASSERT_TRUE(static_cast<bool>(session.start(name)));
    open_and_join(std::move(history));
  }

  // Drops the transport and waits out the backoff until a new connection is requested.
  void drop_and_wait(const std::string& reason = "reset") {
    session.on_disconnected(now, reason);
    pump();
    ASSERT_EQ(session.connection(), ConnectionState::reconnecting);
    now += session.reconnect_in_ms(now);
  }

  std::vector<std::uint64_t> seqs() const {
    std::vector<std::uint64_t> out;
    for (const Entry& e : session.transcript().entries()) out.push_back(e.seq);
    return out;
  }
};

}  // namespace parley::client::testing
