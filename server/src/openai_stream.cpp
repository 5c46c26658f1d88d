#include "openai_stream.hpp"

#include <nlohmann/json.hpp>

namespace parley::server {

namespace {

using nlohmann::json;

// Thrown while walking a chunk; becomes a malformed step.
struct BadChunk {
  std::string why{};
};

[[noreturn]] void bad(std::string why) { throw BadChunk{std::move(why)}; }

// Optional string member: absent or null gives nullptr.
const std::string* opt_string(const json& obj, const char* key, const char* where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  if (!it->is_string()) {
    std::string why = where;
    why += ".";
    why += key;
    why += " is not a string";
    bad(std::move(why));
  }
  return it->get_ptr<const std::string*>();
}

// Optional object/array member: absent or null gives nullptr.
const json* opt_member(const json& obj, const char* key, json::value_t type, const char* where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  if (it->type() != type) {
    std::string why = where;
    why += ".";
    why += key;
    why += type == json::value_t::array ? " is not an array" : " is not an object";
    bad(std::move(why));
  }
  return &*it;
}

std::optional<std::uint64_t> opt_count(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  std::string why = "usage.";
  why += key;
  why += " is not a non-negative integer";
  bad(std::move(why));
}

std::optional<std::size_t> opt_index(const json& obj, const char* where) {
  auto it = obj.find("index");
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_unsigned()) {
    std::string why = where;
    why += ".index is not a non-negative integer";
    bad(std::move(why));
  }
  return static_cast<std::size_t>(it->get<std::uint64_t>());
}

void apply_tool_fragment(const json& frag, std::vector<ToolCall>& calls) {
  if (!frag.is_object()) bad("delta.tool_calls[] is not an object");
  const auto* id = opt_string(frag, "id", "tool_call");
  const json* fn = opt_member(frag, "function", json::value_t::object, "tool_call");
  const std::string* name = fn ? opt_string(*fn, "name", "tool_call.function") : nullptr;
  const std::string* args = fn ? opt_string(*fn, "arguments", "tool_call.function") : nullptr;

  std::size_t index = 0;
  if (auto explicit_index = opt_index(frag, "tool_call")) {
    index = *explicit_index;
    if (index >= OpenAiStreamDecoder::kMaxToolCalls) bad("tool_call.index out of range");
  } else if (calls.empty() || (id && !id->empty() && !calls.back().id.empty() && calls.back().id != *id)) {
    // Providers that omit the index send each call whole, or continue the last one.
    index = calls.size();
    if (index >= OpenAiStreamDecoder::kMaxToolCalls) bad("too many tool calls");
  } else {
    index = calls.size() - 1;
  }
  if (calls.size() <= index) calls.resize(index + 1);
  ToolCall& call = calls[index];
  if (id && !id->empty()) call.id = *id;
  if (name) call.name += *name;
  if (args) call.arguments += *args;
}

}  // namespace

StreamStep OpenAiStreamDecoder::malformed(std::string why) {
  over_ = true;
  StreamStep step;
  step.kind = StreamStep::Kind::malformed;
  step.error = "malformed stream: ";
  step.error += why;
  return step;
}

StreamStep OpenAiStreamDecoder::finish() {
  for (const auto& call : completion_.tool_calls) {
    if (call.name.empty()) return malformed("tool call without a function name");
  }
  over_ = true;
  StreamStep step;
  step.kind = StreamStep::Kind::done;
  return step;
}

StreamStep OpenAiStreamDecoder::end_of_stream() {
  if (over_) return malformed("data after the end of the stream");
  if (saw_finish()) return finish();
  return malformed("stream ended early");
}

StreamStep OpenAiStreamDecoder::consume(std::string_view data) {
  if (over_) return malformed("data after the end of the stream");
  if (data == "[DONE]") {
    if (!saw_finish()) {  // terse servers skip it
      completion_.finish_reason = completion_.tool_calls.empty() ? "stop" : "tool_calls";
    }
    return finish();
  }
  json chunk = json::parse(data.begin(), data.end(), nullptr, /*allow_exceptions=*/false);
  if (chunk.is_discarded()) {
    std::string why = "invalid JSON: ";
    why += data.substr(0, 80);
    return malformed(std::move(why));
  }
  if (!chunk.is_object()) return malformed("chunk is not a JSON object");

  StreamStep step;
  try {
    if (auto err = chunk.find("error"); err != chunk.end() && !err->is_null()) {
      over_ = true;
      step.kind = StreamStep::Kind::refused;
      if (err->is_string()) {
        step.error = err->get<std::string>();
      } else if (err->is_object() && err->contains("message") && (*err)["message"].is_string()) {
        step.error = (*err)["message"].get<std::string>();
      }
      if (step.error.empty()) step.error = "the provider reported an error";
      return step;
    }
    if (const auto* model = opt_string(chunk, "model", "chunk"); model && !model->empty()) {
      completion_.model = *model;
    }
    if (const json* usage = opt_member(chunk, "usage", json::value_t::object, "chunk")) {
      if (auto n = opt_count(*usage, "prompt_tokens")) completion_.prompt_tokens = n;
      if (auto n = opt_count(*usage, "completion_tokens")) completion_.completion_tokens = n;
      if (auto it = usage->find("cost"); it != usage->end() && !it->is_null()) {
        if (!it->is_number()) bad("usage.cost is not a number");
        completion_.cost = it->get<double>();
      }
    }
    if (const json* choices = opt_member(chunk, "choices", json::value_t::array, "chunk")) {
      for (const auto& choice : *choices) {
        if (!choice.is_object()) bad("choices[] is not an object");
        if (opt_index(choice, "choice").value_or(0) != 0) continue;  // only one answer is asked for
        if (const json* delta = opt_member(choice, "delta", json::value_t::object, "choice")) {
          if (const auto* content = opt_string(*delta, "content", "delta")) step.text += *content;
          if (const json* calls = opt_member(*delta, "tool_calls", json::value_t::array, "delta")) {
            for (const auto& frag : *calls) apply_tool_fragment(frag, completion_.tool_calls);
          }
        }
        if (const auto* reason = opt_string(choice, "finish_reason", "choice"); reason && !reason->empty()) {
          completion_.finish_reason = *reason;
        }
      }
    }
  } catch (const BadChunk& e) {
    return malformed(e.why);
  }
  return step;
}

}  // namespace parley::server
