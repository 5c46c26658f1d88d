// The assistant replies being produced right now, with the text produced so far.
//
// Its mutex orders three things against each other: a delta being appended and
// published, a generation ending, and a client joining a room (snapshot of partial
// replies + subscription + the joined frame). So a joining client gets either a delta in
// its snapshot or as a live frame, never both and never neither.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fanout.hpp"

namespace parley::server {

struct LiveGeneration {
  std::string gen_id;
  std::string room;
  std::uint64_t seq = 0;
  std::string text;
  bool closed = false;  // ended; waiting for its final state to be committed
  // For the completion's figures: when it started and how long its prompt was.
  std::int64_t started_ms = 0;
  std::size_t prompt_tokens = 0;
};

class LiveGenerations {
 public:
  explicit LiveGenerations(Fanout& fanout) : fanout_(fanout) {}

  void start(LiveGeneration g);
  // Appends `piece` to the generation's text and publishes a stream_delta with the
  // offset it starts at. Returns false when the generation is unknown or closed.
  bool append_and_publish(const std::string& gen_id, const std::string& piece);
  // Ends the generation: no more deltas. Returns it as it ended, or nullopt when it was
  // unknown or already closed (so exactly one caller gets to finish it).
  std::optional<LiveGeneration> close(const std::string& gen_id);
  // Forgets the generation once its final state is stored.
  void remove(const std::string& gen_id);
  std::optional<LiveGeneration> find(const std::string& gen_id) const;
  std::vector<LiveGeneration> all() const;

  // Runs `join` under the lock with every live generation of `room` (ascending seq).
  // `join` subscribes the session and queues its joined frame.
  void join_room(const std::string& room,
                 const std::function<void(const std::vector<LiveGeneration>&)>& join);

 private:
  Fanout& fanout_;
  mutable std::mutex mutex_;
  std::map<std::string, LiveGeneration, std::less<>> by_id_;
};

}  // namespace parley::server
