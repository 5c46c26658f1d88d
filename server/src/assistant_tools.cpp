#include "assistant_tools.hpp"

#include <algorithm>
#include <ctime>

#include "builtin_assistant.hpp"
#include "calculator.hpp"

namespace parley::server {

namespace {

using Json = nlohmann::json;

Json function(const char* name, const char* description, Json properties,
              std::initializer_list<const char*> required) {
  Json req = Json::array();
  for (const char* r : required) req.push_back(r);
  return {{"type", "function"},
          {"function",
           {{"name", name},
            {"description", description},
            {"parameters",
             {{"type", "object"}, {"properties", std::move(properties)}, {"required", req}}}}}};
}

std::string utc_iso(std::int64_t now_ms) {
  const std::time_t t = static_cast<std::time_t>(now_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ (%A)", &tm);
  return buf;
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

ToolRun failed(const ToolCall& call, const Json& arguments, const std::string& error) {
  ToolRun r;
  r.step = {{"step", "tool"}, {"name", call.name}, {"arguments", arguments}, {"error", error}};
  r.step_text = call.name;
  r.step_text += " failed: ";
  r.step_text += error;
  r.content = "error: ";
  r.content += error;
  return r;
}

ToolRun succeeded(const ToolCall& call, const Json& arguments, const std::string& result,
                  std::string step_text, std::string content) {
  ToolRun r;
  r.step = {{"step", "tool"}, {"name", call.name}, {"arguments", arguments}, {"result", result}};
  r.step_text = std::move(step_text);
  r.content = std::move(content);
  return r;
}

// The arguments as an object, or why not. Models send "" for a call without arguments.
std::optional<Json> parse_arguments(const ToolCall& call, std::string& why) {
  if (call.arguments.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  Json j = Json::parse(call.arguments, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    why = "the arguments are not valid JSON";
    return std::nullopt;
  }
  if (!j.is_object()) {
    why = "the arguments are not a JSON object";
    return std::nullopt;
  }
  return j;
}

std::optional<std::string> string_argument(const Json& args, const char* name) {
  auto it = args.find(name);
  if (it == args.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::string count_text(std::size_t n, const char* one, const char* many) {
  std::string s = std::to_string(n);
  s += ' ';
  s += n == 1 ? one : many;
  return s;
}

std::string found_text(const std::string& name, const std::string& query, std::size_t n) {
  std::string s = name;
  s += ": \"";
  s += query;
  s += "\" found ";
  s += std::to_string(n);
  return s;
}

ToolRun search_history(const ToolCall& call, const Json& args, history::HistoryStore& store,
                       const ToolScope& scope) {
  const auto query = string_argument(args, "query");
  if (!query || query->empty()) return failed(call, args, "\"query\" must be a non-empty string");
  const auto terms = BuiltinAssistant::question_terms(*query);
  std::vector<history::SearchHit> hits;
  if (!terms.empty() && !(scope.history && *scope.history == 0)) {
    hits = store.search(scope.room, terms, scope.before_seq, AssistantTools::kHistoryHits);
  }
  if (scope.history) {
    // Only the last `history` messages before the prompt are the assistant's to see.
    const std::uint64_t oldest =
        scope.before_seq > *scope.history ? scope.before_seq - *scope.history : 1;
    std::erase_if(hits, [&](const history::SearchHit& h) { return h.message.seq < oldest; });
  }
  Json found = Json::array();
  ToolRun r = succeeded(call, args, count_text(hits.size(), "message", "messages"),
                        found_text(call.name, *query, hits.size()), "");
  for (const auto& h : hits) {
    found.push_back({{"seq", h.message.seq}, {"author", h.message.author}, {"text", h.passage}});
    std::string location = "seq ";
    location += std::to_string(h.message.seq);
    std::string document = "#";
    document += scope.room;
    r.sources.push_back({{"document", document},
                         {"location", location},
                         {"seq", h.message.seq},
                         {"author", h.message.author},
                         {"score", h.score},
                         {"passage", h.passage}});
  }
  r.content = hits.empty() ? std::string("No earlier messages in this room match.") : dump(found);
  return r;
}

ToolRun search_documents(const ToolCall& call, const Json& args, history::HistoryStore& store,
                         const ToolScope& scope) {
  const auto query = string_argument(args, "query");
  if (!query || query->empty()) return failed(call, args, "\"query\" must be a non-empty string");
  const auto terms = BuiltinAssistant::question_terms(*query);
  std::vector<history::PassageHit> passages;
  if (!terms.empty()) passages = store.documents().search(scope.room, terms, AssistantTools::kDocumentHits);
  Json found = Json::array();
  ToolRun r = succeeded(call, args, count_text(passages.size(), "passage", "passages"),
                        found_text(call.name, *query, passages.size()), "");
  for (const auto& p : passages) {
    found.push_back({{"document", p.document}, {"location", p.location}, {"text", p.text}});
    r.sources.push_back({{"document", p.document},
                         {"document_id", p.document_id},
                         {"location", p.location},
                         {"score", p.score},
                         {"passage", p.text}});
  }
  r.content = passages.empty() ? std::string("No passage of this room's documents matches.") : dump(found);
  return r;
}

}  // namespace

Json AssistantTools::definitions() {
  Json query = {{"query", {{"type", "string"}, {"description", "the words to look for"}}}};
  return Json::array({
      function("calculator",
               "Evaluates an arithmetic expression: numbers, + - * / % ^ and parentheses.",
               {{"expression", {{"type", "string"}, {"description", "e.g. 12*(3+4)"}}}},
               {"expression"}),
      function("current_time", "Returns the current date and time (UTC).", Json::object(), {}),
      function("search_history",
               "Searches the earlier messages of this chat room by words; returns the best "
               "matches with their author and position (seq).",
               query, {"query"}),
      function("search_documents",
               "Searches the documents shared in this chat room; returns the best matching "
               "passages with their document and location.",
               query, {"query"}),
  });
}

bool AssistantTools::needs_store(const std::string& name) {
  return name == "search_history" || name == "search_documents";
}

ToolRun AssistantTools::run(const ToolCall& call, std::int64_t now_ms) {
  std::string why;
  const auto args = parse_arguments(call, why);
  if (!args) return failed(call, call.arguments, why);
  if (call.name == "calculator") {
    const auto expression = string_argument(*args, "expression");
    if (!expression) return failed(call, *args, "\"expression\" must be a string");
    const Calculation c = Calculator::evaluate(*expression);
    if (!c.ok) {
      ToolRun r = failed(call, *args, c.error);
      r.step_text = "calculator: ";
      r.step_text += *expression;
      r.step_text += " failed: ";
      r.step_text += c.error;
      return r;
    }
    std::string text = "calculator: ";
    text += *expression;
    text += " = ";
    text += c.shown();
    return succeeded(call, *args, c.shown(), std::move(text), c.shown());
  }
  if (call.name == "current_time") {
    const std::string now = utc_iso(now_ms);
    std::string text = "current_time: ";
    text += now;
    return succeeded(call, *args, now, std::move(text), now);
  }
  std::string unknown = "unknown tool \"";
  unknown += call.name;
  unknown += "\"";
  return failed(call, *args, unknown);
}

ToolRun AssistantTools::run(const ToolCall& call, std::int64_t now_ms, history::HistoryStore& store,
                            const ToolScope& scope) {
  if (!needs_store(call.name)) return run(call, now_ms);
  std::string why;
  const auto args = parse_arguments(call, why);
  if (!args) return failed(call, call.arguments, why);
  return call.name == "search_history" ? search_history(call, *args, store, scope)
                                       : search_documents(call, *args, store, scope);
}

}  // namespace parley::server
