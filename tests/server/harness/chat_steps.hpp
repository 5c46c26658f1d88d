// The protocol steps most tests start with: connect, hello, join.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "parley/protocol.hpp"
#include "ws_client.hpp"

namespace parley::itest {

// Connects to the server on `port` and completes hello as `name`; throws unless the
// server answers with a welcome for that name.
std::unique_ptr<WsClient> connect_as(std::uint16_t port, const std::string& name);

// Joins `room` and returns the server's joined answer.
protocol::Joined join(WsClient& client, const std::string& room,
                      std::uint32_t history_limit = 50);

// Resumes `room` from (epoch, after_seq): one Join with a position, one page.
protocol::Joined resume(WsClient& client, const std::string& room, const std::string& epoch,
                        std::uint64_t after_seq, std::uint32_t history_limit = 0);

// Resumes and follows every page to the head; the pages' history joined into one.
// `pages`, when given, receives how many Joined frames it took.
protocol::Joined resume_all(WsClient& client, const std::string& room, const std::string& epoch,
                            std::uint64_t after_seq, std::uint32_t history_limit = 0,
                            std::size_t* pages = nullptr);

// Every event of the room from seq 1, read by a fresh connection page by page.
protocol::Joined full_history(std::uint16_t port, const std::string& room);

// The events a transcript shows as messages (everything but reply ends).
std::vector<protocol::ChatMessage> shown(const std::vector<protocol::ChatMessage>& events);

// A fresh connection's view of the room's recent history as a transcript shows it
// (reply ends left out; head_seq is still the room's head).
protocol::Joined history_of(std::uint16_t port, const std::string& room,
                            std::uint32_t history_limit = 200);

}  // namespace parley::itest
