#include "presence_registry.hpp"

#include <gtest/gtest.h>

namespace parley::server {
namespace {

TEST(PresenceRegistry, OnlyTheFirstAndLastConnectionAreTransitions) {
  PresenceRegistry p;
  int a = 0, b = 0;
  EXPECT_TRUE(p.enter("lobby", "Ann", &a));
  EXPECT_FALSE(p.enter("lobby", "ann", &b)) << "names compare without case";
  EXPECT_EQ(p.present("lobby"), (std::vector<std::string>{"Ann"}));
  EXPECT_TRUE(p.contains("lobby", &b));
  EXPECT_FALSE(p.leave("lobby", "ann", &a));
  EXPECT_TRUE(p.leave("lobby", "ann", &b));
  EXPECT_TRUE(p.present("lobby").empty());
  EXPECT_FALSE(p.leave("lobby", "ann", &b)) << "leaving twice is not a second transition";
}

TEST(PresenceRegistry, LeaveAllReportsEveryRoomTheConnectionEmptied) {
  PresenceRegistry p;
  int a = 0, b = 0;
  p.enter("lobby", "ann", &a);
  p.enter("team", "ann", &a);
  p.enter("team", "ann", &b);
  p.enter("team", "bob", &b);
  const auto gone = p.leave_all(&a);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0], (std::pair<std::string, std::string>{"lobby", "ann"}));
  EXPECT_EQ(p.present("team"), (std::vector<std::string>{"ann", "bob"}));
  p.drop_room("team");
  EXPECT_TRUE(p.present("team").empty());
}

}  // namespace
}  // namespace parley::server
