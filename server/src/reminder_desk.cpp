#include "reminder_desk.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>

namespace parley::server {

namespace {

using Json = nlohmann::json;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s, std::string_view junk = " \t\n\r") {
  const auto b = s.find_first_not_of(junk);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(junk);
  return std::string(s.substr(b, e - b + 1));
}

std::int64_t utc_ms(int y, int mo, int d, int h, int mi) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

std::tm utc_tm(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string iso(std::int64_t ms) {
  const std::tm tm = utc_tm(ms);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string step_data(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The times a request may hold, as written.
const std::regex& time_pattern() {
  static const std::regex r(
      R"((\d{4}-\d{2}-\d{2}[ t]\d{1,2}:\d{2})|(tomorrow (?:at )?\d{1,2}:\d{2})|(at \d{1,2}:\d{2})|(in \d+ (?:seconds?|secs?|minutes?|mins?|hours?|days?)))",
      std::regex::icase);
  return r;
}

Json form_component(const ReminderAsk& ask) {
  Json fields = Json::array();
  fields.push_back({{"name", "text"}, {"label", "Remind the room to"}, {"type", "text"},
                    {"required", true}, {"value", ask.text}});
  fields.push_back({{"name", "when"}, {"label", "When (UTC): 2026-12-24 18:00, 15:30, in 10 minutes"},
                    {"type", "datetime"}, {"required", true}, {"value", ask.when_text}});
  fields.push_back({{"name", "note"}, {"label", "Note (optional)"}, {"type", "text"},
                    {"required", false}, {"value", ""}});
  Json c = {{"id", "reminder"}, {"type", "form"}, {"title", "New reminder"},
            {"submit_label", "Set reminder"}, {"fields", fields}};
  if (!ask.problem.empty()) c["error"] = ask.problem;
  return c;
}

ReplyPlan plan_with(const protocol::ChatMessage& prompt, const std::string& thought, Json tool,
                    std::string tool_text, std::string reply) {
  ReplyPlan p;
  p.steps.push_back({thought, step_data({{"step", "thinking"}, {"text", thought}})});
  if (!tool.is_null()) p.steps.push_back({std::move(tool_text), step_data(tool)});
  p.steps.push_back({"responding", step_data({{"step", "status"}, {"status", "responding"}})});
  p.reply = std::move(reply);
  (void)prompt;
  return p;
}

ReminderTurn ask_with_form(const protocol::ChatMessage& prompt, const ReminderAsk& ask) {
  ReminderTurn t;
  std::string reply = "I can set that reminder for #" + prompt.room + ". ";
  reply += ask.problem.empty() ? std::string("Fill in what is missing in the form below.")
                               : ask.problem + " Correct it in the form below.";
  t.plan = plan_with(prompt, "A reminder needs a text and a time; I will ask for what is missing.",
                     Json(), "", reply);
  t.component = Json{{"component", form_component(ask)}}.dump();
  return t;
}

ReminderTurn create(const protocol::ChatMessage& prompt, const ReminderAsk& ask,
                    std::int64_t now_ms, history::ReminderStore& store) {
  auto r = store.add(prompt.room, prompt.author, ask.text, *ask.due_ms, now_ms);
  ReminderTurn t;
  if (!r) {
    t.plan = plan_with(prompt, "The room is gone.", Json(), "", "This room no longer exists.");
    return t;
  }
  const Json tool = {{"step", "tool"}, {"name", "reminders"},
                     {"arguments", {{"action", "create"}, {"text", ask.text}, {"due", iso(r->due_ms)}}},
                     {"result", "reminder " + std::to_string(r->id)}};
  t.plan = plan_with(prompt, "To answer " + prompt.author + " I will set a reminder.", tool,
                     "reminders: set for " + iso(r->due_ms),
                     "I will remind #" + prompt.room + " at " + ReminderDesk::describe(r->due_ms) +
                         ": \"" + ask.text + "\". The button below cancels it.");
  t.component = Json{{"component", {{"id", "reminder"}, {"type", "buttons"},
                                    {"reminder_id", r->id},
                                    {"buttons", Json::array({{{"id", "cancel"}, {"label", "Cancel reminder"}}})}}}}
                    .dump();
  t.created = r;
  return t;
}

}  // namespace

std::string ReminderDesk::describe(std::int64_t ms) {
  const std::tm tm = utc_tm(ms);
  char buf[96];
  std::strftime(buf, sizeof buf, "%H:%M UTC on %A, %d %B %Y", &tm);
  return buf;
}

std::optional<std::int64_t> ReminderDesk::parse_when(std::string_view text, std::int64_t now_ms) {
  const std::string t = trim(lower(text), " \t\n\r.,!?");
  std::smatch m;
  static const std::regex in_re(R"(^in (\d{1,6}) (seconds?|secs?|minutes?|mins?|hours?|days?)$)");
  static const std::regex iso_re(R"(^(\d{4})-(\d{2})-(\d{2})[ t](\d{1,2}):(\d{2})(?::\d{2})?z?$)");
  static const std::regex clock_re(R"(^(?:(tomorrow) )?(?:at )?(\d{1,2}):(\d{2})$)");
  if (std::regex_match(t, m, in_re)) {
    const std::int64_t n = std::stoll(m[1]);
    const char unit = m[2].str()[0];
    const std::int64_t scale = unit == 's' ? 1000 : unit == 'm' ? 60'000 : unit == 'h' ? 3'600'000 : 86'400'000;
    return now_ms + n * scale;
  }
  if (std::regex_match(t, m, iso_re)) {
    const int mo = std::stoi(m[2]), d = std::stoi(m[3]), h = std::stoi(m[4]), mi = std::stoi(m[5]);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return std::nullopt;
    return utc_ms(std::stoi(m[1]), mo, d, h, mi);
  }
  if (std::regex_match(t, m, clock_re)) {
    const int h = std::stoi(m[2]), mi = std::stoi(m[3]);
    if (h > 23 || mi > 59) return std::nullopt;
    const std::tm now = utc_tm(now_ms);
    std::int64_t at = utc_ms(now.tm_year + 1900, now.tm_mon + 1, now.tm_mday, h, mi);
    if (m[1].matched || at <= now_ms) at += 86'400'000;
    return at;
  }
  return std::nullopt;
}

std::optional<ReminderAsk> ReminderDesk::parse_request(std::string_view text, std::int64_t now_ms) {
  const std::string low = lower(text);
  const auto at = low.find("remind");
  if (at == std::string::npos) return std::nullopt;
  ReminderAsk ask;
  std::string rest(text.substr(at));
  std::smatch m;
  if (std::regex_search(rest, m, time_pattern())) {
    ask.when_text = m.str();
    ask.due_ms = parse_when(ask.when_text, now_ms);
    rest.erase(static_cast<std::size_t>(m.position()), static_cast<std::size_t>(m.length()));
  }
  // The text: what follows "to" (or "about", "that") after "remind me/us/...".
  const std::string rest_low = lower(rest);
  for (const char* word : {" to ", " about ", " that "}) {
    const auto w = rest_low.find(word);
    if (w == std::string::npos) continue;
    ask.text = trim(rest.substr(w + std::string_view(word).size()), " \t\n\r.,!?");
    break;
  }
  return ask;
}

std::optional<ReminderTurn> ReminderDesk::take_turn(const protocol::ChatMessage& prompt,
                                                    std::int64_t now_ms,
                                                    history::ReminderStore& store) {
  const Json data = Json::parse(prompt.data.empty() ? "{}" : prompt.data, nullptr, false);
  const Json* submit = data.is_object() && data.contains("submit") ? &data["submit"] : nullptr;
  if (submit != nullptr && submit->is_object()) {
    const Json target = submit->value("target", Json::object());
    if (target.value("id", "") != "reminder") return std::nullopt;
    const std::string action = submit->value("action", "");
    if (action == "cancel") {
      const auto id = target.value("reminder_id", std::uint64_t{0});
      const auto r = store.find(id);
      const bool cancelled = store.cancel(id);
      ReminderTurn t;
      const Json tool = {{"step", "tool"}, {"name", "reminders"},
                         {"arguments", {{"action", "cancel"}, {"id", id}}},
                         {"result", cancelled ? "cancelled" : "not pending"}};
      t.plan = plan_with(prompt, "To answer " + prompt.author + " I will cancel the reminder.", tool,
                         cancelled ? "reminders: cancelled" : "reminders: nothing to cancel",
                         cancelled && r ? "Cancelled the reminder \"" + r->text + "\"."
                                        : std::string("That reminder was already announced or cancelled."));
      return t;
    }
    const Json values = submit->value("values", Json::object());
    ReminderAsk ask;
    ask.text = trim(values.value("text", ""));
    ask.when_text = trim(values.value("when", ""));
    ask.due_ms = parse_when(ask.when_text, now_ms);
    if (ask.text.empty()) {
      ask.problem = "The reminder needs a text.";
    } else if (!ask.due_ms) {
      ask.problem = "I could not read the time \"" + ask.when_text +
                    "\" (write e.g. 2026-12-24 18:00, 15:30 or in 10 minutes).";
    } else if (*ask.due_ms <= now_ms) {
      ask.problem = "That time has passed.";
    }
    if (!ask.problem.empty()) return ask_with_form(prompt, ask);
    return create(prompt, ask, now_ms, store);
  }
  if (prompt.kind != protocol::MessageKind::user) return std::nullopt;
  auto ask = parse_request(prompt.text, now_ms);
  if (!ask) return std::nullopt;
  if (ask->due_ms && *ask->due_ms <= now_ms) ask->problem = "That time has passed.";
  if (ask->text.empty() || !ask->due_ms || !ask->problem.empty()) return ask_with_form(prompt, *ask);
  return create(prompt, *ask, now_ms, store);
}

}  // namespace parley::server
