#include "frame_log.hpp"

#include <variant>

namespace parley::itest {

std::string ObservedReply::contiguous_text() const {
  std::string text;
  for (const protocol::StreamDelta& d : deltas) {
    if (d.offset != text.size()) {
      throw HarnessError("delta at offset " + std::to_string(d.offset) + " after " +
                         std::to_string(text.size()) + " bytes");
    }
    text += d.text;
  }
  return text;
}

void FrameLog::record(const protocol::Message& m) {
  frames.push_back(m);
  if (const auto* p = std::get_if<protocol::Posted>(&m)) {
    posted.push_back(p->message);
    positions.push_back(p->message.seq);
  } else if (const auto* a = std::get_if<protocol::Ack>(&m)) {
    acks.push_back(*a);
  } else if (const auto* e = std::get_if<protocol::Error>(&m)) {
    errors.push_back(*e);
  } else if (const auto* s = std::get_if<protocol::StreamStarted>(&m)) {
    replies[s->gen_id].started = *s;
    reply_order.push_back(s->gen_id);
    positions.push_back(s->seq);
  } else if (const auto* d = std::get_if<protocol::StreamDelta>(&m)) {
    replies[d->gen_id].deltas.push_back(*d);
  } else if (const auto* c = std::get_if<protocol::StreamCompleted>(&m)) {
    replies[c->gen_id].completed = *c;
    positions.push_back(c->seq);
  }
}

void FrameLog::read_until(WsClient& client, const std::function<bool(const FrameLog&)>& done,
                          std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done(*this)) record(client.read(WsClient::remaining(until)));
}

std::size_t FrameLog::completed_replies() const {
  std::size_t n = 0;
  for (const auto& [gen_id, reply] : replies) n += reply.completed.has_value() ? 1 : 0;
  return n;
}

std::size_t FrameLog::posted_by_users() const {
  std::size_t n = 0;
  for (const protocol::ChatMessage& m : posted) n += m.kind == protocol::MessageKind::user ? 1 : 0;
  return n;
}

const ObservedReply* FrameLog::reply_to(std::uint64_t seq) const {
  for (const auto& [gen_id, reply] : replies) {
    if (reply.started && reply.started->reply_to == seq) return &reply;
  }
  return nullptr;
}

const protocol::Ack* FrameLog::ack_for(const std::string& client_id) const {
  for (const protocol::Ack& a : acks) {
    if (a.client_id == client_id) return &a;
  }
  return nullptr;
}

}  // namespace parley::itest
