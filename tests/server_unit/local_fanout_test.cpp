#include "local_fanout.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace parley::server;

namespace {
struct Recorder : Subscriber {
  std::vector<Frame> frames;
  void deliver(Frame f) override { frames.push_back(std::move(f)); }
};
Frame frame(const char* s) { return std::make_shared<const std::string>(s); }
}  // namespace

TEST(LocalFanout, DeliversTheSameBufferToEveryMemberOfTheRoomOnly) {
  LocalFanout f;
  auto a = std::make_shared<Recorder>(), b = std::make_shared<Recorder>(),
       c = std::make_shared<Recorder>();
  f.subscribe("lobby", a);
  f.subscribe("lobby", b);
  f.subscribe("lobby", b);  // twice is once
  f.subscribe("other", c);
  auto x = frame("x");
  f.publish("lobby", x);
  ASSERT_EQ(a->frames.size(), 1u);
  ASSERT_EQ(b->frames.size(), 1u);
  EXPECT_TRUE(c->frames.empty());
  EXPECT_EQ(a->frames[0].get(), x.get());  // encoded once, shared
  EXPECT_EQ(b->frames[0].get(), x.get());
  EXPECT_EQ(f.room_count(), 2u);
}

TEST(LocalFanout, UnsubscribeAndExpiredMembers) {
  LocalFanout f;
  auto a = std::make_shared<Recorder>();
  auto b = std::make_shared<Recorder>();
  f.subscribe("lobby", a);
  f.subscribe("lobby", b);
  f.unsubscribe("lobby", a.get());
  f.publish("lobby", frame("1"));
  EXPECT_TRUE(a->frames.empty());
  EXPECT_EQ(b->frames.size(), 1u);
  b.reset();  // gone without unsubscribing
  f.publish("lobby", frame("2"));
  EXPECT_EQ(f.room_count(), 0u);
  f.subscribe("x", a);
  f.subscribe("y", a);
  f.unsubscribe_all(a.get());
  EXPECT_EQ(f.room_count(), 0u);
}
