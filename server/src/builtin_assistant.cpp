#include "builtin_assistant.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <ctime>
#include <nlohmann/json.hpp>
#include <set>

#include "calculator.hpp"

namespace parley::server {

namespace {

std::size_t count_code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::size_t count_words(const std::string& s) {
  std::size_t n = 0;
  bool in_word = false;
  for (unsigned char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

// The first `max` code points of `s`, with "…" when cut.
std::string excerpt(const std::string& s, std::size_t max) {
  std::size_t points = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && points++ == max) break;
  }
  std::string out = s.substr(0, i);
  for (auto& c : out)
    if (c == '\n' || c == '\t') c = ' ';
  return i < s.size() ? out + "\u2026" : out;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

bool ends_with_question(const std::string& s) {
  auto end = s.find_last_not_of(" \n\t\r");
  return end != std::string::npos && s[end] == '?';
}

}  // namespace

std::string BuiltinAssistant::compose_reply(const protocol::ChatMessage& prompt) const {
  std::string reply = "Hello " + prompt.author + ". I am Parley's built-in assistant: a small ";
  reply += "deterministic responder inside this server, with no language model and no network ";
  reply += "access, so I cannot understand your message, only describe it. ";
  reply += "You wrote \"" + excerpt(prompt.text, 80) + "\": " +
           plural(count_words(prompt.text), "word", "words") + " and " +
           plural(count_code_points(prompt.text), "character", "characters");
  reply += ends_with_question(prompt.text) ? ", ending in a question I cannot answer yet. "
                                           : ". ";
  reply += "This reply streams to everyone in #" + prompt.room +
           " word by word and is kept in the room's history as it grows.";
  return reply;
}

namespace {

using Json = nlohmann::json;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The message's words, lower-cased ASCII letters and digits (other bytes kept, so
// accented words stay whole).
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  std::string w;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u) || c == '\'') {
      w += static_cast<char>(std::tolower(u));
    } else if (!w.empty()) {
      out.push_back(w);
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

bool has_word(const std::vector<std::string>& words, std::initializer_list<const char*> any) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    return std::any_of(any.begin(), any.end(), [&](const char* a) { return w == a; });
  });
}

// "what time", "the date", "what day", "today's date": a question about now.
bool asks_the_time(const std::string& text) {
  const std::string t = lower(text);
  for (const char* p : {"what time", "the time", "what day", "the date", "what date",
                        "today's date", "which day"}) {
    if (t.find(p) != std::string::npos) return true;
  }
  return false;
}

std::string utc_text(std::int64_t now_ms, const char* format) {
  const std::time_t t = static_cast<std::time_t>(now_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string step_data(Json j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace

namespace {

const std::set<std::string>& common_words() {
  static const std::set<std::string> kCommon = {
      "search", "find", "earlier", "mentioned", "mention", "remember", "said", "wrote",
      "the", "a", "an", "and", "or", "for", "of", "to", "in", "on", "at", "about", "what",
      "who", "when", "where", "did", "do", "does", "we", "you", "i", "me", "my", "our",
      "us", "is", "was", "are", "were", "be", "this", "that", "it", "any", "anyone",
      "someone", "something", "please", "can", "could", "would", "messages", "message",
      "room", "history", "parley", "with", "from", "there", "have", "has", "had", "all",
      "how", "why", "which", "whom", "whose", "will", "shall", "should", "may", "might",
      "must", "tell", "say", "says", "know", "does", "done", "not", "no", "yes", "its",
      "it's", "his", "her", "their", "them", "they", "she", "he", "your", "yours", "than",
      "then", "into", "onto", "out", "over", "under", "more", "most", "some", "many", "much",
      "very", "just", "also", "only", "get", "got", "give", "need", "want", "like", "use",
      "document", "documents", "file", "files", "according", "question"};
  return kCommon;
}

std::vector<std::string> content_words(const std::vector<std::string>& words, std::size_t min_size) {
  std::vector<std::string> terms;
  for (const auto& w : words) {
    const bool number = std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (w.size() < min_size || number || common_words().contains(w)) continue;
    if (std::find(terms.begin(), terms.end(), w) != terms.end()) continue;
    terms.push_back(w);
    if (terms.size() == 8) break;
  }
  return terms;
}

}  // namespace

std::vector<std::string> BuiltinAssistant::search_terms(const std::string& text) {
  const std::vector<std::string> words = words_of(text);
  if (!has_word(words, {"search", "find", "earlier", "mentioned", "mention", "remember",
                        "said", "wrote"}))
    return {};
  return content_words(words, 2);
}

std::vector<std::string> BuiltinAssistant::question_terms(const std::string& text) {
  return content_words(words_of(text), 3);
}

ReplyPlan BuiltinAssistant::plan(const protocol::ChatMessage& prompt,
                                 const std::vector<history::SearchHit>& hits,
                                 std::int64_t now_ms,
                                 const std::vector<history::PassageHit>& passages) const {
  ReplyPlan p;
  const auto expression = Calculator::find_expression(prompt.text);
  const bool clock = asks_the_time(prompt.text);
  const std::vector<std::string> terms = search_terms(prompt.text);
  if (!expression && !clock && terms.empty() && passages.empty()) {
    p.reply = compose_reply(prompt);
    return p;
  }

  std::vector<std::string> plan_words;
  if (expression) plan_words.push_back("work out " + *expression);
  if (clock) plan_words.push_back("read the clock");
  if (!terms.empty()) plan_words.push_back("search #" + prompt.room + " for earlier messages");
  if (!passages.empty()) plan_words.push_back("read what the room's documents say");
  std::string thought = "To answer " + prompt.author + " I will ";
  for (std::size_t i = 0; i < plan_words.size(); ++i) {
    if (i > 0) thought += i + 1 == plan_words.size() ? " and " : ", ";
    thought += plan_words[i];
  }
  thought += ".";
  p.steps.push_back({thought, step_data({{"step", "thinking"}, {"text", thought}})});

  std::string reply;
  if (expression) {
    const Calculation c = Calculator::evaluate(*expression);
    Json data = {{"step", "tool"}, {"name", "calculator"}, {"arguments", {{"expression", *expression}}}};
    if (c.ok) {
      data["result"] = c.shown();
      p.steps.push_back({"calculator: " + *expression + " = " + c.shown(), step_data(data)});
      reply += *expression + " = " + c.shown() + ". ";
    } else {
      data["error"] = c.error;
      p.steps.push_back({"calculator: " + *expression + " failed: " + c.error, step_data(data)});
      reply += "I could not work out " + *expression + ": " + c.error + ". ";
    }
  }
  if (clock) {
    const std::string iso = utc_text(now_ms, "%Y-%m-%dT%H:%M:%SZ");
    p.steps.push_back({"clock: " + iso, step_data({{"step", "tool"}, {"name", "clock"},
                                                   {"arguments", Json::object()},
                                                   {"result", iso}})});
    reply += "It is " + utc_text(now_ms, "%H:%M UTC on %A, %d %B %Y") + ". ";
  }
  if (!terms.empty()) {
    std::string query;
    for (const auto& t : terms) query += (query.empty() ? "" : " ") + t;
    Json result = {{"step", "tool"}, {"name", "search_history"},
                   {"arguments", {{"room", prompt.room}, {"query", query}}},
                   {"result", std::to_string(hits.size()) + (hits.size() == 1 ? " message" : " messages")}};
    p.steps.push_back({"search_history: \"" + query + "\" found " + std::to_string(hits.size()),
                       step_data(result)});
    if (hits.empty()) {
      reply += "I searched #" + prompt.room + " for \"" + query +
               "\" and found nothing earlier in this room. ";
    } else {
      Json sources = Json::array();
      for (const auto& h : hits) {
        sources.push_back({{"document", "#" + prompt.room},
                           {"location", "seq " + std::to_string(h.message.seq)},
                           {"seq", h.message.seq},
                           {"author", h.message.author},
                           {"score", h.score},
                           {"passage", h.passage}});
      }
      p.steps.push_back({plural(hits.size(), "source", "sources") + " from #" + prompt.room,
                         step_data({{"step", "sources"}, {"sources", sources}})});
      reply += "Earlier in #" + prompt.room + ": ";
      for (std::size_t i = 0; i < hits.size(); ++i) {
        if (i > 0) reply += "; ";
        reply += hits[i].message.author + " wrote \"" + excerpt(hits[i].passage, 120) + "\" (seq " +
                 std::to_string(hits[i].message.seq) + ")";
      }
      reply += ". ";
    }
  }
  if (!passages.empty()) {
    std::string query;
    for (const auto& t : question_terms(prompt.text)) query += (query.empty() ? "" : " ") + t;
    p.steps.push_back(
        {"search_documents: \"" + query + "\" found " + std::to_string(passages.size()),
         step_data({{"step", "tool"}, {"name", "search_documents"},
                    {"arguments", {{"room", prompt.room}, {"query", query}}},
                    {"result", plural(passages.size(), "passage", "passages")}})});
    Json sources = Json::array();
    for (const auto& h : passages) {
      sources.push_back({{"document", h.document}, {"document_id", h.document_id},
                         {"location", h.location}, {"score", h.score}, {"passage", h.text}});
    }
    p.steps.push_back({plural(passages.size(), "source", "sources") + " from the room's documents",
                       step_data({{"step", "sources"}, {"sources", sources}})});
    reply += "From the room's documents: ";
    for (std::size_t i = 0; i < passages.size(); ++i) {
      if (i > 0) reply += " ";
      reply += passages[i].document + " (" + passages[i].location + ") says \"" +
               excerpt(passages[i].text, 200) + "\".";
    }
    reply += " ";
  }
  reply += "(I am Parley's built-in assistant: no language model, only these tools.)";
  p.steps.push_back({"responding", step_data({{"step", "status"}, {"status", "responding"}})});
  p.reply = std::move(reply);
  return p;
}

std::vector<std::string> BuiltinAssistant::tokenize(const std::string& text) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (start < text.size()) {
    auto word_end = text.find_first_of(" \n\t", start);
    if (word_end == std::string::npos) {
      pieces.push_back(text.substr(start));
      break;
    }
    auto next = text.find_first_not_of(" \n\t", word_end);
    if (next == std::string::npos) next = text.size();
    pieces.push_back(text.substr(start, next - start));
    start = next;
  }
  return pieces;
}

}  // namespace parley::server
