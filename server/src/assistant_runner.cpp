#include "assistant_runner.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <cstdio>

#include "log.hpp"
#include "reminder_desk.hpp"
#include "parley/codec.hpp"
#include "provider_generation.hpp"
#include "provider_prompt.hpp"

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
  // An interactive component the reply carries (its row's data); its completion repeats
  // it, so clients that watched the stream have it too.
  nlohmann::json component;
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
                                 LiveGenerations& live, unsigned delay_ms, unsigned checkpoint_ms,
                                 std::optional<OpenAiConfig> provider)
    : ioc_(ioc),
      history_(history),
      fanout_(fanout),
      live_(live),
      delay_ms_(delay_ms),
      checkpoint_ms_(checkpoint_ms),
      reminders_(ioc, history, fanout) {
  if (provider) provider_ = std::make_unique<OpenAiClient>(ioc_, std::move(*provider));
  reminders_.start();
}

AssistantRunner::~AssistantRunner() = default;

std::string AssistantRunner::new_gen_id() {
  std::lock_guard lock(rng_mutex_);
  char buf[24];
  std::snprintf(buf, sizeof buf, "g%016llx", static_cast<unsigned long long>(rng_()));
  return buf;
}

void AssistantRunner::respond(const protocol::ChatMessage& prompt,
                              const protocol::GenerationOptions& options) {
  if (stopped_) return;
  if (provider_) return respond_with_provider(prompt, options);
  auto s = std::make_shared<Stream>(ioc_);
  s->gen_id = new_gen_id();
  s->room = prompt.room;
  ++running_;

  history::NewMessage row;
  row.room = prompt.room;
  row.author = BuiltinAssistant::kName;
  row.kind = protocol::MessageKind::assistant;
  row.gen_id = s->gen_id;
  row.ref = prompt.seq;  // what it answers: its siblings (regenerated versions) share it
  row.status = MessageStatus::streaming;
  row.ts_ms = now_ms();
  history_.post(
      {[this, s, row, prompt, options](history::HistoryStore& store) -> HistoryWorker::Continuation {
         // A reminder asked for (in words or through its form) is the reminders' turn.
         if (auto turn = ReminderDesk::take_turn(prompt, row.ts_ms, store.reminders())) {
           auto reply_row = row;
           reply_row.data = turn->component;
           return store_reply(s, reply_row, prompt, options, turn->plan, store, turn->created);
         }
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
         // The room's documents: passages that match the question's words.
         const auto passages =
             store.documents().search(prompt.room, BuiltinAssistant::question_terms(prompt.text), 3);
         const ReplyPlan plan = assistant_.plan(prompt, hits, row.ts_ms, passages);
         return store_reply(s, row, prompt, options, plan, store, std::nullopt);
       },
       [this](const std::string& what) {
         --running_;
         log_line("assistant could not store its reply: " + what);
       }});
}

HistoryWorker::Continuation AssistantRunner::store_reply(
    const std::shared_ptr<Stream>& s, const history::NewMessage& row,
    const protocol::ChatMessage& prompt, const protocol::GenerationOptions& options,
    const ReplyPlan& plan, history::HistoryStore& store,
    std::optional<history::Reminder> reminder) {
  s->pieces = BuiltinAssistant::tokenize(plan.reply);
  if (!row.data.empty()) {
    const auto data = nlohmann::json::parse(row.data, nullptr, false);
    if (data.is_object() && data.contains("component")) s->component = data["component"];
  }
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
  return [this, s, stored, steps, reply_to = prompt.seq, reminder] {
    if (reminder) reminders_.schedule(*reminder);
    live_.start({s->gen_id, s->room, s->seq, "", false, stored.ts_ms, s->prompt_tokens});
    fanout_.publish(s->room, encode_frame(protocol::StreamStarted{
                                 s->room, s->gen_id, s->seq, reply_to, stored.author,
                                 stored.ts_ms}));
    fanout_.publish(s->room, encode_frame(protocol::Typing{s->room, stored.author, true}));
    for (const auto& step : steps) fanout_.publish(s->room, encode_frame(protocol::Posted{step}));
    begin_stream(s);
  };
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
  // Why it ended: all said ("stop"), cut at max_tokens ("length"), or its status; tokens
  // are the pieces it streamed (filled in by finish()).
  const std::string reason = status == MessageStatus::complete ? s->finish_reason
                                                               : protocol::to_string(status);
  nlohmann::json figures = {{"finish_reason", reason}, {"model", BuiltinAssistant::kModel}};
  if (!s->component.is_null()) figures["component"] = s->component;
  finish(s->gen_id, s->room, s->seq, status, std::move(figures));
}

void AssistantRunner::finish(const std::string& gen_id, const std::string& room, std::uint64_t seq,
                             MessageStatus status, nlohmann::json figures) {
  auto g = live_.close(gen_id);
  if (!g) return;  // someone else ended it
  {
    std::lock_guard lock(generations_mutex_);
    generations_.erase(gen_id);
  }
  auto text = g->text;
  const std::int64_t ended_ms = now_ms();
  figures["duration_ms"] = std::max<std::int64_t>(0, ended_ms - g->started_ms);
  if (!figures.contains("prompt_tokens")) figures["prompt_tokens"] = g->prompt_tokens;
  if (!figures.contains("completion_tokens"))
    figures["completion_tokens"] = BuiltinAssistant::tokenize(text).size();
  const std::string data = figures.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  history_.post({[this, gen_id, room, seq, text, status, data, ended_ms](
                     history::HistoryStore& store) -> HistoryWorker::Continuation {
                   auto ended = store.end_reply(room, seq, text, status, ended_ms, data);
                   return [this, gen_id, room, seq, text, status, ended, data] {
                     live_.remove(gen_id);
                     if (ended) {
                       // Typing stops first, so the completion is a reply's last frame.
                       fanout_.publish(room, encode_frame(protocol::Typing{room, ended->author, false}));
                       fanout_.publish(room, encode_frame(protocol::StreamCompleted{
                                                 room, gen_id, ended->seq, seq, text, status, data}));
                     }
                     --running_;
                   };
                 },
                 [this, gen_id](const std::string& what) {
                   live_.remove(gen_id);
                   --running_;
                   log_line("assistant could not store the end of " + gen_id + ": " + what);
                 }});
}

std::shared_ptr<ProviderGeneration> AssistantRunner::provider_generation(const std::string& gen_id) {
  std::lock_guard lock(generations_mutex_);
  auto it = generations_.find(gen_id);
  return it == generations_.end() ? nullptr : it->second;
}

// The reply's row and its request are made on the history worker (the room's recent
// messages are read there); the provider is then asked from the io_context.
void AssistantRunner::respond_with_provider(const protocol::ChatMessage& prompt,
                                            const protocol::GenerationOptions& options) {
  const std::string gen_id = new_gen_id();
  ++running_;
  history::NewMessage row;
  row.room = prompt.room;
  row.author = BuiltinAssistant::kName;
  row.kind = protocol::MessageKind::assistant;
  row.gen_id = gen_id;
  row.ref = prompt.seq;
  row.status = MessageStatus::streaming;
  row.ts_ms = now_ms();
  history_.post(
      {[this, row, prompt, options](history::HistoryStore& store) -> HistoryWorker::Continuation {
         const std::uint32_t limit = ProviderPrompt::history_limit(options);
         const auto earlier = limit == 0 ? std::vector<protocol::ChatMessage>{}
                                         : store.before(prompt.room, prompt.seq, limit);
         ChatRequest request;
         request.messages = ProviderPrompt::messages(prompt, options, earlier);
         request.tools = AssistantTools::definitions();
         request.model = options.model.empty() ? provider_->config().model : options.model;
         request.temperature = options.temperature;
         if (options.max_tokens != 0) request.max_tokens = options.max_tokens;
         const auto stored = store.append(row).message;

         ProviderGeneration::Reply reply;
         reply.gen_id = row.gen_id;
         reply.room = row.room;
         reply.author = row.author;
         reply.seq = stored.seq;
         reply.prompt_seq = prompt.seq;
         reply.history = options.history;
         reply.model = request.model;
         reply.prompt_words = BuiltinAssistant::tokenize(prompt.text).size();
         return [this, stored, reply = std::move(reply), request = std::move(request),
                 reply_to = prompt.seq]() mutable {
           const std::string gen_id = reply.gen_id;
           const std::string room = reply.room;
           const std::uint64_t seq = reply.seq;
           const std::size_t prompt_words = reply.prompt_words;
           auto generation = std::make_shared<ProviderGeneration>(
               *provider_, history_, fanout_, live_, std::move(reply), std::move(request),
               std::chrono::milliseconds(checkpoint_ms_),
               [this, gen_id, room, seq](MessageStatus status, nlohmann::json figures) {
                 finish(gen_id, room, seq, status, std::move(figures));
               });
           {
             std::lock_guard lock(generations_mutex_);
             generations_[gen_id] = generation;
           }
           live_.start({gen_id, room, seq, "", false, stored.ts_ms, prompt_words});
           fanout_.publish(room, encode_frame(protocol::StreamStarted{room, gen_id, seq, reply_to,
                                                                      stored.author, stored.ts_ms}));
           fanout_.publish(room, encode_frame(protocol::Typing{room, stored.author, true}));
           if (stopped_) {  // shutting down before the first token
             generation->cancel();
             finish(gen_id, room, seq, MessageStatus::interrupted, generation->figures("interrupted"));
             return;
           }
           generation->start();
         };
       },
       [this](const std::string& what) {
         --running_;
         log_line("assistant could not store its reply: " + what);
       }});
}

std::string AssistantRunner::default_model() const {
  return provider_ ? provider_->config().model : std::string(BuiltinAssistant::kModel);
}

bool AssistantRunner::serves_model(const std::string& model) const {
  if (provider_) return !model.empty() && model.size() <= 128;
  return model == BuiltinAssistant::kModel;
}

bool AssistantRunner::stop(const std::string& room, const std::string& gen_id) {
  const auto g = live_.find(gen_id);
  if (!g || g->closed || g->room != room) return false;
  if (auto p = provider_generation(gen_id)) {
    p->cancel();  // the provider's connection closes now
    finish(g->gen_id, g->room, g->seq, MessageStatus::stopped, p->figures("stopped"));
    return true;
  }
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
  reminders_.stop();
  for (auto& g : live_.all()) {
    if (g.closed) continue;
    if (auto p = provider_generation(g.gen_id)) {
      p->cancel();
      finish(g.gen_id, g.room, g.seq, MessageStatus::interrupted, p->figures("interrupted"));
      continue;
    }
    auto s = std::make_shared<Stream>(ioc_);
    s->gen_id = g.gen_id;
    s->room = g.room;
    s->seq = g.seq;
    end(s, MessageStatus::interrupted);
  }
}

}  // namespace parley::server
