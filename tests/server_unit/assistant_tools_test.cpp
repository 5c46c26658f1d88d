// The tools a provider's model may call, run against a real (in-memory) store: what goes
// back to the model, the step the room sees, and the sources the searches found.
#include <gtest/gtest.h>

#include "assistant_tools.hpp"
#include "parley/history/sqlite_history_store.hpp"

namespace parley::server {
namespace {

ToolCall call(std::string name, std::string arguments) {
  ToolCall c;
  c.id = std::string("call_1");
  c.name = std::move(name);
  c.arguments = std::move(arguments);
  return c;
}

history::NewMessage said(std::string author, std::string text) {
  history::NewMessage m;
  m.room = std::string("lobby");
  m.author = std::move(author);
  m.text = std::move(text);
  m.ts_ms = 1000;
  return m;
}

TEST(AssistantTools, DefinesEachToolWithItsParameters) {
  const auto defs = AssistantTools::definitions();
  std::vector<std::string> names;
  for (const auto& d : defs) {
    EXPECT_EQ(d["type"], "function");
    EXPECT_EQ(d["function"]["parameters"]["type"], "object");
    names.push_back(d["function"]["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"calculator", "current_time", "search_history",
                                             "search_documents"}));
  EXPECT_TRUE(AssistantTools::needs_store("search_history"));
  EXPECT_FALSE(AssistantTools::needs_store("calculator"));
}

TEST(AssistantTools, CalculatorAndClockAnswerOrSayWhatWentWrong) {
  auto r = AssistantTools::run(call("calculator", R"j({"expression":"6*7"})j"), 0);
  EXPECT_NE(r.content.find("42"), std::string::npos) << r.content;
  EXPECT_EQ(r.step["name"], "calculator");
  EXPECT_TRUE(r.step.contains("result"));
  r = AssistantTools::run(call("calculator", R"j({"expression":"1/0"})j"), 0);
  EXPECT_TRUE(r.step.contains("error")) << r.step.dump();
  r = AssistantTools::run(call("calculator", "not json"), 0);
  EXPECT_TRUE(r.step.contains("error")) << r.step.dump();
  r = AssistantTools::run(call("launch_rockets", "{}"), 0);
  EXPECT_TRUE(r.step.contains("error")) << r.step.dump();
  r = AssistantTools::run(call("current_time", "{}"), 1'796'212'800'000);
  EXPECT_NE(r.content.find("2026-12-02"), std::string::npos) << r.content;
}

TEST(AssistantTools, SearchesFindTheRoomsMessagesAndDocumentsAsSources) {
  history::SqliteHistoryStore store(":memory:");
  store.ensure_room("lobby");
  store.append(said("bob", "the deploy is on Thursday"));
  store.append(said("ann", "lunch at noon"));
  history::NewDocument d;
  d.room = "lobby";
  d.name = "handbook.md";
  d.media_type = "text/markdown";
  d.kind = "markdown";
  d.size = 10;
  d.sha256 = std::string(64, 'a');
  d.uploader = "ann";
  const auto doc = store.documents().add(d);
  store.documents().add_passages(doc->id, {{"lines 1–2", "Badges are collected at the front desk."}});
  const ToolScope scope{"lobby", 100, std::nullopt};

  auto r = AssistantTools::run(call("search_history", R"j({"query":"deploy"})j"), 0, store, scope);
  ASSERT_EQ(r.sources.size(), 1u) << r.sources.dump();
  EXPECT_EQ(r.sources[0]["author"], "bob");
  EXPECT_NE(r.content.find("Thursday"), std::string::npos) << r.content;

  r = AssistantTools::run(call("search_documents", R"j({"query":"badges desk"})j"), 0, store, scope);
  ASSERT_EQ(r.sources.size(), 1u) << r.sources.dump();
  EXPECT_EQ(r.sources[0]["document"], "handbook.md");
  EXPECT_EQ(r.sources[0]["location"], "lines 1–2");

  r = AssistantTools::run(call("search_history", R"j({"query":"volcano"})j"), 0, store, scope);
  EXPECT_TRUE(r.sources.empty());
  EXPECT_FALSE(r.content.empty()) << "the model is told nothing was found";
  // history: 0 hides the room's messages from the search.
  r = AssistantTools::run(call("search_history", R"j({"query":"deploy"})j"), 0, store,
                          ToolScope{"lobby", 100, 0u});
  EXPECT_TRUE(r.sources.empty());
}

}  // namespace
}  // namespace parley::server
