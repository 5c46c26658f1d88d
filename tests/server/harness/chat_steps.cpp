#include "chat_steps.hpp"

#include <atomic>

namespace parley::itest {

std::unique_ptr<WsClient> connect_as(std::uint16_t port, const std::string& name) {
  auto client = std::make_unique<WsClient>(port);
  client->send(protocol::Hello{name, "parley-itest/1"});
  const protocol::Welcome welcome = client->read_until<protocol::Welcome>();
  if (welcome.user != name) {
    throw HarnessError("welcome names '" + welcome.user + "', expected '" + name + "'");
  }
  return client;
}

protocol::Joined join(WsClient& client, const std::string& room, std::uint32_t history_limit) {
  client.send(protocol::Join{room, history_limit});
  protocol::Joined joined = client.read_until<protocol::Joined>();
  if (joined.room != room) {
    throw HarnessError("joined names room '" + joined.room + "', expected '" + room + "'");
  }
  return joined;
}

protocol::Joined history_of(std::uint16_t port, const std::string& room,
                            std::uint32_t history_limit) {
  // Distinct names, in case a server ever refuses a name already connected.
  static std::atomic<int> observers{0};
  auto client = connect_as(port, "observer" + std::to_string(++observers));
  return join(*client, room, history_limit);
}

}  // namespace parley::itest
