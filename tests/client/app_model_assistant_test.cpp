// The web client's model for the assistant: per-message options, editing a message, the
// assistant's components, and uploads started from a picked file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "parley/client_model/app_model.hpp"
#include "parley/codec.hpp"
#include "session_harness.hpp"

namespace parley::client {
namespace {

using testing::chat;
namespace p = parley::protocol;

struct Harness {
  int ids = 0;
  std::string next_id() {
    std::string id = "c";
    id += std::to_string(++ids);
    return id;
  }
  AppModel model{SessionOptions{}, [this] { return next_id(); }, [] { return 0.5; }, 0};
  std::int64_t now = 1'000'000;

  void feed(const p::Message& m) { model.session().on_frame(now, p::encode(m)); }
  void connect() {
    Intents in;
    in.name_draft = "ann";
    in.join = true;
    model.apply(in);
    model.tick(now);
    ASSERT_TRUE(model.session().take_connect_request(now));
    model.session().on_connected(now);
    feed(p::Welcome{"ann", "parley/test", 15000, 65536, 8000});
    feed(p::Joined{"lobby", "e1", 0, {}, p::Resume::none, false});
    model.session().take_outbox();
  }
  // The frames of type T written since the last call (typing and marks aside).
  template <class T = p::Send>
  std::vector<T> sent() {
    std::vector<T> out;
    for (const auto& f : model.session().take_outbox()) {
      auto m = *p::decode(f).value;
      if (auto* x = std::get_if<T>(&m)) out.push_back(*x);
    }
    return out;
  }
  void type_and_send(const std::string& text) {
    Intents in;
    in.message_draft = text;
    in.send = true;
    model.apply(in);
  }
  void option(const std::string& name, const std::string& value) {
    Intents in;
    in.option_value = std::make_pair(name, value);
    model.apply(in);
  }
};

TEST(AppModelAssistant, OptionsGoWithTheNextMessageAndBadOnesAreRefusedFirst) {
  Harness h;
  h.connect();
  h.option("temperature", "7");
  h.type_and_send("hello");
  EXPECT_EQ(h.model.refusal(), "temperature: a number from 0 to 2");
  EXPECT_TRUE(h.sent().empty()) << "nothing leaves with a bad option";
  EXPECT_EQ(h.model.message_draft(), "hello") << "the draft stays";
  h.option("temperature", "0.5");
  h.option("max_tokens", "20");
  h.option("history", "0");
  h.type_and_send("hello");
  auto sent = h.sent();
  ASSERT_EQ(sent.size(), 1u);
  const auto& send = sent[0];
  ASSERT_TRUE(send.options);
  EXPECT_EQ(send.options->temperature, 0.5);
  EXPECT_EQ(send.options->max_tokens, 20u);
  EXPECT_EQ(send.options->history, 0u);
  EXPECT_TRUE(send.options->model.empty());
}

TEST(AppModelAssistant, EditingSendsANewVersionOfTheMessage) {
  Harness h;
  h.connect();
  h.feed(p::Posted{chat(1, "ann", "what is 2+2?")});
  Intents edit;
  edit.edit_message = 1;
  h.model.apply(edit);
  EXPECT_EQ(h.model.editing_seq(), 1u);
  EXPECT_EQ(h.model.message_draft(), "what is 2+2?");
  h.type_and_send("what is 3+3?");
  const auto sent = h.sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].edits, 1u);
  EXPECT_EQ(h.model.editing_seq(), 0u);
}

TEST(AppModelAssistant, AFormIsFilledInChecksRequiredFieldsAndIsAnsweredOnce) {
  Harness h;
  h.connect();
  auto reply = chat(1, "Parley", "fill in the form");
  reply.kind = p::MessageKind::assistant;
  reply.data = R"j({"component":{"id":"reminder","type":"form","fields":[{"name":"text","label":"Text","required":true,"value":"stretch"},{"name":"when","label":"When","required":true,"value":""}]}})j";
  h.feed(p::Posted{reply});
  auto c = h.model.pending_component();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->fields[0].value, "stretch");
  Intents submit;
  submit.component_action = "submit";
  h.model.apply(submit);
  EXPECT_EQ(h.model.refusal(), "fill in: When");
  EXPECT_TRUE(h.sent<p::ComponentSubmit>().empty());
  Intents type;
  type.component_value = std::make_pair(std::string("when"), std::string("in 5 minutes"));
  h.model.apply(type);
  EXPECT_EQ(h.model.pending_component()->fields[1].value, "in 5 minutes");
  h.model.apply(submit);
  const auto sent = h.sent<p::ComponentSubmit>();
  ASSERT_EQ(sent.size(), 1u);
  const auto& answer = sent[0];
  EXPECT_EQ(answer.seq, 1u);
  EXPECT_EQ(nlohmann::json::parse(answer.values),
            nlohmann::json::parse(R"j({"text":"stretch","when":"in 5 minutes"})j"));
  // Once the answer is in the room the form goes away.
  auto answered = chat(2, "ann", "text: stretch · when: in 5 minutes");
  answered.data = R"j({"submit":{"seq":1,"action":"submit"}})j";
  h.feed(p::Posted{answered});
  EXPECT_FALSE(h.model.pending_component());
}

TEST(AppModelAssistant, APickedFileStartsAnUpload) {
  Harness h;
  h.connect();
  h.model.file_chosen("notes.md", "text/markdown", "# Notes\n");
  auto sent = h.sent<p::UploadInit>();
  ASSERT_EQ(sent.size(), 1u);
  const auto& init = sent[0];
  EXPECT_EQ(init.file_name, "notes.md");
  EXPECT_EQ(init.file_size, 8u);
  h.model.file_chosen("../etc/passwd", "text/plain", "x");
  EXPECT_EQ(h.model.refusal(), "file_name must be a name, not a path");
}

}  // namespace
}  // namespace parley::client
