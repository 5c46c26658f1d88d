// Everything one client saw, sorted by kind, so a test can wait for a condition
// ("both replies completed") and then assert on the whole record.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parley/protocol.hpp"
#include "ws_client.hpp"

namespace parley::itest {

struct ObservedReply {
  std::optional<protocol::StreamStarted> started;
  std::vector<protocol::StreamDelta> deltas;
  std::optional<protocol::StreamCompleted> completed;

  // The deltas joined in arrival order; throws unless each starts where the previous
  // one ended, beginning at offset 0.
  std::string contiguous_text() const;
};

class FrameLog {
 public:
  void record(const protocol::Message& m);

  // Reads frames from `client` into the log until `done` holds.
  void read_until(WsClient& client, const std::function<bool(const FrameLog&)>& done,
                  std::chrono::milliseconds deadline = kDefaultDeadline);

  std::vector<protocol::Message> frames;           // all of them, in arrival order
  std::vector<protocol::ChatMessage> posted;       // "message" frames
  std::vector<protocol::Ack> acks;
  std::vector<protocol::Error> errors;
  std::vector<std::uint64_t> positions;  // seqs of "message", "stream_started", "stream_completed"
  std::map<std::string, ObservedReply> replies;    // by gen_id
  std::vector<std::string> reply_order;            // gen_ids in stream_started order

  std::size_t completed_replies() const;
  std::size_t posted_by_users() const;
  // The reply answering user message `seq`, or nullptr.
  const ObservedReply* reply_to(std::uint64_t seq) const;
  const protocol::Ack* ack_for(const std::string& client_id) const;
};

}  // namespace parley::itest
