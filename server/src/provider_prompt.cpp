#include "provider_prompt.hpp"

namespace parley::server {

namespace {

using Json = nlohmann::json;
using protocol::MessageKind;
using protocol::MessageStatus;

Json user_message(const protocol::ChatMessage& m) {
  std::string content = m.author;
  content += ": ";
  content += m.text;
  return {{"role", "user"}, {"content", content}};
}

}  // namespace

std::uint32_t ProviderPrompt::history_limit(const protocol::GenerationOptions& options) {
  return options.history ? *options.history : kDefaultHistory;
}

std::string ProviderPrompt::default_system(const std::string& room) {
  std::string s = "You are Parley's assistant in the chat room #";
  s += room;
  s += ". Several people may talk here; their messages reach you as \"name: text\". "
       "Answer the last message helpfully and briefly. You may use the tools offered: a "
       "calculator, the current time, and searches of this room's earlier messages and "
       "of its documents.";
  return s;
}

Json ProviderPrompt::messages(const protocol::ChatMessage& prompt,
                              const protocol::GenerationOptions& options,
                              const std::vector<protocol::ChatMessage>& earlier) {
  Json out = Json::array();
  out.push_back({{"role", "system"},
                 {"content", options.system_prompt.empty() ? default_system(prompt.room)
                                                           : options.system_prompt}});
  for (const auto& m : earlier) {
    if (m.seq >= prompt.seq) continue;
    if (m.kind == MessageKind::user) {
      out.push_back(user_message(m));
    } else if (m.kind == MessageKind::assistant && m.status != MessageStatus::streaming &&
               !m.text.empty()) {
      out.push_back({{"role", "assistant"}, {"content", m.text}});
    }
  }
  out.push_back(user_message(prompt));
  return out;
}

}  // namespace parley::server
