// parley-server with --assistant openai against tests/support/openai_wire_server.py, a
// local server speaking the OpenAI streaming wire format: replies streamed from the
// provider, tool calls run as steps, provider failures ended as errors, stop and options.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "chat_steps.hpp"
#include "frame_log.hpp"
#include "http_get.hpp"
#include "server_process.hpp"

extern char** environ;

namespace parley::itest {
namespace {

using nlohmann::json;
using protocol::ChatMessage;
using protocol::MessageKind;
using protocol::MessageStatus;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kLong = std::chrono::seconds(60);

// The wire server as a child process; it exits when its stdin closes, and is killed on
// destruction regardless.
class WireServer {
 public:
  WireServer() {
    int in[2];
    int out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    if (::pipe2(out, O_CLOEXEC) != 0) {
      ::close(in[0]);
      ::close(in[1]);
      throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    std::vector<std::string> args = {"/usr/bin/python3", PARLEY_OPENAI_WIRE_SERVER};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    stdin_fd_ = in[1];
    stdout_fd_ = out[0];
    if (rc != 0) {
      pid_ = -1;
      throw std::runtime_error("cannot start the wire server");
    }
    port_ = read_port();
  }

  ~WireServer() {
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
  }

  WireServer(const WireServer&) = delete;
  WireServer& operator=(const WireServer&) = delete;

  std::uint16_t port() const { return port_; }

  std::string base_url() const {
    std::string url = "http://127.0.0.1:";
    url += std::to_string(port_);
    url += "/v1";
    return url;
  }

  // Every request body the provider received so far.
  json requests() const {
    const HttpResponse r = http_get(port_, "/requests", kLong);
    if (r.status != 200) throw std::runtime_error("GET /requests failed");
    return json::parse(r.body);
  }

 private:
  std::uint16_t read_port() {
    std::string line;
    const auto deadline = Clock::now() + kLong;
    while (line.find('\n') == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) throw std::runtime_error("the wire server did not report its port");
      pollfd p{stdout_fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[256];
      const auto n = ::read(stdout_fd_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("the wire server exited before reporting its port");
      line.append(buf, static_cast<std::size_t>(n));
    }
    if (line.rfind("PORT ", 0) != 0) throw std::runtime_error("unexpected wire server output: " + line);
    return static_cast<std::uint16_t>(std::stoi(line.substr(5)));
  }

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
};

std::vector<std::string> provider_args(const std::string& base_url,
                                       std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"--assistant", "openai", "--openai-base-url", base_url,
                                   "--openai-model", "wire-model"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// A loopback port nothing listens on (bound, then released).
std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("bind failed");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

// One reply as the asker saw it.
struct Answer {
  protocol::StreamStarted started{};
  std::vector<protocol::StreamDelta> deltas{};
  std::vector<ChatMessage> steps{};
  protocol::StreamCompleted done{};
  json data = json::object();
};

Answer ask(WsClient& client, const std::string& room, const std::string& id,
           const std::string& text, std::optional<protocol::GenerationOptions> options = std::nullopt) {
  client.send(protocol::Send{room, id, text, options});
  Answer a;
  a.started = client.read_until<protocol::StreamStarted>(nullptr, kLong);
  std::vector<protocol::Message> frames;
  for (;;) {
    a.done = client.read_until<protocol::StreamCompleted>(&frames, kLong);
    if (a.done.gen_id == a.started.gen_id) break;
  }
  for (const auto& f : frames) {
    if (const auto* d = std::get_if<protocol::StreamDelta>(&f); d && d->gen_id == a.started.gen_id)
      a.deltas.push_back(*d);
    if (const auto* p = std::get_if<protocol::Posted>(&f);
        p && p->message.kind == MessageKind::step && p->message.gen_id == a.started.gen_id)
      a.steps.push_back(p->message);
  }
  a.data = json::parse(a.done.data);
  return a;
}

std::string joined(const std::vector<protocol::StreamDelta>& deltas) {
  std::string text;
  for (const auto& d : deltas) {
    EXPECT_EQ(d.offset, text.size());
    text += d.text;
  }
  return text;
}

const ChatMessage* at_seq(const std::vector<ChatMessage>& all, std::uint64_t seq) {
  auto it = std::find_if(all.begin(), all.end(), [&](const ChatMessage& m) { return m.seq == seq; });
  return it == all.end() ? nullptr : &*it;
}

std::vector<std::string> tool_names(const json& body) {
  std::vector<std::string> names;
  for (const auto& t : body.value("tools", json::array())) names.push_back(t["function"]["name"]);
  return names;
}

TEST(OpenAiProvider, EchoStreamsInDeltasAndIsStoredCompleteWithFigures) {
  WireServer wire;
  ServerProcess server({}, provider_args(wire.base_url()));
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");

  const Answer a = ask(*ann, "lobby", "e-1", "hello there wire");
  EXPECT_EQ(a.done.status, MessageStatus::complete);
  EXPECT_EQ(a.done.text, "Echo: ann: hello there wire");
  EXPECT_GE(a.deltas.size(), 3u) << "streamed as the provider sent it";
  EXPECT_EQ(joined(a.deltas), a.done.text);
  EXPECT_EQ(a.started.author, "Parley");
  EXPECT_EQ(a.data["model"], "wire-model");
  EXPECT_EQ(a.data["finish_reason"], "stop");
  EXPECT_EQ(a.data["completion_tokens"], 5) << "the provider's usage: chunks sent";
  EXPECT_GT(a.data["prompt_tokens"].get<int>(), 4) << "words of the system and user messages";
  EXPECT_GE(a.data["duration_ms"].get<int>(), 0);
  EXPECT_FALSE(a.data.contains("cost"));
  EXPECT_FALSE(a.data.contains("error_code"));

  const auto all = full_history(server.port(), "lobby").history;
  const ChatMessage* reply = at_seq(all, a.started.seq);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->kind, MessageKind::assistant);
  EXPECT_EQ(reply->status, MessageStatus::complete);
  EXPECT_EQ(reply->text, a.done.text);
  EXPECT_EQ(reply->ref, a.started.reply_to);
  ASSERT_EQ(all.back().kind, MessageKind::end);
  EXPECT_EQ(json::parse(all.back().data), a.data);

  // What the provider was asked: the configured model, the tools, a system message
  // naming the room, the question last; the next question carries the conversation.
  const Answer b = ask(*ann, "lobby", "e-2", "and again");
  EXPECT_EQ(b.done.text, "Echo: ann: and again");
  const json requests = wire.requests();
  ASSERT_EQ(requests.size(), 2u);
  const json& first = requests[0];
  EXPECT_EQ(first["model"], "wire-model");
  EXPECT_EQ(first["stream"], true);
  EXPECT_EQ(tool_names(first), (std::vector<std::string>{"calculator", "current_time",
                                                         "search_history", "search_documents"}));
  EXPECT_EQ(first["tools"][0]["function"]["parameters"]["required"], json::array({"expression"}));
  EXPECT_FALSE(first.contains("temperature"));
  EXPECT_FALSE(first.contains("max_tokens"));
  ASSERT_EQ(first["messages"].size(), 2u);
  EXPECT_EQ(first["messages"][0]["role"], "system");
  EXPECT_NE(first["messages"][0]["content"].get<std::string>().find("#lobby"), std::string::npos);
  EXPECT_EQ(first["messages"][1], (json{{"role", "user"}, {"content", "ann: hello there wire"}}));
  const json& second = requests[1]["messages"];
  ASSERT_EQ(second.size(), 4u) << second.dump();
  EXPECT_EQ(second[1], (json{{"role", "user"}, {"content", "ann: hello there wire"}}));
  EXPECT_EQ(second[2], (json{{"role", "assistant"}, {"content", "Echo: ann: hello there wire"}}));
  EXPECT_EQ(second[3], (json{{"role", "user"}, {"content", "ann: and again"}}));
}

TEST(OpenAiProvider, ToolCallRunsTheCalculatorAsAStepAndAnswersWithItsResult) {
  WireServer wire;
  ServerProcess server({}, provider_args(wire.base_url()));
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");

  const Answer a = ask(*ann, "lobby", "c-1", "calc:6*7");
  EXPECT_EQ(a.done.status, MessageStatus::complete);
  EXPECT_EQ(a.done.text, "The tool said: 42.");
  EXPECT_EQ(a.data["finish_reason"], "stop");
  ASSERT_EQ(a.steps.size(), 1u);
  const ChatMessage& step = a.steps[0];
  EXPECT_EQ(step.ref, a.started.seq);
  EXPECT_EQ(step.gen_id, a.started.gen_id);
  EXPECT_EQ(step.author, "Parley");
  EXPECT_EQ(step.text, "calculator: 6*7 = 42");
  const json data = json::parse(step.data);
  EXPECT_EQ(data["step"], "tool");
  EXPECT_EQ(data["name"], "calculator");
  EXPECT_EQ(data["arguments"], (json{{"expression", "6*7"}}));
  EXPECT_EQ(data["result"], "42");

  // Stored as the room saw it.
  const auto all = full_history(server.port(), "lobby").history;
  const ChatMessage* stored = at_seq(all, step.seq);
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(*stored, step);
  EXPECT_EQ(at_seq(all, a.started.seq)->text, "The tool said: 42.");

  // The second request carried the call and its result back.
  const json requests = wire.requests();
  ASSERT_EQ(requests.size(), 2u);
  const json& messages = requests[1]["messages"];
  ASSERT_GE(messages.size(), 2u);
  const json& call = messages[messages.size() - 2];
  EXPECT_EQ(call["role"], "assistant");
  ASSERT_EQ(call["tool_calls"].size(), 1u);
  EXPECT_EQ(call["tool_calls"][0]["id"], "call_wire_1");
  EXPECT_EQ(call["tool_calls"][0]["function"]["name"], "calculator");
  EXPECT_EQ(json::parse(call["tool_calls"][0]["function"]["arguments"].get<std::string>()),
            (json{{"expression", "6*7"}}));
  EXPECT_EQ(messages.back(),
            (json{{"role", "tool"}, {"tool_call_id", "call_wire_1"}, {"content", "42"}}));

  // A tool that fails says so, in the step and to the model.
  const Answer bad = ask(*ann, "lobby", "c-2", "calc:1/0");
  ASSERT_EQ(bad.steps.size(), 1u);
  const json bad_data = json::parse(bad.steps[0].data);
  EXPECT_EQ(bad_data["name"], "calculator");
  EXPECT_TRUE(bad_data.contains("error")) << bad_data.dump();
  EXPECT_FALSE(bad_data.contains("result"));
  EXPECT_EQ(bad.done.text.rfind("The tool said: error: ", 0), 0u) << bad.done.text;
  EXPECT_EQ(bad.done.status, MessageStatus::complete);
}

TEST(OpenAiProvider, BrokenAndCutStreamsEndInErrorKeepingTheirText) {
  WireServer wire;
  ServerProcess server({}, provider_args(wire.base_url()));
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");

  const Answer broken = ask(*ann, "lobby", "b-1", "[broken] please");
  EXPECT_EQ(broken.done.status, MessageStatus::error);
  EXPECT_EQ(broken.done.text, "Hello there");
  EXPECT_EQ(broken.data["finish_reason"], "error");
  EXPECT_EQ(broken.data["error_code"], "provider_malformed");
  EXPECT_FALSE(broken.data["error"].get<std::string>().empty());
  EXPECT_EQ(broken.data["model"], "wire-model");

  const Answer cut = ask(*ann, "lobby", "b-2", "[cut] please");
  EXPECT_EQ(cut.done.status, MessageStatus::error);
  EXPECT_EQ(cut.done.text, "Partial answer then");
  EXPECT_EQ(cut.data["error_code"], "provider_malformed");
  EXPECT_EQ(cut.data["completion_tokens"], 3) << "no usage reported: the pieces streamed";

  const Answer refused = ask(*ann, "lobby", "b-3", "[refuse] please");
  EXPECT_EQ(refused.done.status, MessageStatus::error);
  EXPECT_EQ(refused.data["error_code"], "provider_refused");
  EXPECT_NE(refused.data["error"].get<std::string>().find("content refused"), std::string::npos);

  // The failures are stored as such, and the server keeps answering.
  const auto all = full_history(server.port(), "lobby").history;
  for (const Answer* a : {&broken, &cut}) {
    const ChatMessage* reply = at_seq(all, a->started.seq);
    ASSERT_NE(reply, nullptr);
    EXPECT_EQ(reply->status, MessageStatus::error);
    EXPECT_EQ(reply->text, a->done.text);
    const ChatMessage* end = at_seq(all, a->done.seq);
    ASSERT_NE(end, nullptr);
    EXPECT_EQ(end->kind, MessageKind::end);
    EXPECT_EQ(json::parse(end->data)["error_code"], "provider_malformed");
  }
  const Answer next = ask(*ann, "lobby", "b-4", "still there?");
  EXPECT_EQ(next.done.status, MessageStatus::complete);
  EXPECT_EQ(next.done.text, "Echo: ann: still there?");
}

TEST(OpenAiProvider, SilentProviderTimesOut) {
  WireServer wire;
  ServerProcess server({}, provider_args(wire.base_url(), {"--openai-timeout-ms", "500"}));
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");
  const Answer a = ask(*ann, "lobby", "h-1", "[hang] now");
  EXPECT_EQ(a.done.status, MessageStatus::error);
  EXPECT_EQ(a.done.text, "Thinking");
  EXPECT_EQ(a.data["error_code"], "provider_timeout");
  EXPECT_EQ(a.data["finish_reason"], "error");
}

TEST(OpenAiProvider, HttpErrorCarriesTheProvidersMessage) {
  WireServer wire;
  ServerProcess server({}, provider_args(wire.base_url()));
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");
  const Answer a = ask(*ann, "lobby", "x-1", "[http500] now");
  EXPECT_EQ(a.done.status, MessageStatus::error);
  EXPECT_EQ(a.done.text, "");
  EXPECT_EQ(a.data["error_code"], "provider_error");
  EXPECT_NE(a.data["error"].get<std::string>().find("model overloaded"), std::string::npos)
      << a.data.dump();
  EXPECT_NE(a.data["error"].get<std::string>().find("500"), std::string::npos) << a.data.dump();
}

TEST(OpenAiProvider, UnreachableProviderIsReportedAndTheServerKeepsServing) {
  std::string url = "http://127.0.0.1:";
  url += std::to_string(closed_port());
  url += "/v1";
  ServerProcess server({}, provider_args(url));
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");
  const Answer a = ask(*ann, "lobby", "u-1", "anyone?");
  EXPECT_EQ(a.done.status, MessageStatus::error);
  EXPECT_EQ(a.data["error_code"], "provider_unreachable");
  EXPECT_FALSE(a.data["error"].get<std::string>().empty());
  const Answer again = ask(*ann, "lobby", "u-2", "anyone now?");
  EXPECT_EQ(again.data["error_code"], "provider_unreachable");
  EXPECT_EQ(full_history(server.port(), "lobby").history.size(), 6u)
      << "two questions, two replies, two ends";
}

// Stop closes the provider's connection at once: no waiting for its timeout.
TEST(OpenAiProvider, StopDuringASilentProviderEndsAtOnce) {
  WireServer wire;
  ServerProcess server({}, provider_args(wire.base_url(), {"--openai-timeout-ms", "120000"}));
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  join(*ann, "lobby");
  join(*bob, "lobby");
  ann->send(protocol::Send{"lobby", "s-1", "[hang] forever"});
  const auto started = bob->read_until<protocol::StreamStarted>(nullptr, kLong);
  const auto delta = bob->read_until<protocol::StreamDelta>(nullptr, kLong);
  EXPECT_EQ(delta.text, "Thinking");

  const auto asked = Clock::now();
  bob->send(protocol::StopGeneration{"lobby", started.gen_id});
  const auto done = bob->read_until<protocol::StreamCompleted>(nullptr, kLong);
  const auto took = Clock::now() - asked;
  EXPECT_LT(took, std::chrono::seconds(30));
  EXPECT_EQ(done.gen_id, started.gen_id);
  EXPECT_EQ(done.status, MessageStatus::stopped);
  EXPECT_EQ(done.text, "Thinking");
  const json data = json::parse(done.data);
  EXPECT_EQ(data["finish_reason"], "stopped");
  EXPECT_EQ(data["model"], "wire-model");

  const auto all = full_history(server.port(), "lobby").history;
  const ChatMessage* reply = at_seq(all, started.seq);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->status, MessageStatus::stopped);
  EXPECT_EQ(reply->text, "Thinking");

  // Nothing more comes for it; the next question is answered.
  const Answer next = ask(*bob, "lobby", "s-2", "after the stop");
  EXPECT_EQ(next.done.status, MessageStatus::complete);
  EXPECT_EQ(next.done.text, "Echo: bob: after the stop");
}

// Shutting down ends a reply waiting on the provider as interrupted, without waiting
// for the provider; the reply keeps its text after the restart.
TEST(OpenAiProvider, ShutdownInterruptsAReplyWaitingOnTheProvider) {
  WireServer wire;
  ServerProcess server({}, provider_args(wire.base_url(), {"--openai-timeout-ms", "120000"}));
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");
  ann->send(protocol::Send{"lobby", "d-1", "[hang] until shutdown"});
  const auto started = ann->read_until<protocol::StreamStarted>(nullptr, kLong);
  ann->read_until<protocol::StreamDelta>(nullptr, kLong);

  const ExitStatus status = server.stop(SIGTERM, kLong);
  EXPECT_TRUE(status.exited);
  EXPECT_EQ(status.code, 0);
  server.start();
  const auto all = full_history(server.port(), "lobby").history;
  const ChatMessage* reply = at_seq(all, started.seq);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->status, MessageStatus::interrupted);
  EXPECT_EQ(reply->text, "Thinking");
  ASSERT_EQ(all.back().kind, MessageKind::end);
  EXPECT_EQ(json::parse(all.back().data)["finish_reason"], "interrupted");
}

TEST(OpenAiProvider, TheAskerLeavingDoesNotStopTheReply) {
  WireServer wire;
  ServerProcess server({}, provider_args(wire.base_url()));
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  join(*ann, "lobby");
  join(*bob, "lobby");
  ann->send(protocol::Send{"lobby", "l-1", "calc:2^10"});
  ann->read_until<protocol::Ack>(nullptr, kLong);
  ann.reset();

  const auto started = bob->read_until<protocol::StreamStarted>(nullptr, kLong);
  const auto done = bob->read_until<protocol::StreamCompleted>(nullptr, kLong);
  EXPECT_EQ(done.gen_id, started.gen_id);
  EXPECT_EQ(done.status, MessageStatus::complete);
  EXPECT_EQ(done.text, "The tool said: 1024.");
}

TEST(OpenAiProvider, RepliesInTwoRoomsRunAtOnce) {
  WireServer wire;
  ServerProcess server({}, provider_args(wire.base_url(), {"--openai-timeout-ms", "120000"}));
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  join(*ann, "lobby");
  join(*bob, "side");

  // A reply waiting on a silent provider holds up nobody else.
  ann->send(protocol::Send{"lobby", "r-0", "[hang] here"});
  const auto hanging = ann->read_until<protocol::StreamStarted>(nullptr, kLong);
  ann->read_until<protocol::StreamDelta>(nullptr, kLong);

  // Two rooms asking together both get their answers.
  ann->send(protocol::Send{"lobby", "r-1", "calc:3+4"});
  bob->send(protocol::Send{"side", "r-2", "hello side"});
  FrameLog ann_log;
  FrameLog bob_log;
  ann_log.read_until(*ann, [&](const FrameLog& l) {
    return std::any_of(l.replies.begin(), l.replies.end(), [&](const auto& r) {
      return r.first != hanging.gen_id && r.second.completed.has_value();
    });
  }, kLong);
  bob_log.read_until(*bob, [](const FrameLog& l) { return l.completed_replies() == 1; }, kLong);
  for (const auto& [gen_id, reply] : ann_log.replies) {
    if (gen_id == hanging.gen_id) {
      EXPECT_FALSE(reply.completed.has_value()) << "still waiting on the provider";
      continue;
    }
    ASSERT_TRUE(reply.completed.has_value());
    EXPECT_EQ(reply.completed->status, MessageStatus::complete);
    EXPECT_EQ(reply.completed->text, "The tool said: 7.");
  }
  const auto& side = bob_log.replies.begin()->second;
  EXPECT_EQ(side.completed->status, MessageStatus::complete);
  EXPECT_EQ(side.completed->text, "Echo: bob: hello side");
  EXPECT_EQ(side.completed->room, "side");

  ann->send(protocol::StopGeneration{"lobby", hanging.gen_id});
  const auto stopped = ann->read_until<protocol::StreamCompleted>(nullptr, kLong);
  EXPECT_EQ(stopped.gen_id, hanging.gen_id);
  EXPECT_EQ(stopped.status, MessageStatus::stopped);
}

TEST(OpenAiProvider, OptionsReachTheProvider) {
  WireServer wire;
  ServerProcess server({}, provider_args(wire.base_url()));
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");
  ask(*ann, "lobby", "o-1", "first note");
  ask(*ann, "lobby", "o-2", "second note");

  protocol::GenerationOptions options;
  options.system_prompt = "Answer like a pirate.";
  options.temperature = 0.25;
  options.max_tokens = 77;
  options.history = 2u;  // the events just before: the second reply and its end
  options.model = "other-model";
  const Answer a = ask(*ann, "lobby", "o-3", "third note", options);
  EXPECT_EQ(a.done.status, MessageStatus::complete);
  EXPECT_EQ(a.data["model"], "other-model") << "as the provider named it";

  const json requests = wire.requests();
  ASSERT_EQ(requests.size(), 3u);
  const json& body = requests[2];
  EXPECT_EQ(body["model"], "other-model");
  EXPECT_DOUBLE_EQ(body["temperature"].get<double>(), 0.25);
  EXPECT_EQ(body["max_tokens"], 77);
  const json& messages = body["messages"];
  ASSERT_EQ(messages.size(), 3u) << messages.dump();
  EXPECT_EQ(messages[0], (json{{"role", "system"}, {"content", "Answer like a pirate."}}));
  EXPECT_EQ(messages[1], (json{{"role", "assistant"}, {"content", "Echo: ann: second note"}}));
  EXPECT_EQ(messages[2], (json{{"role", "user"}, {"content", "ann: third note"}}));

  // history 0: the question alone.
  protocol::GenerationOptions alone;
  alone.history = 0u;
  ask(*ann, "lobby", "o-4", "fourth note", alone);
  const json last = wire.requests().back()["messages"];
  ASSERT_EQ(last.size(), 2u) << last.dump();
  EXPECT_EQ(last[1]["content"], "ann: fourth note");

  // Any model name is the provider's to judge, up to 128 bytes.
  protocol::GenerationOptions too_long;
  too_long.model = std::string(129, 'm');
  ann->send(protocol::Send{"lobby", "o-5", "hello", too_long});
  const auto refused = ann->read_until<protocol::Error>(nullptr, kLong);
  EXPECT_EQ(refused.code, "bad_field");
  EXPECT_EQ(refused.ref, "o-5");
}

// A base URL the client cannot use stops the server at start, saying why.
TEST(OpenAiProvider, BadBaseUrlFailsTheStartWithAClearMessage) {
  char dir_template[] = "/tmp/parley-openai-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  std::vector<std::string> args = {server_binary().string(), "--host", "127.0.0.1", "--port", "0",
                                   "--db", dir + "/parley.db", "--web-root", dir};
  const auto more = provider_args("ftp://127.0.0.1/v1");
  args.insert(args.end(), more.begin(), more.end());

  int err[2];
  ASSERT_EQ(::pipe2(err, O_CLOEXEC), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(err[1]);
  ASSERT_EQ(rc, 0);
  std::string output;
  const auto deadline = Clock::now() + kLong;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd p{err[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[512];
    const auto n = ::read(err[0], buf, sizeof buf);
    if (n <= 0) break;
    output.append(buf, static_cast<std::size_t>(n));
  }
  ::close(err[0]);
  if (Clock::now() >= deadline) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  ASSERT_TRUE(WIFEXITED(status)) << output;
  EXPECT_EQ(WEXITSTATUS(status), 1) << output;
  EXPECT_NE(output.find("--openai-base-url"), std::string::npos) << output;
  EXPECT_NE(output.find("ftp://127.0.0.1/v1"), std::string::npos) << output;
}

}  // namespace
}  // namespace parley::itest
