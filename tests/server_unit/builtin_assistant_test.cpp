#include "builtin_assistant.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <numeric>

using parley::server::BuiltinAssistant;

namespace {
parley::protocol::ChatMessage prompt(std::string text) {
  parley::protocol::ChatMessage m;
  m.room = "lobby";
  m.seq = 7;
  m.author = "alice";
  m.text = std::move(text);
  return m;
}
}  // namespace

TEST(BuiltinAssistant, ReplyIsDeterministicAndDescribesTheMessage) {
  BuiltinAssistant a;
  auto r1 = a.compose_reply(prompt("héllo Привет?"));
  auto r2 = a.compose_reply(prompt("héllo Привет?"));
  EXPECT_EQ(r1, r2);
  EXPECT_NE(r1.find("alice"), std::string::npos);
  EXPECT_NE(r1.find("2 words and 13 characters"), std::string::npos) << r1;
  EXPECT_NE(r1.find("no language model"), std::string::npos);
  EXPECT_NE(r1.find("question"), std::string::npos);
  EXPECT_EQ(a.compose_reply(prompt("one")).find("question"), std::string::npos);
}

TEST(BuiltinAssistant, LongMessagesAreQuotedInShort) {
  BuiltinAssistant a;
  auto r = a.compose_reply(prompt(std::string(500, 'x')));
  EXPECT_NE(r.find(std::string(80, 'x') + "\u2026"), std::string::npos);
  EXPECT_EQ(r.find(std::string(81, 'x')), std::string::npos);
}

TEST(BuiltinAssistant, TokensConcatenateToTheText) {
  for (std::string text : {"Hello there, world.", "  leading", "trailing  ", "a\nb\tc",
                           "Привет мир", "", "single"}) {
    auto pieces = BuiltinAssistant::tokenize(text);
    auto joined = std::accumulate(pieces.begin(), pieces.end(), std::string());
    EXPECT_EQ(joined, text);
    for (auto& p : pieces) EXPECT_FALSE(p.empty());
  }
  EXPECT_EQ(BuiltinAssistant::tokenize("a b  c").size(), 3u);
}

namespace {

std::string field(const std::string& json, const char* key) {
  const auto j = nlohmann::json::parse(json);
  const auto it = j.find(key);
  return it == j.end() ? "" : it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

TEST(BuiltinAssistantTools, ArithmeticGoesThroughTheCalculatorAsAStep) {
  BuiltinAssistant a;
  const auto plan = a.plan(prompt("what is 12*(3+4)?"), {}, 0);
  ASSERT_EQ(plan.steps.size(), 3u);  // thinking, calculator, responding
  EXPECT_EQ(field(plan.steps[0].data, "step"), "thinking");
  EXPECT_EQ(plan.steps[1].text, "calculator: 12*(3+4) = 84");
  EXPECT_EQ(field(plan.steps[1].data, "name"), "calculator");
  EXPECT_EQ(field(plan.steps[1].data, "result"), "84");
  EXPECT_EQ(field(plan.steps[1].data, "arguments"), R"j({"expression":"12*(3+4)"})j");
  EXPECT_EQ(field(plan.steps[2].data, "status"), "responding");
  EXPECT_EQ(plan.reply.rfind("12*(3+4) = 84. ", 0), 0u) << plan.reply;

  const auto bad = a.plan(prompt("and 1/0?"), {}, 0);
  EXPECT_EQ(field(bad.steps[1].data, "error"), "division by zero");
  EXPECT_NE(bad.reply.find("I could not work out 1/0: division by zero"), std::string::npos);
}

TEST(BuiltinAssistantTools, TheClockAnswersQuestionsAboutTheTime) {
  BuiltinAssistant a;
  const std::int64_t now = 1'796'202'285'000;  // 2026-12-02T09:04:45Z, a Wednesday
  const auto plan = a.plan(prompt("What time is it?"), {}, now);
  ASSERT_EQ(plan.steps.size(), 3u);
  EXPECT_EQ(field(plan.steps[1].data, "result"), "2026-12-02T09:04:45Z");
  EXPECT_EQ(plan.reply.rfind("It is 09:04 UTC on Wednesday, 02 December 2026. ", 0), 0u) << plan.reply;
}

TEST(BuiltinAssistantTools, ASearchRequestListsItsSourcesOrSaysItFoundNothing) {
  EXPECT_EQ(BuiltinAssistant::search_terms("Search for the deploy date please"),
            (std::vector<std::string>{"deploy", "date"}));
  EXPECT_EQ(BuiltinAssistant::search_terms("what did bob mention earlier about Tickets?"),
            (std::vector<std::string>{"bob", "tickets"}));
  EXPECT_TRUE(BuiltinAssistant::search_terms("hello there").empty()) << "no search asked";

  BuiltinAssistant a;
  const auto none = a.plan(prompt("find the deploy date"), {}, 0);
  EXPECT_EQ(field(none.steps[1].data, "result"), "0 messages");
  EXPECT_NE(none.reply.find("I searched #lobby for \"deploy date\" and found nothing"),
            std::string::npos);

  parley::history::SearchHit hit;
  hit.message = prompt("the deploy date is friday");
  hit.message.seq = 3;
  hit.message.author = "bob";
  hit.score = 1.5;
  hit.passage = "the deploy date is friday";
  const auto found = a.plan(prompt("find the deploy date"), {hit}, 0);
  ASSERT_EQ(found.steps.size(), 4u);  // thinking, search, sources, responding
  const auto sources = nlohmann::json::parse(found.steps[2].data);
  EXPECT_EQ(sources["step"], "sources");
  ASSERT_EQ(sources["sources"].size(), 1u);
  EXPECT_EQ(sources["sources"][0]["seq"], 3);
  EXPECT_EQ(sources["sources"][0]["score"], 1.5);
  EXPECT_EQ(sources["sources"][0]["document"], "#lobby");
  EXPECT_NE(found.reply.find("bob wrote \"the deploy date is friday\" (seq 3)"), std::string::npos);
}

TEST(BuiltinAssistantTools, APlainMessageNeedsNoTools) {
  BuiltinAssistant a;
  const auto plan = a.plan(prompt("hello there"), {}, 0);
  EXPECT_TRUE(plan.steps.empty());
  EXPECT_EQ(plan.reply, a.compose_reply(prompt("hello there")));
}
