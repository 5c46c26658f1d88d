// The reminder flow's reading of times and requests, and its turns against a real store.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "parley/history/sqlite_history_store.hpp"
#include "reminder_desk.hpp"

namespace parley::server {
namespace {

// 2026-12-02 12:00:00 UTC
constexpr std::int64_t kNoon = 1'796'212'800'000;

TEST(ReminderDesk, ReadsTimesAsPeopleWriteThem) {
  EXPECT_EQ(ReminderDesk::parse_when("in 10 minutes", kNoon), kNoon + 600'000);
  EXPECT_EQ(ReminderDesk::parse_when("in 1 hour", kNoon), kNoon + 3'600'000);
  EXPECT_EQ(ReminderDesk::parse_when("In 2 Days", kNoon), kNoon + 2 * 86'400'000);
  EXPECT_EQ(ReminderDesk::parse_when("in 5 secs", kNoon), kNoon + 5'000);
  EXPECT_EQ(ReminderDesk::parse_when("2026-12-24 18:00", kNoon), 1'798'135'200'000);
  EXPECT_EQ(ReminderDesk::parse_when("2026-12-24T18:00", kNoon), 1'798'135'200'000);
  EXPECT_EQ(ReminderDesk::parse_when("at 15:30", kNoon), kNoon + 3 * 3'600'000 + 1'800'000);
  EXPECT_EQ(ReminderDesk::parse_when("09:00", kNoon), kNoon + 21 * 3'600'000) << "passed today: tomorrow";
  EXPECT_EQ(ReminderDesk::parse_when("tomorrow at 12:00", kNoon), kNoon + 86'400'000);
  for (const char* bad : {"", "someday", "25:00", "2026-13-01 10:00", "in ten minutes", "at noon"}) {
    EXPECT_FALSE(ReminderDesk::parse_when(bad, kNoon).has_value()) << bad;
  }
}

TEST(ReminderDesk, FindsTheTextAndTheTimeInARequest) {
  auto a = ReminderDesk::parse_request("Remind us to stretch in 10 minutes!", kNoon);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->text, "stretch");
  EXPECT_EQ(a->when_text, "in 10 minutes");
  EXPECT_EQ(a->due_ms, kNoon + 600'000);
  a = ReminderDesk::parse_request("please remind me at 15:30 to call Bob", kNoon);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->text, "call Bob");
  a = ReminderDesk::parse_request("remind me", kNoon);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->text.empty());
  EXPECT_FALSE(a->due_ms);
  EXPECT_FALSE(ReminderDesk::parse_request("what is 2+2?", kNoon));
}

protocol::ChatMessage ask(std::string text) {
  protocol::ChatMessage m;
  m.room = "lobby";
  m.seq = 1;
  m.author = "ann";
  m.text = std::move(text);
  return m;
}

TEST(ReminderDesk, AsksWithAFormWhatIsMissingAndSetsWhatIsComplete) {
  history::SqliteHistoryStore store(":memory:");
  store.ensure_room("lobby");
  auto turn = ReminderDesk::take_turn(ask("remind us to stretch"), kNoon, store.reminders());
  ASSERT_TRUE(turn);
  EXPECT_FALSE(turn->created);
  const auto form = nlohmann::json::parse(turn->component)["component"];
  EXPECT_EQ(form["type"], "form");
  EXPECT_EQ(form["fields"][0]["value"], "stretch");
  EXPECT_EQ(form["fields"][1]["required"], true);
  EXPECT_TRUE(store.reminders().pending().empty());

  turn = ReminderDesk::take_turn(ask("remind us to stretch in 1 hour"), kNoon, store.reminders());
  ASSERT_TRUE(turn && turn->created);
  EXPECT_EQ(turn->created->due_ms, kNoon + 3'600'000);
  EXPECT_EQ(nlohmann::json::parse(turn->component)["component"]["reminder_id"], turn->created->id);
  ASSERT_EQ(store.reminders().pending().size(), 1u);

  // A submitted form with a time in the past comes back saying so.
  auto submit = ask("text: stretch · when: 2020-01-01 10:00");
  submit.data = R"j({"submit":{"action":"submit","seq":2,"target":{"id":"reminder","type":"form"},"values":{"text":"stretch","when":"2020-01-01 10:00"}}})j";
  turn = ReminderDesk::take_turn(submit, kNoon, store.reminders());
  ASSERT_TRUE(turn);
  EXPECT_EQ(nlohmann::json::parse(turn->component)["component"]["error"], "That time has passed.");
  EXPECT_EQ(store.reminders().pending().size(), 1u);
}

}  // namespace
}  // namespace parley::server
