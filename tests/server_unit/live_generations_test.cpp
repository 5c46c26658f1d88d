#include "live_generations.hpp"

#include <gtest/gtest.h>

#include "local_fanout.hpp"
#include "parley/codec.hpp"

using namespace parley::server;
using namespace parley::protocol;

namespace {
struct Recorder : Subscriber {
  std::vector<Frame> frames;
  void deliver(Frame f) override { frames.push_back(std::move(f)); }
};
}  // namespace

TEST(LiveGenerations, DeltasCarryByteOffsetsAndEndOnce) {
  LocalFanout fanout;
  LiveGenerations live(fanout);
  auto r = std::make_shared<Recorder>();
  fanout.subscribe("lobby", r);
  live.start({"g1", "lobby", 5, "", false, 0, 0});
  EXPECT_TRUE(live.append_and_publish("g1", "Привет "));
  EXPECT_TRUE(live.append_and_publish("g1", "world"));
  ASSERT_EQ(r->frames.size(), 2u);
  auto d2 = decode(*r->frames[1]);
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(std::get<StreamDelta>(*d2.value).offset, std::string("Привет ").size());

  auto ended = live.close("g1");
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->text, "Привет world");
  EXPECT_FALSE(live.close("g1"));                 // only one caller ends it
  EXPECT_FALSE(live.append_and_publish("g1", "x"));  // no delta after the end
  live.remove("g1");
  EXPECT_FALSE(live.find("g1"));
}

TEST(LiveGenerations, JoinSeesPartialTextOfItsRoomOnly) {
  LocalFanout fanout;
  LiveGenerations live(fanout);
  live.start({"g1", "lobby", 3, "", false, 0, 0});
  live.start({"g2", "other", 4, "", false, 0, 0});
  live.append_and_publish("g1", "abc");
  live.append_and_publish("g2", "zzz");
  live.start({"g0", "lobby", 1, "", false, 0, 0});
  live.append_and_publish("g0", "first");
  std::vector<LiveGeneration> seen;
  live.join_room("lobby", [&](const auto& in_room) { seen = in_room; });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].seq, 1u);  // ascending seq
  EXPECT_EQ(seen[0].text, "first");
  EXPECT_EQ(seen[1].gen_id, "g1");
  EXPECT_EQ(seen[1].seq, 3u);
  EXPECT_EQ(seen[1].text, "abc");
}
