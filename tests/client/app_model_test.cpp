#include "parley/client_model/app_model.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "parley/client_model/snapshot_json.hpp"
#include "parley/codec.hpp"
#include "session_harness.hpp"

namespace parley::client {
namespace {

using testing::chat;
namespace p = parley::protocol;

struct ModelHarness {
  int ids = 0;
  // Appending (not "c" + ...) sidesteps a GCC 12 -Wrestrict false positive.
  std::string next_id() {
    std::string id = "c";
    id += std::to_string(++ids);
    return id;
  }
  AppModel model{SessionOptions{}, [this] { return next_id(); },
                 [] { return 0.5; }, 120};
  std::int64_t now = 1'000'000;

  void feed(const p::Message& m) { model.session().on_frame(now, p::encode(m)); }
  void connect(const std::string& name) {
    Intents in;
    in.name_draft = name;
    in.join = true;
    model.apply(in);
    model.tick(now);
    ASSERT_TRUE(model.session().take_connect_request(now));
    model.session().on_connected(now);
    feed(p::Welcome{name, "parley/test", 15000, 65536, 8000});
    feed(p::Joined{"lobby", "e1", 0, {}, p::Resume::none, false});
    model.session().take_outbox();
  }
};

TEST(AppModel, SignInRefusesBadNameWithReason) {
  ModelHarness h;
  Intents in;
  in.name_draft = "";
  in.join = true;
  h.model.apply(in);
  EXPECT_EQ(h.model.screen(), Screen::sign_in);
  EXPECT_FALSE(h.model.refusal().empty());
  Intents edit;
  edit.name_draft = "ann";
  h.model.apply(edit);
  EXPECT_TRUE(h.model.refusal().empty());  // editing clears the complaint
}

TEST(AppModel, SignInTrimsAndSwitchesToChat) {
  ModelHarness h;
  Intents in;
  in.name_draft = "  ann ";
  in.join = true;
  h.model.apply(in);
  EXPECT_EQ(h.model.screen(), Screen::chat);
  EXPECT_EQ(h.model.session().user(), "ann");
  EXPECT_EQ(h.model.banner().state, ConnectionState::connecting);
}

TEST(AppModel, SendClearsDraftOnlyWhenAccepted) {
  ModelHarness h;
  h.connect("ann");
  Intents blank;
  blank.message_draft = "   ";
  blank.send = true;
  h.model.apply(blank);
  EXPECT_EQ(h.model.message_draft(), "   ");
  EXPECT_FALSE(h.model.refusal().empty());
  EXPECT_EQ(h.model.entry_count(), 0u);

  Intents ok;
  ok.message_draft = "héllo";
  ok.send = true;
  h.model.apply(ok);
  EXPECT_EQ(h.model.message_draft(), "");
  EXPECT_TRUE(h.model.refusal().empty());
  ASSERT_EQ(h.model.entry_count(), 1u);
  const ViewEntry v = h.model.entry(0);
  EXPECT_TRUE(v.own);
  EXPECT_EQ(v.badge, Badge::sending);
  EXPECT_EQ(v.text, "héllo");
}

TEST(AppModel, BannerCountsDownAndOffersRetry) {
  ModelHarness h;
  h.connect("ann");
  EXPECT_EQ(h.model.banner().text, "Connected");
  EXPECT_FALSE(h.model.banner().show_retry);
  h.model.session().on_disconnected(h.now, "reset");
  h.model.tick(h.now);
  const Banner b = h.model.banner();
  EXPECT_EQ(b.state, ConnectionState::reconnecting);
  EXPECT_TRUE(b.show_retry);
  EXPECT_NE(b.text.find("reconnecting"), std::string::npos);
  Intents retry;
  retry.retry_now = true;
  h.model.apply(retry);
  EXPECT_TRUE(h.model.session().take_connect_request(h.now));
  EXPECT_EQ(h.model.banner().text, "Reconnecting…");
}

TEST(AppModel, ViewEntriesCarryBadges) {
  ModelHarness h;
  h.connect("ann");
  h.feed(p::Posted{chat(1, "bob", "hi")});
  h.feed(p::StreamStarted{"lobby", "g2", 2, 1, "Parley", 0});
  p::ChatMessage cut = chat(3, "Parley", "half", "", p::MessageKind::assistant,
                            p::MessageStatus::interrupted);
  h.feed(p::Posted{cut});
  ASSERT_EQ(h.model.entry_count(), 3u);
  EXPECT_EQ(h.model.entry(0).badge, Badge::none);
  EXPECT_FALSE(h.model.entry(0).own);
  EXPECT_TRUE(h.model.entry(1).assistant);
  EXPECT_EQ(h.model.entry(1).badge, Badge::streaming);
  EXPECT_EQ(h.model.entry(2).badge, Badge::interrupted);
}

TEST(AppModel, FailedDeliveryShowsReason) {
  ModelHarness h;
  h.connect("ann");
  Intents in;
  in.message_draft = "x";
  in.send = true;
  h.model.apply(in);
  h.feed(p::Error{"invalid_text", "not allowed here", "c1", 0});
  EXPECT_EQ(h.model.entry(0).badge, Badge::failed);
  EXPECT_EQ(h.model.entry(0).badge_text, "failed: not allowed here");
}

TEST(FormatClock, UsesOffsetAndWrapsDays) {
  EXPECT_EQ(format_clock(0, 0), "");
  EXPECT_EQ(format_clock(13 * 3600000LL + 5 * 60000LL, 0), "13:05");
  EXPECT_EQ(format_clock(23 * 3600000LL + 30 * 60000LL, 120), "01:30");
  EXPECT_EQ(format_clock(1 * 3600000LL, -120), "23:00");
}

TEST(SnapshotJson, IsValidJsonWithEntries) {
  ModelHarness h;
  h.connect("ann");
  h.feed(p::Posted{chat(1, "bob", "quote \" backslash \\ newline \n Привет")});
  Intents in;
  in.message_draft = "tab\there";
  in.send = true;
  h.model.apply(in);
  const nlohmann::json j = nlohmann::json::parse(snapshot_json(h.model));
  EXPECT_EQ(j["connection"], "connected");
  EXPECT_EQ(j["user"], "ann");
  EXPECT_EQ(j["room"], "lobby");
  EXPECT_TRUE(j["error"].is_null());
  ASSERT_EQ(j["entries"].size(), 2u);
  EXPECT_EQ(j["entries"][0]["seq"], 1);
  EXPECT_EQ(j["entries"][0]["text"], "quote \" backslash \\ newline \n Привет");
  EXPECT_EQ(j["entries"][0]["kind"], "user");
  EXPECT_EQ(j["entries"][0]["status"], "complete");
  EXPECT_EQ(j["entries"][1]["delivery"], "sending");
  EXPECT_EQ(j["entries"][1]["client_id"], "c1");
  EXPECT_EQ(j["entries"][1]["text"], "tab\there");
}

TEST(SnapshotJson, CarriesLastError) {
  ModelHarness h;
  h.connect("ann");
  h.feed(p::Error{"overloaded", "busy", "", 0});
  const nlohmann::json j = nlohmann::json::parse(snapshot_json(h.model));
  EXPECT_EQ(j["error"]["code"], "overloaded");
  EXPECT_EQ(j["error"]["message"], "busy");
}

TEST(JsonQuote, EscapesControlCharacters) {
  EXPECT_EQ(json_quote(std::string("a\x01z", 3)), "\"a\\u0001z\"");
}

}  // namespace
}  // namespace parley::client

namespace parley::client {
namespace {

std::vector<p::Message> written(AppModel& model) {
  std::vector<p::Message> out;
  for (const std::string& f : model.session().take_outbox()) out.push_back(*p::decode(f).value);
  return out;
}

TEST(AppModelRooms, TheMembersPanelAndJoinByNameBecomeRequests) {
  ModelHarness h;
  h.connect("ann");
  h.feed(p::RoomList{{p::RoomSummary{"lobby", p::RoomType::shared, "", p::AssistantMode::always,
                                     p::MemberRole::member, "e1", 0, 0, 0}}});
  EXPECT_FALSE(h.model.can_manage_room()) << "a plain member of the lobby";

  Intents join;
  join.new_room_draft = "  plans ";
  join.join_room = true;
  h.model.apply(join);
  auto out = written(h.model);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(std::get<p::Join>(out.back()).room, "plans");
  EXPECT_EQ(h.model.new_room_draft(), "");
  h.feed(p::Joined{"plans", "e2", 0, {}, p::Resume::none, false});
  h.feed(p::RoomList{{p::RoomSummary{"plans", p::RoomType::group, "ann", p::AssistantMode::always,
                                     p::MemberRole::owner, "e2", 0, 0, 0}}});
  written(h.model);
  EXPECT_TRUE(h.model.can_manage_room());

  Intents invite;
  invite.invite_draft = "bob";
  invite.invite = true;
  h.model.apply(invite);
  Intents bad;
  bad.invite_draft = std::string(40, 'x');  // longer than any name
  bad.invite = true;
  h.model.apply(bad);
  EXPECT_FALSE(h.model.refusal().empty()) << "a name that cannot exist is refused here";
  Intents manage;
  manage.set_role = p::Member{"bob", p::MemberRole::admin};
  manage.set_assistant = p::AssistantMode::mention;
  h.model.apply(manage);
  Intents remove;
  remove.remove_member = "bob";
  h.model.apply(remove);
  out = written(h.model);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(std::get<p::Invite>(out[0]), (p::Invite{"plans", "bob", p::MemberRole::member}));
  EXPECT_EQ(std::get<p::Invite>(out[1]), (p::Invite{"plans", "bob", p::MemberRole::admin}));
  EXPECT_EQ(std::get<p::SetAssistant>(out[2]), (p::SetAssistant{"plans", p::AssistantMode::mention}));
  EXPECT_EQ(std::get<p::RemoveMember>(out[3]), (p::RemoveMember{"plans", "bob"}));

  // The room's details after set_assistant update what the room list shows.
  h.feed(p::RoomDetails{p::RoomSummary{"plans", p::RoomType::group, "ann", p::AssistantMode::mention,
                                       p::MemberRole::owner, "e2", 0, 0, 0},
                        {{"ann", p::MemberRole::owner}}});
  EXPECT_EQ(h.model.session().rooms()[0].assistant, p::AssistantMode::mention);
}

}  // namespace
}  // namespace parley::client

namespace parley::client {
namespace {

TEST(AppModelAssistant, StopOnAStreamingReplyAsksForItsGenerationAndTheReplyShowsStopped) {
  ModelHarness h;
  h.connect("ann");
  h.feed(p::StreamStarted{"lobby", "g7", 1, 0, "Parley", 1});
  h.feed(p::StreamDelta{"lobby", "g7", 0, "Once upon "});
  ASSERT_EQ(h.model.entry(0).badge, Badge::streaming);
  EXPECT_EQ(h.model.entry(0).gen_id, "g7");
  Intents stop;
  stop.stop_generation = "g7";
  h.model.apply(stop);
  const auto out = written(h.model);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<p::StopGeneration>(out[0]), (p::StopGeneration{"lobby", "g7"}));
  h.feed(p::StreamCompleted{"lobby", "g7", 2, 1, "Once upon ", p::MessageStatus::stopped, ""});
  EXPECT_EQ(h.model.entry(0).badge, Badge::stopped);
  EXPECT_EQ(h.model.entry(0).badge_text, "stopped");
  EXPECT_EQ(h.model.entry(0).text, "Once upon ");
}

}  // namespace
}  // namespace parley::client

namespace parley::client {
namespace {

TEST(AppModelAssistant, AFinishedReplyShowsHowItWent) {
  ModelHarness h;
  h.connect("ann");
  h.feed(p::StreamStarted{"lobby", "g8", 1, 0, "Parley", 1});
  h.feed(p::StreamCompleted{"lobby", "g8", 2, 1, "Done here.", p::MessageStatus::complete,
                            R"j({"completion_tokens":42,"duration_ms":1870,"model":"m","prompt_tokens":3})j"});
  EXPECT_EQ(h.model.entry(0).badge_text, "42 tokens \u00B7 1.9 s");
}

}  // namespace
}  // namespace parley::client
