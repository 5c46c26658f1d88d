// The built-in assistant's reminder flow (interactive components, docs/protocol.md
// section 9c): "remind us to stretch in 10 minutes" sets a reminder at once; a request
// missing its time or text gets a form with what was understood filled in; the form's
// submission sets it, or asks again saying what was wrong; a set reminder's message
// carries a button to cancel it. Reminders are stored and announced by the
// ReminderScheduler when due.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "builtin_assistant.hpp"
#include "parley/history/reminder_store.hpp"
#include "parley/protocol.hpp"

namespace parley::server {

// What a message asked of the reminders, as far as it was understood.
struct ReminderAsk {
  std::string text{};
  std::optional<std::int64_t> due_ms{};
  std::string when_text{};  // the time as written (to pre-fill a form)
  std::string problem{};    // why the form comes back (a time in the past, ...)
};

// The assistant's turn when the message is about reminders.
struct ReminderTurn {
  ReplyPlan plan{};
  std::string component{};                  // the reply's data: {"component": {...}}
  std::optional<history::Reminder> created{};  // a reminder set now, to schedule
};

class ReminderDesk {
 public:
  // When `prompt` asks for a reminder (in words, or by answering a reminder component),
  // does what it asks in `store` and says what to reply; nullopt otherwise.
  static std::optional<ReminderTurn> take_turn(const protocol::ChatMessage& prompt,
                                               std::int64_t now_ms, history::ReminderStore& store);

  // "remind ..." in a message: the text and time found (either may be missing).
  static std::optional<ReminderAsk> parse_request(std::string_view text, std::int64_t now_ms);
  // A time as people write it, in UTC: "2026-12-02 15:30", "2026-12-02T15:30",
  // "at 15:30" / "15:30" (today, or tomorrow when that has passed), "in 10 minutes"
  // (seconds, minutes, hours, days), "tomorrow at 9:00".
  static std::optional<std::int64_t> parse_when(std::string_view text, std::int64_t now_ms);
  // "15:30 UTC on Wednesday, 02 December 2026".
  static std::string describe(std::int64_t ms);
};

}  // namespace parley::server
