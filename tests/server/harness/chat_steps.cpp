#include "chat_steps.hpp"

#include <atomic>

namespace parley::itest {

std::unique_ptr<WsClient> connect_as(std::uint16_t port, const std::string& name) {
  auto client = std::make_unique<WsClient>(port);
  client->send(protocol::Hello{name, "parley-itest/1", ""});
  const protocol::Welcome welcome = client->read_until<protocol::Welcome>();
  if (welcome.user != name) {
    throw HarnessError("welcome names '" + welcome.user + "', expected '" + name + "'");
  }
  return client;
}

protocol::Joined join(WsClient& client, const std::string& room, std::uint32_t history_limit) {
  client.send(protocol::Join{room, history_limit, "", std::nullopt});
  protocol::Joined joined = client.read_until<protocol::Joined>();
  if (joined.room != room) {
    throw HarnessError("joined names room '" + joined.room + "', expected '" + room + "'");
  }
  return joined;
}

protocol::Joined resume(WsClient& client, const std::string& room, const std::string& epoch,
                        std::uint64_t after_seq, std::uint32_t history_limit) {
  client.send(protocol::Join{room, history_limit, epoch, after_seq});
  protocol::Joined joined = client.read_until<protocol::Joined>();
  if (joined.room != room) {
    throw HarnessError("joined names room '" + joined.room + "', expected '" + room + "'");
  }
  return joined;
}

protocol::Joined resume_all(WsClient& client, const std::string& room, const std::string& epoch,
                            std::uint64_t after_seq, std::uint32_t history_limit,
                            std::size_t* pages) {
  protocol::Joined all = resume(client, room, epoch, after_seq, history_limit);
  std::size_t count = 1;
  bool more = all.more;
  while (more) {
    if (all.history.empty()) throw HarnessError("a resume page with more=true was empty");
    protocol::Joined next = resume(client, room, all.epoch, all.history.back().seq, 0);
    ++count;
    if (next.resume != protocol::Resume::ok) throw HarnessError("a follow-up page was not ok");
    all.history.insert(all.history.end(), next.history.begin(), next.history.end());
    all.head_seq = next.head_seq;
    more = next.more;
  }
  all.more = false;
  if (pages != nullptr) *pages = count;
  return all;
}

protocol::Joined full_history(std::uint16_t port, const std::string& room) {
  static std::atomic<int> readers{0};
  auto client = connect_as(port, "reader" + std::to_string(++readers));
  const protocol::Joined first = join(*client, room, 0);
  return resume_all(*client, room, first.epoch, 0, 0, nullptr);
}

std::vector<protocol::ChatMessage> shown(const std::vector<protocol::ChatMessage>& events) {
  std::vector<protocol::ChatMessage> out;
  for (const auto& e : events)
    if (e.kind != protocol::MessageKind::end && e.kind != protocol::MessageKind::step) out.push_back(e);
  return out;
}

protocol::Joined history_of(std::uint16_t port, const std::string& room,
                            std::uint32_t history_limit) {
  // Distinct names, in case a server ever refuses a name already connected.
  static std::atomic<int> observers{0};
  auto client = connect_as(port, "observer" + std::to_string(++observers));
  protocol::Joined joined = join(*client, room, history_limit);
  joined.history = shown(joined.history);
  return joined;
}

}  // namespace parley::itest
