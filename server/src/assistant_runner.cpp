#include "assistant_runner.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <cstdio>

#include "log.hpp"
#include "parley/codec.hpp"

namespace parley::server {

namespace net = boost::asio;
using protocol::MessageStatus;

struct AssistantRunner::Stream {
  Stream(net::io_context& ioc) : timer(net::make_strand(ioc)) {}
  net::steady_timer timer;
  std::string gen_id;
  std::string room;
  std::uint64_t seq = 0;
  std::vector<std::string> pieces;
  std::size_t next = 0;
  std::size_t prompt_tokens = 0;
  std::string finish_reason = "stop";
  std::chrono::steady_clock::time_point last_checkpoint = std::chrono::steady_clock::now();
};

namespace {

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Frame encode_frame(const protocol::Message& m) {
  return std::make_shared<const std::string>(protocol::encode(m));
}

}  // namespace

AssistantRunner::AssistantRunner(net::io_context& ioc, HistoryWorker& history, Fanout& fanout,
                                 LiveGenerations& live, unsigned delay_ms, unsigned checkpoint_ms)
    : ioc_(ioc),
      history_(history),
      fanout_(fanout),
      live_(live),
      delay_ms_(delay_ms),
      checkpoint_ms_(checkpoint_ms) {}

std::string AssistantRunner::new_gen_id() {
  std::lock_guard lock(rng_mutex_);
  char buf[24];
  std::snprintf(buf, sizeof buf, "g%016llx", static_cast<unsigned long long>(rng_()));
  return buf;
}

void AssistantRunner::respond(const protocol::ChatMessage& prompt,
                              const protocol::GenerationOptions& options) {
  if (stopped_) return;
  auto s = std::make_shared<Stream>(ioc_);
  s->gen_id = new_gen_id();
  s->room = prompt.room;
  ++running_;

  history::NewMessage row;
  row.room = prompt.room;
  row.author = BuiltinAssistant::kName;
  row.kind = protocol::MessageKind::assistant;
  row.gen_id = s->gen_id;
  row.status = MessageStatus::streaming;
  row.ts_ms = now_ms();
  history_.post(
      {[this, s, row, prompt, options](history::HistoryStore& store) -> HistoryWorker::Continuation {
         // The tools run here, off the network threads: the history search reads the
         // store; the plan's steps are stored right after the reply's row, as its work.
         const auto terms = BuiltinAssistant::search_terms(prompt.text);
         auto hits = terms.empty() || (options.history && *options.history == 0)
                         ? std::vector<history::SearchHit>{}
                         : store.search(prompt.room, terms, prompt.seq, 3);
         if (options.history) {
           // Only the last `history` messages before the prompt are the assistant's to see.
           const std::uint64_t oldest = prompt.seq > *options.history ? prompt.seq - *options.history : 1;
           std::erase_if(hits, [&](const history::SearchHit& h) { return h.message.seq < oldest; });
         }
         const ReplyPlan plan = assistant_.plan(prompt, hits, row.ts_ms);
         s->pieces = BuiltinAssistant::tokenize(plan.reply);
         if (options.max_tokens != 0 && s->pieces.size() > options.max_tokens) {
           s->pieces.resize(options.max_tokens);
           s->finish_reason = "length";
         }
         s->prompt_tokens = BuiltinAssistant::tokenize(prompt.text).size();
         auto stored = store.append(row).message;
         s->seq = stored.seq;
         std::vector<protocol::ChatMessage> steps;
         for (const PlannedStep& step : plan.steps) {
           history::NewMessage m;
           m.room = prompt.room;
           m.author = BuiltinAssistant::kName;
           m.kind = protocol::MessageKind::step;
           m.text = step.text;
           m.gen_id = s->gen_id;
           m.status = MessageStatus::complete;
           m.ts_ms = row.ts_ms;
           m.ref = stored.seq;
           m.data = step.data;
           steps.push_back(store.append(m).message);
         }
         return [this, s, stored, steps, reply_to = prompt.seq] {
           live_.start({s->gen_id, s->room, s->seq, "", false, stored.ts_ms, s->prompt_tokens});
           fanout_.publish(s->room, encode_frame(protocol::StreamStarted{
                                        s->room, s->gen_id, s->seq, reply_to, stored.author,
                                        stored.ts_ms}));
           fanout_.publish(s->room, encode_frame(protocol::Typing{s->room, stored.author, true}));
           for (const auto& step : steps) fanout_.publish(s->room, encode_frame(protocol::Posted{step}));
           begin_stream(s);
         };
       },
       [this](const std::string& what) {
         --running_;
         log_line("assistant could not store its reply: " + what);
       }});
}

void AssistantRunner::begin_stream(std::shared_ptr<Stream> s) {
  if (stopped_) {  // shutting down before the first token
    end(s, MessageStatus::interrupted);
    return;
  }
  net::post(s->timer.get_executor(), [this, s] { step(s); });
}

void AssistantRunner::step(std::shared_ptr<Stream> s) {
  if (s->next >= s->pieces.size()) {
    end(s, MessageStatus::complete);
    return;
  }
  if (!live_.append_and_publish(s->gen_id, s->pieces[s->next++])) return;  // closed by stop_all
  const auto now = std::chrono::steady_clock::now();
  if (now - s->last_checkpoint >= std::chrono::milliseconds(checkpoint_ms_)) {
    s->last_checkpoint = now;
    checkpoint(s);
  }
  s->timer.expires_after(std::chrono::milliseconds(delay_ms_));
  s->timer.async_wait([this, s](boost::system::error_code ec) {
    if (!ec) step(s);
  });
}

void AssistantRunner::checkpoint(const std::shared_ptr<Stream>& s) {
  auto g = live_.find(s->gen_id);
  if (!g || g->closed) return;
  // update() leaves an ended reply alone, so a checkpoint queued behind the end is inert.
  history_.post({[s, text = std::move(g->text)](history::HistoryStore& store)
                     -> HistoryWorker::Continuation {
                   store.update(s->room, s->seq, text, MessageStatus::streaming);
                   return {};
                 },
                 [s](const std::string& what) {
                   log_line("assistant could not checkpoint " + s->gen_id + ": " + what);
                 }});
}

void AssistantRunner::end(const std::shared_ptr<Stream>& s, MessageStatus status) {
  auto g = live_.close(s->gen_id);
  if (!g) return;  // someone else ended it
  auto text = g->text;
  // How it went: the built-in model, tokens as the pieces it streams, the time taken.
  const std::int64_t ended_ms = now_ms();
  // Why it ended: all said ("stop"), cut at max_tokens ("length"), or its status.
  const std::string finish = status == MessageStatus::complete ? s->finish_reason
                                                               : protocol::to_string(status);
  const std::string data =
      nlohmann::json{{"completion_tokens", BuiltinAssistant::tokenize(text).size()},
                     {"duration_ms", std::max<std::int64_t>(0, ended_ms - g->started_ms)},
                     {"finish_reason", finish},
                     {"model", BuiltinAssistant::kModel},
                     {"prompt_tokens", g->prompt_tokens}}
          .dump();
  history_.post({[this, s, text, status, data, ended_ms](history::HistoryStore& store) -> HistoryWorker::Continuation {
                   auto ended = store.end_reply(s->room, s->seq, text, status, ended_ms, data);
                   return [this, s, text, status, ended, data] {
                     live_.remove(s->gen_id);
                     if (ended) {
                       // Typing stops first, so the completion is a reply's last frame.
                       fanout_.publish(s->room, encode_frame(protocol::Typing{
                                                    s->room, ended->author, false}));
                       fanout_.publish(s->room, encode_frame(protocol::StreamCompleted{
                                                    s->room, s->gen_id, ended->seq, s->seq,
                                                    text, status, data}));
                     }
                     --running_;
                   };
                 },
                 [this, s](const std::string& what) {
                   live_.remove(s->gen_id);
                   --running_;
                   log_line("assistant could not store the end of " + s->gen_id + ": " + what);
                 }});
}

bool AssistantRunner::stop(const std::string& room, const std::string& gen_id) {
  const auto g = live_.find(gen_id);
  if (!g || g->closed || g->room != room) return false;
  auto s = std::make_shared<Stream>(ioc_);
  s->gen_id = g->gen_id;
  s->room = g->room;
  s->seq = g->seq;
  // The streaming timer sees the generation closed at its next piece and goes quiet.
  end(s, MessageStatus::stopped);
  return true;
}

void AssistantRunner::stop_all() {
  stopped_ = true;
  for (auto& g : live_.all()) {
    if (g.closed) continue;
    auto s = std::make_shared<Stream>(ioc_);
    s->gen_id = g.gen_id;
    s->room = g.room;
    s->seq = g.seq;
    end(s, MessageStatus::interrupted);
  }
}

}  // namespace parley::server
