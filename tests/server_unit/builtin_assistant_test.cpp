#include "builtin_assistant.hpp"

#include <gtest/gtest.h>

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
