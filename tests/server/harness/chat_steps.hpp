// The protocol steps most tests start with: connect, hello, join.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "parley/protocol.hpp"
#include "ws_client.hpp"

namespace parley::itest {

// Connects to the server on `port` and completes hello as `name`; throws unless the
// server answers with a welcome for that name.
std::unique_ptr<WsClient> connect_as(std::uint16_t port, const std::string& name);

// Joins `room` and returns the server's joined answer.
protocol::Joined join(WsClient& client, const std::string& room,
                      std::uint32_t history_limit = 50);

// A fresh connection's view of the room's history.
protocol::Joined history_of(std::uint16_t port, const std::string& room,
                            std::uint32_t history_limit = 200);

}  // namespace parley::itest
