#include "live_generations.hpp"

#include <algorithm>
#include <memory>

#include "parley/codec.hpp"

namespace parley::server {

void LiveGenerations::start(LiveGeneration g) {
  std::lock_guard lock(mutex_);
  auto id = g.gen_id;
  by_id_.insert_or_assign(std::move(id), std::move(g));
}

bool LiveGenerations::append_and_publish(const std::string& gen_id, const std::string& piece) {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(gen_id);
  if (it == by_id_.end() || it->second.closed) return false;
  auto& g = it->second;
  protocol::StreamDelta delta{g.room, g.gen_id, g.text.size(), piece};
  g.text += piece;
  fanout_.publish(g.room, std::make_shared<const std::string>(protocol::encode(delta)));
  return true;
}

std::optional<LiveGeneration> LiveGenerations::close(const std::string& gen_id) {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(gen_id);
  if (it == by_id_.end() || it->second.closed) return std::nullopt;
  it->second.closed = true;
  return it->second;
}

void LiveGenerations::remove(const std::string& gen_id) {
  std::lock_guard lock(mutex_);
  by_id_.erase(gen_id);
}

std::optional<LiveGeneration> LiveGenerations::find(const std::string& gen_id) const {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(gen_id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::vector<LiveGeneration> LiveGenerations::all() const {
  std::lock_guard lock(mutex_);
  std::vector<LiveGeneration> out;
  for (auto& [id, g] : by_id_) out.push_back(g);
  return out;
}

void LiveGenerations::join_room(
    const std::string& room, const std::function<void(const std::vector<LiveGeneration>&)>& join) {
  std::lock_guard lock(mutex_);
  std::vector<LiveGeneration> in_room;
  for (auto& [id, g] : by_id_)
    if (g.room == room) in_room.push_back(g);
  std::sort(in_room.begin(), in_room.end(),
            [](const LiveGeneration& a, const LiveGeneration& b) { return a.seq < b.seq; });
  join(in_room);
}

}  // namespace parley::server
