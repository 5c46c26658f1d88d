// The built-in assistant's streamed reply against what the store keeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "chat_steps.hpp"
#include "frame_log.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

using protocol::ChatMessage;
using protocol::MessageKind;
using protocol::MessageStatus;

TEST(AssistantStream, DeltasAssembleIntoTheStoredReply) {
  ServerProcess server;
  auto alice = connect_as(server.port(), "alice");
  join(*alice, "lobby");

  alice->send(protocol::Send{"lobby", "ask-1", "hello assistant"});
  FrameLog log;
  log.read_until(*alice, [](const FrameLog& l) { return l.completed_replies() == 1; });

  ASSERT_EQ(log.posted.size(), 1u);
  const ChatMessage& question = log.posted[0];
  ASSERT_EQ(log.acks.size(), 1u);
  EXPECT_EQ(log.acks[0].seq, question.seq);
  ASSERT_EQ(log.replies.size(), 1u);
  const auto& [gen_id, reply] = *log.replies.begin();
  ASSERT_TRUE(reply.started.has_value()) << "deltas or completion without stream_started";
  EXPECT_FALSE(gen_id.empty());
  EXPECT_EQ(reply.started->room, "lobby");
  EXPECT_EQ(reply.started->reply_to, question.seq);
  EXPECT_GT(reply.started->seq, question.seq);
  EXPECT_EQ(reply.started->author, "Parley");
  EXPECT_GT(reply.started->ts_ms, 0);
  EXPECT_GE(reply.deltas.size(), 2u) << "a reply is streamed in several pieces";
  for (const protocol::StreamDelta& d : reply.deltas) {
    EXPECT_EQ(d.room, "lobby");
    EXPECT_FALSE(d.text.empty());
  }
  const std::string streamed = reply.contiguous_text();
  EXPECT_FALSE(streamed.empty());
  // The end is a room event of its own, right after the reply's last position.
  EXPECT_EQ(*reply.completed,
            (protocol::StreamCompleted{"lobby", gen_id, reply.started->seq + 1,
                                       reply.started->seq, streamed, MessageStatus::complete,
                                       reply.completed->data}));
  // How it went: the model, token counts (pieces streamed) and the time it took.
  const auto stats = nlohmann::json::parse(reply.completed->data);
  EXPECT_EQ(stats["model"], "parley-builtin-1");
  EXPECT_EQ(stats["prompt_tokens"], 2) << "hello assistant";
  EXPECT_GT(stats["completion_tokens"].get<int>(), 10);
  EXPECT_GE(stats["duration_ms"].get<int>(), 0);
  // The stream's frames come in order: started, deltas, completed.
  std::size_t started_at = 0, completed_at = 0, last_delta_at = 0;
  for (std::size_t i = 0; i < log.frames.size(); ++i) {
    if (std::holds_alternative<protocol::StreamStarted>(log.frames[i])) started_at = i;
    if (std::holds_alternative<protocol::StreamDelta>(log.frames[i])) last_delta_at = i;
    if (std::holds_alternative<protocol::StreamCompleted>(log.frames[i])) completed_at = i;
  }
  EXPECT_LT(started_at, last_delta_at);
  EXPECT_LT(last_delta_at, completed_at);

  // Someone joining afterwards reads the same reply from the store.
  const protocol::Joined later = history_of(server.port(), "lobby");
  ASSERT_EQ(later.history.size(), 2u);
  EXPECT_EQ(later.history[0], question);
  const ChatMessage& stored = later.history[1];
  EXPECT_EQ(stored.room, "lobby");
  EXPECT_EQ(stored.seq, reply.started->seq);
  EXPECT_EQ(stored.author, "Parley");
  EXPECT_EQ(stored.kind, MessageKind::assistant);
  EXPECT_EQ(stored.gen_id, gen_id);
  EXPECT_EQ(stored.text, streamed);
  EXPECT_EQ(stored.status, MessageStatus::complete);
  EXPECT_EQ(later.head_seq, stored.seq + 1) << "the reply's end event is the head";
}

TEST(AssistantStream, EachQuestionGetsItsOwnReplyInSeqOrder) {
  ServerProcess server;
  auto alice = connect_as(server.port(), "alice");
  join(*alice, "lobby");

  FrameLog log;
  alice->send(protocol::Send{"lobby", "q-1", "one"});
  log.read_until(*alice, [](const FrameLog& l) { return l.completed_replies() == 1; });
  alice->send(protocol::Send{"lobby", "q-2", "two"});
  log.read_until(*alice, [](const FrameLog& l) { return l.completed_replies() == 2; });

  ASSERT_EQ(log.posted.size(), 2u);
  const ObservedReply* first = log.reply_to(log.posted[0].seq);
  const ObservedReply* second = log.reply_to(log.posted[1].seq);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(first->started->gen_id, second->started->gen_id);
  // question 1 < reply 1 < question 2 < reply 2, since each waited for the previous reply.
  EXPECT_LT(log.posted[0].seq, first->started->seq);
  EXPECT_LT(first->started->seq, log.posted[1].seq);
  EXPECT_LT(log.posted[1].seq, second->started->seq);

  const protocol::Joined later = history_of(server.port(), "lobby");
  ASSERT_EQ(later.history.size(), 4u);
  EXPECT_EQ(later.history[1].text, first->completed->text);
  EXPECT_EQ(later.history[3].text, second->completed->text);
  EXPECT_EQ(later.history[3].seq, second->started->seq);
}

TEST(AssistantStream, JoinerDuringAStreamSeesItStreamingAndCatchesUp) {
  ServerProcess::Options slow;
  slow.assistant_delay_ms = 60;
  ServerProcess server(slow);
  auto alice = connect_as(server.port(), "alice");
  join(*alice, "lobby");
  alice->send(protocol::Send{"lobby", "slow-1", "take your time"});
  FrameLog alice_log;
  alice_log.read_until(*alice, [](const FrameLog& l) {
    return !l.replies.empty() && !l.replies.begin()->second.deltas.empty();
  });
  const protocol::StreamStarted started = *alice_log.replies.begin()->second.started;

  auto bob = connect_as(server.port(), "bob");
  const protocol::Joined joined = join(*bob, "lobby");
  ASSERT_EQ(joined.history.size(), 2u);
  const ChatMessage& partial = joined.history[1];
  EXPECT_EQ(partial.seq, started.seq);
  EXPECT_EQ(partial.gen_id, started.gen_id);
  EXPECT_EQ(partial.kind, MessageKind::assistant);
  EXPECT_EQ(partial.status, MessageStatus::streaming);

  // Bob continues from what the history gave him, using the offsets.
  std::string held = partial.text;
  FrameLog bob_log;
  bob_log.read_until(*bob, [](const FrameLog& l) { return l.completed_replies() == 1; },
                     std::chrono::seconds(30));
  for (const protocol::StreamDelta& d : bob_log.replies[started.gen_id].deltas) {
    ASSERT_LE(d.offset, held.size()) << "gap in the stream after the history snapshot";
    const std::size_t overlap = held.size() - d.offset;
    if (overlap < d.text.size()) held += d.text.substr(overlap);
  }
  const protocol::StreamCompleted& done = *bob_log.replies[started.gen_id].completed;
  EXPECT_EQ(held, done.text);
  EXPECT_EQ(done.status, MessageStatus::complete);

  alice_log.read_until(*alice, [](const FrameLog& l) { return l.completed_replies() == 1; },
                       std::chrono::seconds(30));
  EXPECT_EQ(alice_log.replies.begin()->second.contiguous_text(), done.text);
  EXPECT_EQ(history_of(server.port(), "lobby").history.at(1).text, done.text);
}

// Stop is by generation id, from anyone in the room; the partial reply stays, marked
// stopped, live and in the history. Leaving the room does not stop a reply; only Stop does.
TEST(AssistantStream, StoppingAGenerationKeepsItsTextSoFarMarkedStopped) {
  ServerProcess::Options options;
  options.assistant_delay_ms = 40;
  ServerProcess server(options);
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  join(*ann, "lobby");
  join(*bob, "lobby");
  ann->send(protocol::Send{"lobby", "ask-1", "please tell me a long story about the sea"});
  const auto started = bob->read_until<protocol::StreamStarted>();
  bob->read_until<protocol::StreamDelta>();
  bob->read_until<protocol::StreamDelta>();
  ann.reset();  // the asker going away changes nothing

  auto eve = connect_as(server.port(), "eve");
  eve->send(protocol::StopGeneration{"lobby", started.gen_id});
  EXPECT_EQ(eve->read_until<protocol::Error>().code, "not_joined");
  bob->send(protocol::StopGeneration{"lobby", started.gen_id});
  const auto done = bob->read_until<protocol::StreamCompleted>();
  EXPECT_EQ(done.status, MessageStatus::stopped);
  EXPECT_EQ(done.reply_seq, started.seq);
  EXPECT_FALSE(done.text.empty());

  const auto all = full_history(server.port(), "lobby").history;
  const auto reply = std::find_if(all.begin(), all.end(),
                                  [&](const ChatMessage& m) { return m.seq == started.seq; });
  ASSERT_NE(reply, all.end());
  EXPECT_EQ(reply->status, MessageStatus::stopped);
  EXPECT_EQ(reply->text, done.text);
  ASSERT_EQ(all.back().kind, MessageKind::end);
  EXPECT_EQ(all.back().status, MessageStatus::stopped);
  EXPECT_EQ(all.back().ref, started.seq);

  // Stopped already, or never there: not_found with the id.
  bob->send(protocol::StopGeneration{"lobby", started.gen_id});
  const auto again = bob->read_until<protocol::Error>();
  EXPECT_EQ(again.code, "not_found");
  EXPECT_EQ(again.ref, started.gen_id);
}

// The assistant's work is part of the room: tool steps arrive before the words, are
// stored with the reply's position in `ref`, and a search lists the messages it found.
TEST(AssistantStream, ToolStepsAndSourcesAreRoomEventsOfTheReply) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");
  ann->send(protocol::Send{"lobby", "a-1", "The deploy moved to Friday"});
  ann->read_until<protocol::StreamCompleted>();
  ann->send(protocol::Send{"lobby", "a-2", "what is 12*(3+4)? and search for the deploy"});
  const auto started = ann->read_until<protocol::StreamStarted>();
  std::vector<protocol::Message> frames;
  const auto done = ann->read_until<protocol::StreamCompleted>(&frames);
  std::vector<ChatMessage> steps;
  for (const auto& f : frames) {
    if (auto* p = std::get_if<protocol::Posted>(&f); p && p->message.kind == MessageKind::step)
      steps.push_back(p->message);
  }
  ASSERT_EQ(steps.size(), 5u) << "thinking, calculator, search, sources, responding";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].ref, started.seq);
    EXPECT_EQ(steps[i].gen_id, started.gen_id);
    EXPECT_EQ(steps[i].seq, started.seq + 1 + i) << "right after the reply's own position";
  }
  EXPECT_EQ(steps[1].text, "calculator: 12*(3+4) = 84");
  const auto sources = nlohmann::json::parse(steps[3].data);
  // The message, and the first reply that quoted it; the shorter message ranks first.
  ASSERT_EQ(sources["sources"].size(), 2u);
  EXPECT_EQ(sources["sources"][0]["seq"], 1);
  EXPECT_GT(sources["sources"][0]["score"].get<double>(), 0.0);
  EXPECT_NE(done.text.find("12*(3+4) = 84."), std::string::npos) << done.text;
  EXPECT_NE(done.text.find("ann wrote \"The deploy moved to Friday\" (seq 1)"), std::string::npos)
      << done.text;

  // The same steps are in the history, for whoever reloads.
  const auto all = full_history(server.port(), "lobby").history;
  std::vector<ChatMessage> stored;
  for (const auto& m : all)
    if (m.kind == MessageKind::step) stored.push_back(m);
  EXPECT_EQ(stored, steps);
}

// Per-message options: checked before anything is stored, then shaping the reply.
TEST(AssistantStream, OptionsAreCheckedAndShapeTheReply) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");
  protocol::GenerationOptions hot;
  hot.temperature = 3.0;
  ann->send(protocol::Send{"lobby", "o-1", "hello", hot});
  auto refused = ann->read_until<protocol::Error>();
  EXPECT_EQ(refused.code, "bad_field");
  EXPECT_EQ(refused.message, "send.options.temperature: 0 to 2");
  EXPECT_EQ(refused.ref, "o-1");
  protocol::GenerationOptions other;
  other.model = "gpt-4o";
  ann->send(protocol::Send{"lobby", "o-2", "hello", other});
  refused = ann->read_until<protocol::Error>();
  EXPECT_EQ(refused.message, "send.options.model: this server's assistant is parley-builtin-1");
  EXPECT_EQ(full_history(server.port(), "lobby").history.size(), 0u) << "nothing stored";

  // max_tokens cuts the reply; the completion says why it ended.
  protocol::GenerationOptions short_reply;
  short_reply.max_tokens = 3;
  short_reply.model = "parley-builtin-1";
  ann->send(protocol::Send{"lobby", "o-3", "tell me about yourself", short_reply});
  auto done = ann->read_until<protocol::StreamCompleted>();
  EXPECT_EQ(done.text, "Hello ann. I ");
  auto stats = nlohmann::json::parse(done.data);
  EXPECT_EQ(stats["finish_reason"], "length");
  EXPECT_EQ(stats["completion_tokens"], 3);

  // history 0: the search may look at nothing earlier.
  protocol::GenerationOptions blind;
  blind.history = 0u;
  ann->send(protocol::Send{"lobby", "o-4", "search for yourself", blind});
  done = ann->read_until<protocol::StreamCompleted>();
  EXPECT_NE(done.text.find("found nothing earlier"), std::string::npos) << done.text;
  ann->send(protocol::Send{"lobby", "o-5", "search for yourself"});
  done = ann->read_until<protocol::StreamCompleted>();
  EXPECT_NE(done.text.find("Earlier in #lobby"), std::string::npos) << done.text;
  EXPECT_EQ(nlohmann::json::parse(done.data)["finish_reason"], "stop");
}

}  // namespace
}  // namespace parley::itest
