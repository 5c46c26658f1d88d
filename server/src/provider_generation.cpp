#include "provider_generation.hpp"

#include "log.hpp"
#include "parley/codec.hpp"
#include "parley/error_codes.hpp"

namespace parley::server {

namespace {

using Json = nlohmann::json;
using protocol::MessageStatus;

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string sources_text(std::size_t n, const std::string& tool, const std::string& room) {
  std::string s = std::to_string(n);
  s += n == 1 ? " source" : " sources";
  if (tool == "search_history") {
    s += " from #";
    s += room;
  } else {
    s += " from the room's documents";
  }
  return s;
}

}  // namespace

ProviderGeneration::ProviderGeneration(OpenAiClient& client, HistoryWorker& history,
                                       Fanout& fanout, LiveGenerations& live, Reply reply,
                                       ChatRequest request,
                                       std::chrono::milliseconds checkpoint_every, EndFn end)
    : client_(client),
      history_(history),
      fanout_(fanout),
      live_(live),
      reply_(std::move(reply)),
      checkpoint_every_(checkpoint_every),
      end_(std::move(end)),
      request_(std::move(request)) {}

void ProviderGeneration::start() { stream_round(); }

bool ProviderGeneration::over() const {
  std::lock_guard lock(mutex_);
  return over_;
}

void ProviderGeneration::cancel() {
  std::shared_ptr<OpenAiCall> call;
  {
    std::lock_guard lock(mutex_);
    over_ = true;
    call = std::move(call_);
  }
  if (call) call->cancel();
}

Json ProviderGeneration::figures(const std::string& finish_reason) const {
  std::lock_guard lock(mutex_);
  return figures_locked(finish_reason);
}

Json ProviderGeneration::figures_locked(const std::string& finish_reason) const {
  Json j = {{"model", provider_model_.empty() ? reply_.model : provider_model_},
            {"prompt_tokens", prompt_tokens_.value_or(reply_.prompt_words)},
            {"completion_tokens", completion_tokens_ + round_pieces_},
            {"finish_reason", finish_reason}};
  if (cost_) j["cost"] = *cost_;
  return j;
}

void ProviderGeneration::stream_round() {
  ChatRequest request;
  {
    std::lock_guard lock(mutex_);
    if (over_) return;
    request = request_;
    round_text_.clear();
    round_pieces_ = 0;
  }
  auto self = shared_from_this();
  StreamCallbacks cb;
  cb.on_delta = [self](const std::string& text) { self->on_delta(text); };
  cb.on_done = [self](const Completion& c) { self->on_done(c); };
  cb.on_error = [self](const std::string& code, const std::string& details) {
    self->on_error(code, details);
  };
  auto call = client_.stream(std::move(request), std::move(cb));
  bool cancelled = false;
  {
    std::lock_guard lock(mutex_);
    if (over_) {
      cancelled = true;
    } else {
      call_ = call;
    }
  }
  if (cancelled) call->cancel();  // stopped while the request was being made
}

void ProviderGeneration::on_delta(const std::string& text) {
  if (over()) return;
  if (!live_.append_and_publish(reply_.gen_id, text)) {
    cancel();  // ended elsewhere (stop, shutdown): no more text
    return;
  }
  bool due = false;
  {
    std::lock_guard lock(mutex_);
    round_text_ += text;
    ++round_pieces_;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_checkpoint_ >= checkpoint_every_) {
      last_checkpoint_ = now;
      due = true;
    }
  }
  if (due) checkpoint();
}

void ProviderGeneration::checkpoint() {
  auto g = live_.find(reply_.gen_id);
  if (!g || g->closed) return;
  // update() leaves an ended reply alone, so a checkpoint queued behind the end is inert.
  history_.post({[room = reply_.room, seq = reply_.seq, text = std::move(g->text)](
                     history::HistoryStore& store) -> HistoryWorker::Continuation {
                   store.update(room, seq, text, MessageStatus::streaming);
                   return {};
                 },
                 [gen_id = reply_.gen_id](const std::string& what) {
                   log_line("assistant could not checkpoint " + gen_id + ": " + what);
                 }});
}

void ProviderGeneration::on_done(const Completion& c) {
  bool tools = false;
  bool too_many = false;
  std::string reason;
  {
    std::lock_guard lock(mutex_);
    if (over_) return;
    call_.reset();
    if (c.prompt_tokens) prompt_tokens_ = prompt_tokens_.value_or(0) + *c.prompt_tokens;
    completion_tokens_ += c.completion_tokens ? *c.completion_tokens : round_pieces_;
    round_pieces_ = 0;
    if (c.cost) cost_ = cost_.value_or(0.0) + *c.cost;
    if (!c.model.empty()) provider_model_ = c.model;
    tools = c.finish_reason == "tool_calls" && !c.tool_calls.empty();
    too_many = tools && tool_rounds_ >= kMaxToolRounds;
    reason = c.finish_reason.empty() ? std::string("stop") : c.finish_reason;
  }
  if (too_many) return finish(MessageStatus::complete, figures("tool_rounds"));
  if (tools) return run_tools(c);
  finish(MessageStatus::complete, figures(reason));
}

void ProviderGeneration::on_error(const std::string& code, const std::string& details) {
  if (over()) return;
  Json f = figures("error");
  f["error_code"] = code;
  f["error"] = details;
  finish(MessageStatus::error, std::move(f));
}

void ProviderGeneration::finish(MessageStatus status, Json figures) {
  {
    std::lock_guard lock(mutex_);
    if (over_) return;
    over_ = true;
    call_.reset();
  }
  if (end_) end_(status, std::move(figures));
}

// The model asked for tools: the quick ones run here, the searches on the history
// worker, which also stores each call as a step of the reply; once stored, the steps are
// published and the model is asked again with the assistant's calls and their results.
void ProviderGeneration::run_tools(const Completion& c) {
  const std::int64_t now = now_ms();
  std::vector<ToolCall> calls = c.tool_calls;
  std::vector<ToolRun> runs(calls.size());
  Json assistant = {{"role", "assistant"}, {"tool_calls", Json::array()}};
  int round = 0;
  {
    std::lock_guard lock(mutex_);
    round = ++tool_rounds_;
    assistant["content"] = round_text_.empty() ? Json(nullptr) : Json(round_text_);
  }
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (calls[i].id.empty()) {  // some servers leave ids out; the results still need one
      std::string id = "call_";
      id += std::to_string(round);
      id += '_';
      id += std::to_string(i);
      calls[i].id = std::move(id);
    }
    assistant["tool_calls"].push_back(
        {{"id", calls[i].id},
         {"type", "function"},
         {"function", {{"name", calls[i].name}, {"arguments", calls[i].arguments}}}});
    if (!AssistantTools::needs_store(calls[i].name)) runs[i] = AssistantTools::run(calls[i], now);
  }
  ToolScope scope;
  scope.room = reply_.room;
  scope.before_seq = reply_.prompt_seq;
  scope.history = reply_.history;

  auto self = shared_from_this();
  history_.post(
      {[self, calls = std::move(calls), runs = std::move(runs), assistant = std::move(assistant),
        scope, now](history::HistoryStore& store) mutable -> HistoryWorker::Continuation {
         if (self->over()) return {};
         const Reply& r = self->reply_;
         std::vector<protocol::ChatMessage> steps;
         Json messages = Json::array({assistant});
         auto store_step = [&](const std::string& text, const Json& data) {
           history::NewMessage m;
           m.room = r.room;
           m.author = r.author;
           m.kind = protocol::MessageKind::step;
           m.text = text;
           m.gen_id = r.gen_id;
           m.status = MessageStatus::complete;
           m.ts_ms = now;
           m.ref = r.seq;
           m.data = dump(data);
           steps.push_back(store.append(m).message);
         };
         for (std::size_t i = 0; i < calls.size(); ++i) {
           if (AssistantTools::needs_store(calls[i].name)) {
             runs[i] = AssistantTools::run(calls[i], now, store, scope);
           }
           store_step(runs[i].step_text, runs[i].step);
           if (!runs[i].sources.empty()) {
             store_step(sources_text(runs[i].sources.size(), calls[i].name, r.room),
                        {{"step", "sources"}, {"sources", runs[i].sources}});
           }
           messages.push_back(
               {{"role", "tool"}, {"tool_call_id", calls[i].id}, {"content", runs[i].content}});
         }
         return [self, steps = std::move(steps), messages = std::move(messages)] {
           self->tools_ran(steps, messages);
         };
       },
       [self](const std::string& what) {
         Json f = self->figures("error");
         f["error_code"] = error_codes::internal;
         f["error"] = "could not store the assistant's tool steps: " + what;
         self->finish(MessageStatus::error, std::move(f));
       }});
}

void ProviderGeneration::tools_ran(const std::vector<protocol::ChatMessage>& steps,
                                   const Json& messages) {
  for (const auto& step : steps) {
    fanout_.publish(reply_.room,
                    std::make_shared<const std::string>(protocol::encode(protocol::Posted{step})));
  }
  {
    std::lock_guard lock(mutex_);
    if (over_) return;
    for (const auto& m : messages) request_.messages.push_back(m);
  }
  stream_round();
}

}  // namespace parley::server
