#include "parley/room_transcript.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

namespace parley::client {
namespace {

// stream_completed does not name the author; a reply that was never seen starting is
// attributed to the built-in assistant.
constexpr const char* kDefaultAssistant = "Parley";

bool before(const Entry& e, std::uint64_t seq) { return !e.pending() && e.seq < seq; }

}  // namespace

namespace {

StepNote note_of(const protocol::ChatMessage& m) {
  StepNote n{m.seq, "step", m.text};
  const auto data = nlohmann::json::parse(m.data, nullptr, false);
  if (data.is_object()) {
    if (auto name = data.find("name"); name != data.end() && name->is_string()) {
      n.label = name->get<std::string>();
    } else if (auto step = data.find("step"); step != data.end() && step->is_string()) {
      n.label = step->get<std::string>();
    }
  }
  return n;
}

}  // namespace

bool attach_step(Entry& reply, const protocol::ChatMessage& m) {
  auto at = std::lower_bound(reply.steps.begin(), reply.steps.end(), m.seq,
                             [](const StepNote& n, std::uint64_t seq) { return n.seq < seq; });
  if (at != reply.steps.end() && at->seq == m.seq) return false;  // held already
  reply.steps.insert(at, note_of(m));
  const auto data = nlohmann::json::parse(m.data, nullptr, false);
  if (data.is_object() && data.value("step", "") == "sources") {
    if (auto list = data.find("sources"); list != data.end() && list->is_array()) {
      for (const auto& s : *list) {
        if (!s.is_object()) continue;
        SourceNote n;
        n.document = s.value("document", "");
        n.location = s.value("location", "");
        n.passage = s.value("passage", "");
        if (auto score = s.find("score"); score != s.end() && score->is_number()) n.score = score->get<double>();
        reply.sources.push_back(std::move(n));
      }
    }
  }
  return true;
}

std::string shown_text(const Entry& e) {
  if (e.steps.empty()) return e.text;
  std::string out;
  if (e.status == protocol::MessageStatus::streaming) {
    for (const auto& s : e.steps) {
      if (s.label == "status") continue;
      // "calculator: 2+2 = 4" names itself; "To answer ann…" gets its label.
      out += s.text.starts_with(s.label) ? "· " + s.text + "\n" : "· " + s.label + ": " + s.text + "\n";
    }
  } else {
    std::size_t shown = 0;
    std::string labels;
    for (const auto& s : e.steps) {
      if (s.label == "status") continue;
      if (++shown > 1) labels += ", ";
      labels += s.label;
    }
    if (shown > 0) {
      out += "\u25B8 " + std::to_string(shown) + (shown == 1 ? " step: " : " steps: ") + labels + "\n";
    }
  }
  return out + e.text;
}

const char* to_string(Delivery d) {
  switch (d) {
    case Delivery::none: return "";
    case Delivery::sending: return "sending";
    case Delivery::sent: return "sent";
    case Delivery::failed: return "failed";
  }
  return "";
}

const Entry* RoomTranscript::find_seq(std::uint64_t seq) const {
  return const_cast<RoomTranscript*>(this)->find_seq_mut(seq);
}

Entry* RoomTranscript::find_seq_mut(std::uint64_t seq) {
  if (seq == 0) return nullptr;
  auto it = std::partition_point(entries_.begin(), entries_.end(),
                                 [seq](const Entry& e) { return before(e, seq); });
  if (it != entries_.end() && !it->pending() && it->seq == seq) return &*it;
  return nullptr;
}

Entry* RoomTranscript::find_gen(std::string_view gen_id) {
  if (gen_id.empty()) return nullptr;
  // Replies in progress are near the end; search from there.
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->gen_id == gen_id) return &*it;
  }
  return nullptr;
}

const Entry* RoomTranscript::find_client_id(std::string_view client_id) const {
  if (client_id.empty()) return nullptr;
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->client_id == client_id) return &*it;
  }
  return nullptr;
}

std::vector<Entry>::iterator RoomTranscript::pending_it(std::string_view client_id) {
  return std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) {
    return e.pending() && e.client_id == client_id;
  });
}

bool RoomTranscript::has_pending(std::string_view client_id) const {
  return const_cast<RoomTranscript*>(this)->pending_it(client_id) != entries_.end();
}

Entry& RoomTranscript::insert_stored(Entry e) {
  auto it = std::partition_point(entries_.begin(), entries_.end(),
                                 [seq = e.seq](const Entry& x) { return before(x, seq); });
  return *entries_.insert(it, std::move(e));
}

bool RoomTranscript::has_stored() const {
  return std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) { return !e.pending(); });
}

void RoomTranscript::merge(const protocol::ChatMessage& m, std::string_view self) {
  ++revision_;
  merge_event(m, self);
}

void RoomTranscript::merge_all(const std::vector<protocol::ChatMessage>& events,
                               std::string_view self) {
  ++revision_;  // one revision: a view hears of the batch as one change
  for (const auto& m : events) merge_event(m, self);
}

void RoomTranscript::merge_event(const protocol::ChatMessage& m, std::string_view self) {
  if (m.seq == 0) return;
  if (m.kind == protocol::MessageKind::step) {
    // Shown with its reply; a step whose reply is not held (older) is left out.
    if (Entry* reply = find_seq_mut(m.ref); reply != nullptr && attach_step(*reply, m)) touch(reply);
    return;
  }
  if (m.kind == protocol::MessageKind::end) {
    complete(protocol::StreamCompleted{m.room, m.gen_id, m.seq, m.ref, m.text, m.status, m.data});
    return;
  }
  const bool own = !m.client_id.empty() && m.author == self;

  if (own) {
    auto p = pending_it(m.client_id);
    if (p != entries_.end()) {
      touch(static_cast<std::size_t>(p - entries_.begin()));
      entries_.erase(p);
    }
  }

  Entry* e = find_seq_mut(m.seq);
  if (e == nullptr) {
    Entry fresh;
    fresh.seq = m.seq;
    fresh.delivery = own ? Delivery::sent : Delivery::none;
    e = &insert_stored(std::move(fresh));
  }
  touch(e);
  // A streaming snapshot can lag behind deltas already applied: keep the longer text.
  const bool keep_text = m.status == protocol::MessageStatus::streaming &&
                         e->status == protocol::MessageStatus::streaming &&
                         e->text.size() > m.text.size() && e->text.starts_with(m.text);
  if (!keep_text) e->text = m.text;
  e->author = m.author;
  e->kind = m.kind;
  e->status = m.status;
  e->client_id = m.client_id;
  e->gen_id = m.gen_id;
  e->ts_ms = m.ts_ms;
  e->ref = m.ref;
  note_data(*e, m);
  e->needs_refresh = false;
  if (own) {
    e->delivery = Delivery::sent;
    e->failure.clear();
  }
  file_version(*e);
}

namespace {

// True when `seq` is new to the group.
bool add_member(std::vector<std::uint64_t>& group, std::uint64_t seq) {
  auto at = std::lower_bound(group.begin(), group.end(), seq);
  if (at != group.end() && *at == seq) return false;
  group.insert(at, seq);
  return true;
}

}  // namespace

void RoomTranscript::note_data(Entry& e, const protocol::ChatMessage& m) {
  if (m.data.empty()) return;
  const auto data = nlohmann::json::parse(m.data, nullptr, false);
  if (!data.is_object()) return;
  if (auto c = data.find("component"); c != data.end() && c->is_object()) e.component = c->dump();
  if (auto s = data.find("submit"); s != data.end() && s->is_object()) {
    if (Entry* target = find_seq_mut(s->value("seq", std::uint64_t{0})); target != nullptr && !target->answered) {
      target->answered = true;
      touch(target);
    }
  }
}

void RoomTranscript::file_version(const Entry& e) {
  if (e.pending()) return;
  if (e.kind == protocol::MessageKind::user) {
    const std::uint64_t root = e.ref != 0 ? e.ref : e.seq;
    if (e.ref == 0 && !edit_groups_.contains(root)) return;  // not edited (yet)
    auto& group = edit_groups_[root];
    add_member(group, root);
    // A new version (just sent, or just arrived) is the one to show.
    if (add_member(group, e.seq) && e.seq == group.back()) chosen_edit_.erase(root);
    apply_edit_group(root);
  } else if (e.kind == protocol::MessageKind::assistant && e.ref != 0) {
    auto& group = reply_groups_[e.ref];
    if (add_member(group, e.seq) && e.seq == group.back()) chosen_reply_.erase(e.ref);
    apply_reply_group(e.ref);
  }
}

void RoomTranscript::set_version(Entry& e, bool hidden, std::uint32_t version,
                                 std::uint32_t versions) {
  if (e.hidden == hidden && e.version == version && e.versions == versions) return;
  e.hidden = hidden;
  e.version = version;
  e.versions = versions;
  touch(&e);
}

void RoomTranscript::apply_edit_group(std::uint64_t root) {
  const auto& group = edit_groups_.at(root);
  const auto chosen = chosen_edit_.find(root);
  const std::uint64_t shown = chosen != chosen_edit_.end() ? chosen->second : group.back();
  const auto count = static_cast<std::uint32_t>(group.size());
  for (std::uint32_t i = 0; i < count; ++i) {
    if (Entry* e = find_seq_mut(group[i])) set_version(*e, group[i] != shown, i + 1, count);
    if (reply_groups_.contains(group[i])) apply_reply_group(group[i]);
  }
}

void RoomTranscript::apply_reply_group(std::uint64_t prompt) {
  const auto& group = reply_groups_.at(prompt);
  const auto chosen = chosen_reply_.find(prompt);
  const std::uint64_t shown = chosen != chosen_reply_.end() ? chosen->second : group.back();
  const Entry* asked = find_seq_mut(prompt);
  const bool prompt_hidden = asked != nullptr && asked->hidden;
  const auto count = static_cast<std::uint32_t>(group.size());
  for (std::uint32_t i = 0; i < count; ++i) {
    Entry* e = find_seq_mut(group[i]);
    if (e == nullptr) continue;
    set_version(*e, prompt_hidden || group[i] != shown, count > 1 ? i + 1 : 0,
                count > 1 ? count : 0);
  }
}

void RoomTranscript::show_version(std::uint64_t seq, int step) {
  const Entry* e = find_seq_mut(seq);
  if (e == nullptr || step == 0) return;
  const bool reply = e->kind == protocol::MessageKind::assistant;
  const std::uint64_t key = reply ? e->ref : (e->ref != 0 ? e->ref : e->seq);
  auto& groups = reply ? reply_groups_ : edit_groups_;
  const auto g = groups.find(key);
  if (g == groups.end() || g->second.size() < 2) return;
  const auto& members = g->second;
  const auto at = static_cast<long>(std::lower_bound(members.begin(), members.end(), seq) -
                                    members.begin());
  const long next = std::clamp(at + (step < 0 ? -1L : 1L), 0L, static_cast<long>(members.size()) - 1);
  ++revision_;
  (reply ? chosen_reply_ : chosen_edit_)[key] = members[static_cast<std::size_t>(next)];
  if (reply) {
    apply_reply_group(key);
  } else {
    apply_edit_group(key);
  }
}

void RoomTranscript::merge_older(const std::vector<protocol::ChatMessage>& page,
                                 std::string_view self) {
  ++revision_;
  std::vector<Entry> fresh;  // ascending, none of them held yet
  std::vector<const protocol::ChatMessage*> held;
  std::vector<const protocol::ChatMessage*> with_data;  // components and answers, once in place
  for (const auto& m : page) {
    if (m.seq == 0) continue;
    if (m.kind == protocol::MessageKind::step) {
      auto it = std::partition_point(fresh.begin(), fresh.end(),
                                     [&](const Entry& e) { return e.seq < m.ref; });
      if (it != fresh.end() && it->seq == m.ref) {
        attach_step(*it, m);
      } else {
        held.push_back(&m);  // its reply may be held already
      }
      continue;
    }
    if (m.kind == protocol::MessageKind::end) {
      // The stored reply row already carries its final text and status; an end event
      // only matters for a reply of this page that is still marked streaming.
      auto it = std::partition_point(fresh.begin(), fresh.end(),
                                     [&](const Entry& e) { return e.seq < m.ref; });
      if (it != fresh.end() && it->seq == m.ref) {
        it->text = m.text;
        it->status = m.status;
      }
      continue;
    }
    if (find_seq_mut(m.seq) != nullptr || (!fresh.empty() && fresh.back().seq >= m.seq)) {
      held.push_back(&m);
      continue;
    }
    const bool own = !m.client_id.empty() && m.author == self;
    Entry e;
    e.seq = m.seq;
    e.author = m.author;
    e.kind = m.kind;
    e.text = m.text;
    e.status = m.status;
    e.delivery = own ? Delivery::sent : Delivery::none;
    e.client_id = m.client_id;
    e.gen_id = m.gen_id;
    e.ts_ms = m.ts_ms;
    e.ref = m.ref;
    if (!m.data.empty()) with_data.push_back(&m);
    fresh.push_back(std::move(e));
  }
  std::vector<std::uint64_t> versioned;  // filed once they are in place
  for (const Entry& e : fresh) {
    if (e.ref != 0 || edit_groups_.contains(e.seq)) versioned.push_back(e.seq);
  }
  if (!fresh.empty()) {
    auto at = std::partition_point(entries_.begin(), entries_.end(),
                                   [&](const Entry& x) { return before(x, fresh.front().seq); });
    const bool block = at == entries_.end() || at->pending() || at->seq > fresh.back().seq;
    if (block) {
      const auto index = static_cast<std::size_t>(at - entries_.begin());
      const std::size_t count = fresh.size();
      entries_.insert(at, std::make_move_iterator(fresh.begin()),
                      std::make_move_iterator(fresh.end()));
      if (index == 0) {
        changes_.prepended(revision_, count);
      } else {
        touch(index);
      }
    } else {
      // Interleaved with what is held (unusual): one at a time.
      for (Entry& e : fresh) touch(&insert_stored(std::move(e)));
    }
  }
  for (std::uint64_t seq : versioned) {
    if (const Entry* e = find_seq_mut(seq)) file_version(*e);
  }
  for (const auto* m : with_data) {
    if (Entry* e = find_seq_mut(m->seq)) note_data(*e, *m);
  }
  for (const auto* m : held) merge_event(*m, self);
}

void RoomTranscript::add_pending(Entry e) {
  ++revision_;
  e.seq = 0;
  entries_.push_back(std::move(e));
  touch(entries_.size() - 1);
}

void RoomTranscript::acknowledge(std::string_view client_id, std::uint64_t seq) {
  ++revision_;
  auto p = pending_it(client_id);
  if (p == entries_.end()) {
    // The broadcast came first and already took the pending entry's place.
    return;
  }
  touch(static_cast<std::size_t>(p - entries_.begin()));
  Entry moved = std::move(*p);
  entries_.erase(p);
  if (Entry* existing = find_seq_mut(seq)) {
    touch(existing);
    existing->delivery = Delivery::sent;
    existing->failure.clear();
    return;
  }
  moved.seq = seq;
  moved.delivery = Delivery::sent;
  moved.failure.clear();
  Entry& stored = insert_stored(std::move(moved));
  touch(&stored);
  // An edit's ref names the version it was made from until the server's copy (which
  // names the first version) arrives; file it under the first version now.
  if (stored.ref != 0) {
    if (const Entry* from = find_seq_mut(stored.ref); from != nullptr && from->ref != 0)
      stored.ref = from->ref;
    file_version(stored);
  }
}

void RoomTranscript::fail(std::string_view client_id, std::string reason) {
  ++revision_;
  auto p = pending_it(client_id);
  if (p == entries_.end()) return;
  touch(&*p);
  p->delivery = Delivery::failed;
  p->failure = std::move(reason);
}

std::vector<const Entry*> RoomTranscript::unacknowledged() const {
  std::vector<const Entry*> out;
  for (const Entry& e : entries_) {
    if (e.pending() && e.delivery == Delivery::sending) out.push_back(&e);
  }
  return out;
}

void RoomTranscript::stream_started(const protocol::StreamStarted& s) {
  ++revision_;
  if (Entry* e = find_seq_mut(s.seq)) {
    if (e->gen_id.empty()) e->gen_id = s.gen_id;
    touch(e);
    if (e->ref == 0 && s.reply_to != 0) {
      e->ref = s.reply_to;
      file_version(*e);
    }
    return;
  }
  Entry e;
  e.seq = s.seq;
  e.author = s.author;
  e.kind = protocol::MessageKind::assistant;
  e.status = protocol::MessageStatus::streaming;
  e.gen_id = s.gen_id;
  e.ts_ms = s.ts_ms;
  e.ref = s.reply_to;
  Entry& stored = insert_stored(std::move(e));
  touch(&stored);
  file_version(stored);
}

void RoomTranscript::stream_delta(const protocol::StreamDelta& d) {
  ++revision_;
  Entry* e = find_gen(d.gen_id);
  if (e == nullptr || e->status != protocol::MessageStatus::streaming) return;
  const std::uint64_t held = e->text.size();
  touch(e);
  if (d.offset > held) {
    e->needs_refresh = true;
    return;
  }
  const std::uint64_t end = d.offset + d.text.size();
  if (end <= held) return;  // already have all of it
  e->text.append(d.text, static_cast<std::size_t>(held - d.offset));
}

void RoomTranscript::stream_completed(const protocol::StreamCompleted& c) {
  ++revision_;
  complete(c);
}

void RoomTranscript::complete(const protocol::StreamCompleted& c) {
  Entry* e = find_seq_mut(c.reply_seq);
  if (e == nullptr) e = find_gen(c.gen_id);
  if (e == nullptr) {
    if (c.reply_seq == 0) return;
    Entry fresh;
    fresh.seq = c.reply_seq;
    fresh.author = kDefaultAssistant;
    fresh.kind = protocol::MessageKind::assistant;
    fresh.gen_id = c.gen_id;
    e = &insert_stored(std::move(fresh));
  }
  touch(e);
  if (const auto data = nlohmann::json::parse(c.data, nullptr, false); data.is_object()) {
    e->completion_tokens = data.value("completion_tokens", std::uint64_t{0});
    e->duration_ms = data.value("duration_ms", std::int64_t{0});
    if (auto comp = data.find("component"); comp != data.end() && comp->is_object()) e->component = comp->dump();
  }
  e->text = c.text;
  e->status = c.status;
  e->needs_refresh = false;
}

void RoomTranscript::clear() {
  ++revision_;
  entries_.clear();
  edit_groups_.clear();
  reply_groups_.clear();
  chosen_edit_.clear();
  chosen_reply_.clear();
  changes_.reset(revision_);
}

void RoomTranscript::clear_stored() {
  ++revision_;
  std::erase_if(entries_, [](const Entry& e) { return !e.pending(); });
  edit_groups_.clear();
  reply_groups_.clear();
  chosen_edit_.clear();
  chosen_reply_.clear();
  changes_.reset(revision_);
}

}  // namespace parley::client
